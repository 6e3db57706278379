// `nsm4home metrics`: serves a stream and its sensors as Prometheus metrics (event types, consumers, sources,
// Suricata stats per sensor), from the server's own bookkeeping rather than by reading the stream.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { DEFAULT_STREAM_NAME, DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { formatDuration, parseDuration } from "../text/units.js";
import { connectionFlagsOf } from "./shared.js";

interface MetricsFlags {
  listen: string;
  stream: string;
  statsSubject: string;
  statsLookback: string;
  interval: string;
}

export function register(program: Command): void {
  program
    .command("metrics")
    .description("serve a stream and its sensors as Prometheus metrics: event types, consumers, sources, Suricata stats")
    .option("--listen <host:port>", "where to serve /metrics", "127.0.0.1:9465")
    .option("--stream <name>", "the stream to describe", DEFAULT_STREAM_NAME)
    .option("--stats-subject <subject>", "subject of Suricata's stats events", `${DEFAULT_SUBJECT_PREFIX}.stats`)
    .option("--stats-lookback <duration>", "at start, how far back to look for each sensor's latest stats event", "5m")
    .option("--interval <duration>", "how often to ask the server for fresh figures", "10s")
    .addHelpText(
      "after",
      `
Each refresh is a few JetStream API requests (stream info with per-subject counts, the last message of each
subject, consumer info), however large the stream. Sensors are the 'host' of their stats events (Suricata's
sensor-name), else the interface. Stop with Ctrl-C.

Prometheus:
  scrape_configs:
    - job_name: nsm4home
      static_configs: [{ targets: ["127.0.0.1:9465"] }]

Examples:
  nsm4home metrics
  nsm4home metrics --listen 0.0.0.0:9465 --stream suricata --interval 5s
`,
    )
    .action(async (flags: MetricsFlags, cmd: Command) => {
      const { parseListenAddress } = await import("../metrics/http.js");
      const listen = parseListenAddress(flags.listen, "--listen");
      const intervalMs = parseDuration(flags.interval, "--interval");
      if (intervalMs < 100) throw new UsageError(`invalid --interval '${flags.interval}': give at least 100ms`);
      // Past a timer's 2^31-1 ms Node fires at once: the exporter would ask the server without pause.
      if (intervalMs > 2 ** 31 - 1) throw new UsageError(`invalid --interval '${flags.interval}': at most ${formatDuration(2 ** 31 - 1)}`);
      const statsLookbackMs = parseDuration(flags.statsLookback, "--stats-lookback");
      const notify = (line: string) => process.stderr.write(`nsm4home: metrics: ${line}\n`);
      const stopped = new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      });
      const { runMetrics } = await import("../metrics/run.js");
      await runMetrics(connectionFlagsOf(cmd), { listen, stream: flags.stream, statsSubject: flags.statsSubject, statsLookbackMs, intervalMs, notify, stopped });
    });
}
