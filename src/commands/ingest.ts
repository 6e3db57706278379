// `nsm4home ingest --from SOURCE`: Suricata EVE events from a Redis list or stream, an eve.json, or stdin into
// JetStream, at-least-once from the source and exactly-once in the stream (Nats-Msg-Id from each event's content).
import type { Command } from "commander";
import { parseCount, parseDuration } from "../text/units.js";
import { UsageError } from "../errors.js";
import { addPublishTargetOptions, connectionFlagsOf, parseProgressFlag } from "./shared.js";

interface IngestFlags {
  from?: string;
  prefix: string;
  stream: string;
  createStream?: boolean;
  core?: boolean;
  dropInvalid?: boolean;
  window: string;
  batch: string;
  processingKey?: string;
  group: string;
  consumer?: string;
  field: string;
  checkpoint?: string;
  startAt: string;
  once?: boolean;
  progress: string;
  stopTimeout: string;
  metrics?: string;
  ttl?: string;
  ttlFile?: string;
}

export function register(program: Command): void {
  addPublishTargetOptions(
    program
      .command("ingest")
      .description("move Suricata events from Redis, an eve.json or stdin into JetStream: nothing lost, nothing duplicated")
      .requiredOption("--from <source>", "redis://HOST:6379/KEY (list), redis-stream://HOST:6379/KEY (Suricata 8 stream), a file to follow, or - for stdin"),
  )
    .option("--core", "publish with core NATS instead of JetStream: at-most-once, nothing stored or acknowledged")
    .option("--drop-invalid", "count and skip lines that are not a JSON object, instead of publishing them to <prefix>.invalid")
    .option("--window <n>", "most publishes awaiting their acknowledgement at once", "1000")
    .option("--batch <n>", "most items taken from the source per read", "250")
    .option("--processing-key <key>", "Redis list holding taken, unconfirmed items (default <KEY>:processing; one per ingester)")
    .option("--group <name>", "consumer group for redis-stream://", "nsm4home")
    .option("--consumer <name>", "consumer name in the group (default: this host's name)")
    .option("--field <name>", "stream entry field holding the EVE JSON", "eve")
    .option("--checkpoint <file>", "where a followed file's position is kept (default under ~/.local/state/nsm4home/checkpoints)")
    .option("--start-at <where>", "without a checkpoint, start a followed file at its beginning or end", "beginning")
    .option("--once", "exit when the source is drained (Redis list/stream empty, end of file) instead of waiting for more")
    .option("--stop-timeout <duration>", "on SIGINT/SIGTERM, how long to wait for JetStream to acknowledge in-flight publishes", "5s")
    .option("--progress <duration>", "progress line on stderr every DURATION (0: only the final summary)", "5s")
    .option("--metrics <host:port>", "serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464)")
    .option("--ttl <type=duration,...>", "keep each event type this long, e.g. alert=90d,flow=7d,stats=1d,*=14d (nats-server 2.11+)")
    .option("--ttl-file <file>", "the same entries from a file, one a line (# comments)")
    .addHelpText(
      "after",
      `
Delivery: items leave Redis (moved to a processing list, or XACKed) and a file's checkpoint advances only after
JetStream acknowledged them; after a crash the unconfirmed ones are sent again, and their Nats-Msg-Id (from the
content) lets the stream's duplicate window drop the repeats. With --core nothing is acknowledged: at-most-once.
When nats-server or Redis is down, ingest waits and retries with backoff, saying so on stderr.
--ttl gives each event type its own retention (a Nats-TTL header): it needs nats-server 2.11+ and a stream that
allows per-message TTLs (--create-stream makes it so; an existing one: stream edit NAME --allow-msg-ttl).

Examples:
  nsm4home ingest --from redis://127.0.0.1:6379/suricata --create-stream
  nsm4home ingest --from redis-stream://sensor:6379/suricata --group nsm4home
  nsm4home ingest --from /var/log/suricata/eve.json --metrics 127.0.0.1:9464
  nsm4home ingest --from /var/log/suricata/eve.json --ttl alert=90d,flow=7d,stats=1d,*=14d --create-stream
  zcat eve.json.gz | nsm4home ingest --from - --once
`,
    )
    .action(async (flags: IngestFlags, cmd: Command) => {
      if (flags.startAt !== "beginning" && flags.startAt !== "end") {
        throw new UsageError(`invalid --start-at '${flags.startAt}': use beginning or end`);
      }
      const progressMs = parseProgressFlag(flags.progress);
      const metrics = flags.metrics === undefined ? undefined : (await import("../metrics/http.js")).parseListenAddress(flags.metrics, "--metrics");
      if (flags.ttl !== undefined && flags.ttlFile !== undefined) throw new UsageError("--ttl and --ttl-file do not go together: choose one");
      const ttlModule = flags.ttl !== undefined || flags.ttlFile !== undefined ? await import("../ingest/ttl.js") : undefined;
      const ttl = flags.ttl !== undefined ? ttlModule!.parseTtlSpec(flags.ttl, "--ttl") : flags.ttlFile !== undefined ? ttlModule!.readTtlFile(flags.ttlFile) : undefined;
      const { runIngest } = await import("../ingest/run.js");
      await runIngest(connectionFlagsOf(cmd), {
        from: flags.from!,
        prefix: flags.prefix,
        stream: flags.stream,
        createStream: flags.createStream === true,
        core: flags.core === true,
        dropInvalid: flags.dropInvalid === true,
        window: parseCount(flags.window, "--window"),
        batch: parseCount(flags.batch, "--batch"),
        processingKey: flags.processingKey,
        group: flags.group,
        consumer: flags.consumer,
        field: flags.field,
        checkpoint: flags.checkpoint,
        startAt: flags.startAt,
        once: flags.once === true,
        progressMs,
        stopTimeoutMs: parseDuration(flags.stopTimeout, "--stop-timeout"),
        metrics,
        ...(ttl !== undefined ? { ttl } : {}),
      });
    });
}
