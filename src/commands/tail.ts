// `tail [TYPE|SUBJECT ...]`: events as they arrive (core subscription), or replayed from the stream and then
// followed, shown one line each, as JSON, as projections, or raw. Every payload is decoded once; filter,
// projection and formatter all work on that one object.
import type { Command } from "commander";
import { RuntimeError, UsageError } from "../errors.js";
import { parseColorChoice, shouldUseColor } from "../render/color.js";
import { formatCount, parseCount, parseDuration, parseSize } from "../text/units.js";
import { replayStartOf } from "../nats/replay-start.js";
import { DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { subjectsFor, unusedPrefixNote } from "../nats/subjects.js";
import { collectList, connectionFlagsOf, parseTimestampsFlag } from "./shared.js";
import { addEventExpressionOptions, compileEventExpressions, type EventExpressionFlags } from "./event-expressions.js";
import type { DeliveryMetadata, ReplayStart, SourceMessage } from "../nats/event-source/index.js";

export interface TailFlags extends EventExpressionFlags {
  subject?: string[];
  prefix: string;
  since?: string;
  last?: string;
  seq?: string;
  all?: boolean;
  follow: boolean;
  stream?: string;
  count?: string;
  timestamps: string;
  color: string;
  width?: string;
  json?: boolean;
  raw?: boolean;
  headers?: boolean;
  buffer: string;
  batch?: string;
  quiet?: boolean;
  ack?: boolean;
}

type OutputMode = "pretty" | "json" | "select" | "raw";

function checkCombinations(flags: TailFlags, start: ReplayStart | undefined): OutputMode {
  if (flags.raw && (flags.json || flags.select !== undefined)) {
    throw new UsageError("--raw prints payloads as received: it cannot be combined with --json or --select");
  }
  if (!flags.follow && start === undefined) throw new UsageError("--no-follow stops at the end of the stream: give --since, --last, --seq or --all too");
  if (flags.ack && start !== undefined) {
    throw new UsageError("--ack acknowledges a push consumer's deliveries: tail its delivery subject live, without --since, --last, --seq or --all");
  }
  if (flags.headers && (flags.raw || flags.json || flags.select !== undefined)) {
    throw new UsageError("--headers shows headers in the text view: leave out --raw, --json and --select (stream view --json --envelope carries them for scripts)");
  }
  if (flags.raw) return "raw";
  if (flags.select !== undefined) return "select";
  if (flags.json) return "json";
  return "pretty";
}

interface TailCounts {
  received: number;
  shown: number;
  filtered: number;
  invalid: number;
  dropped: number;
}

export function formatSummary(c: TailCounts): string {
  const parts = [`received ${formatCount(c.received)}`, `shown ${formatCount(c.shown)}`, `filtered ${formatCount(c.filtered)}`];
  if (c.invalid > 0) parts.push(`not events ${formatCount(c.invalid)}`);
  parts.push(`dropped ${formatCount(c.dropped)}`);
  return parts.join(", ");
}

async function runTail(args: string[], flags: TailFlags, cmd: Command): Promise<void> {
  // Everything that can be wrong with the command line is found before connecting.
  const words = [...args, ...(flags.subject ?? [])];
  const subjects = subjectsFor(words, flags.prefix);
  const prefixNote = cmd.getOptionValueSource("prefix") === "cli" ? unusedPrefixNote(words, flags.prefix) : undefined;
  const start = replayStartOf(flags);
  const mode = checkCombinations(flags, start);
  const count = flags.count === undefined ? undefined : parseCount(flags.count, "--count");
  if (count === 0) throw new UsageError("invalid --count '0': give how many events to show, 1 or more");
  const timestamps = parseTimestampsFlag(flags.timestamps);
  const color = shouldUseColor(parseColorChoice(flags.color), process.stdout);
  const maxBacklog = parseSize(flags.buffer, "--buffer");
  const batch = flags.batch === undefined ? undefined : parseCount(flags.batch, "--batch");
  const explicitWidth = flags.width === undefined ? undefined : parseCount(flags.width, "--width");
  const globalTimeout = connectionFlagsOf(cmd).timeout;
  const idleTimeoutMs = globalTimeout === undefined ? undefined : parseDuration(globalTimeout, "--timeout");

  const [{ EventOutput }, { sanitizeText }, { StatsRateTracker }] = await Promise.all([
    import("../render/event-output.js"),
    import("../text/sanitize.js"),
    import("../eve/stats.js"),
  ]);
  const expressions = await compileEventExpressions(flags);

  const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
  const { openEventSource, parseDeliveryMetadata } = await import("../nats/event-source/index.js");
  const { formatDeliveryHeader, deliveryJson } = await import("../render/delivery.js");
  const { LineWriter } = await import("../render/line-writer.js");

  const stdout = process.stdout;
  const tty = stdout.isTTY === true;
  // Status lines can quote servers and stream names: escaped like event text.
  const say = (line: string) => process.stderr.write(`nsm4home: ${sanitizeText(line)}\n`);
  if (prefixNote !== undefined) say(prefixNote);
  // A reader that went away (`tail | head -1`) is the user saying "enough": leave at once, quietly.
  const writer = new LineWriter({ onClose: () => process.exit(process.exitCode ?? 0) });
  const output = new EventOutput(writer, {
    mode,
    color,
    timestamps,
    toTerminal: tty,
    stats: new StatsRateTracker(),
    headers: flags.headers === true,
    ...expressions,
    bare: flags.bare === true,
    onFirstInvalid: (subject, reason) =>
      say(`skipping messages that are not JSON events (first on ${sanitizeText(subject)}: ${reason}); the summary counts them`),
  });
  const applyWidth = () => output.setWidth(explicitWidth !== undefined ? explicitWidth : tty ? stdout.columns : undefined);
  applyWidth();
  const onResize = () => applyWidth();
  if (tty && explicitWidth === undefined) stdout.on("resize", onResize);

  let finishing = false;
  let finish: (outcome: { code: number; error?: Error }) => void = () => undefined;
  const showMessage = (m: SourceMessage, meta: DeliveryMetadata | undefined): void => {
    if (finishing) return;
    const shown = output.write(meta === undefined ? m : { ...m, jetstream: { headerLine: formatDeliveryHeader(meta, color), fields: deliveryJson(meta) } });
    if (shown && count !== undefined && output.counts.shown >= count) finish({ code: 0 });
  };
  // Set once connected: acknowledges a push consumer's delivery (--ack).
  let ackDelivery: ((reply: string) => void) | undefined;
  const onMessage = (m: SourceMessage): void => {
    if (m.reply === undefined) return showMessage(m, undefined);
    const meta = parseDeliveryMetadata(m.reply);
    showMessage(m, meta);
    // Only a reply that parses as an ack subject is acknowledged: a forged reply gets nothing published to it.
    if (meta && ackDelivery) ackDelivery(m.reply);
  };

  const resolved = resolveConnectionOptions(connectionFlagsOf(cmd));
  let disconnectNoted = false;
  const nc = await connectNats(resolved, {
    name: "nsm4home tail",
    onStatusEvent: (status) => {
      // A core subscription cannot see what was published while it was away: say so once, and how to get it back.
      const throughStream = start !== undefined || resolved.jetstreamDomain !== undefined || resolved.jetstreamApiPrefix !== undefined;
      if (status.type === "disconnect" && !throughStream && !disconnectNoted) {
        disconnectNoted = true;
        say("live events published until the reconnect are not shown; replay them from the stream with --since");
      }
    },
  });
  if (flags.ack) ackDelivery = (reply) => nc.publish(reply);
  let source: import("../nats/event-source/index.js").EventSource;
  try {
    source = await openEventSource(nc, resolved, {
      subjects,
      ...(start !== undefined ? { start } : {}),
      follow: flags.follow,
      ...(flags.stream !== undefined ? { streamName: flags.stream } : {}),
      ...(batch !== undefined ? { batch } : {}),
      onMessage,
      headers: flags.headers === true,
      onDrop: (n) => say(`dropped ${formatCount(n)} messages (slow consumer)`),
      onStatus: say,
      backlog: () => writer.backlog(),
      maxBacklog,
    });
  } catch (err) {
    await nc.close().catch(() => undefined);
    if (start !== undefined && err instanceof RuntimeError && /may not use the JetStream API/.test(err.message)) {
      throw new RuntimeError(`${err.message}; replaying needs it, live tail (without --since, --last, --seq or --all) does not`);
    }
    throw err;
  }

  let idleTimer: NodeJS.Timeout | undefined;
  const onSignal = () => finish({ code: 0 });
  const outcome = await new Promise<{ code: number; error?: Error }>((resolve) => {
    finish = (o) => {
      if (finishing) return;
      finishing = true;
      resolve(o);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    source.done.then(
      () => finish({ code: 0 }),
      (err: unknown) => finish({ code: 1, error: err instanceof Error ? err : new Error(String(err)) }),
    );
    if (idleTimeoutMs !== undefined) {
      // Checked on a timer rather than reset per message: the hot path stays free of timer work.
      let seen = -1;
      let lastChange = Date.now();
      idleTimer = setInterval(() => {
        const now = Date.now();
        if (output.counts.received !== seen) {
          seen = output.counts.received;
          lastChange = now;
        } else if (now - lastChange >= idleTimeoutMs) {
          const reached = count === undefined || output.counts.shown >= count;
          finish(
            reached
              ? { code: 0 }
              : { code: 1, error: new RuntimeError(`timeout: received ${formatCount(output.counts.shown)} of ${formatCount(count!)}`) },
          );
        }
      }, Math.max(10, Math.min(250, idleTimeoutMs / 4)));
    }
  });
  if (idleTimer !== undefined) clearInterval(idleTimer);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  stdout.off("resize", onResize);

  await source.stop();
  const dropped = source.counts().dropped;
  const counts: TailCounts = { ...output.counts, received: output.counts.received + dropped, dropped };
  await writer.drain();
  await nc.close().catch(() => undefined);
  if (!flags.quiet) say(formatSummary(counts));
  for (const problem of expressions.problems()) say(problem);
  if (outcome.error !== undefined) {
    if (outcome.error instanceof RuntimeError || outcome.error instanceof UsageError) throw outcome.error;
    throw new RuntimeError(outcome.error.message.split("\n")[0]!);
  }
  process.exitCode = outcome.code;
}

export function register(program: Command): void {
  const tail = program
    .command("tail")
    .description("show events as they arrive (live), or replay them from the stream and follow")
    .argument("[subjects...]", "event types (dns tls) or full subjects (suricata.dns); default: every event")
    .option("--subject <subject>", "a subject to show, repeatable: the same as an argument (stream view takes it so too)", collectList)
    .option("--prefix <prefix>", "subject prefix for event types", DEFAULT_SUBJECT_PREFIX)
    .option("--since <when>", "replay from the stream starting this long ago (10m, 2h) or at an RFC 3339 time")
    .option("--last <n>", "replay the last N messages from the stream")
    .option("--seq <n>", "replay from this stream sequence")
    .option("--all", "replay everything the stream holds")
    .option("--no-follow", "with a replay: stop at the end of the stream instead of following new events")
    .option("--stream <name>", "stream to replay from (default: the one that stores the subjects)")
    .option("--count <n>", "stop after showing N events")
    .option("--timestamps <mode>", "local, utc or none", "local")
    .option("--color <when>", "auto, always or never", "auto")
    .option("--width <columns>", "cut lines to this width; 0 = never (default: the terminal's; no cut on a pipe)");
  addEventExpressionOptions(tail)
    .option("--json", "print each event as one line of compact JSON")
    .option("--raw", "print payloads as received (control characters escaped when stdout is a terminal)")
    .option("--headers", "show each message's NATS headers (Nats-Msg-Id, ...) on lines of their own before the event")
    .option("--buffer <size>", "output waiting to be written before live messages are dropped (and counted)", "32MiB")
    .option("--batch <n>", "messages per pull when replaying (default 2000)")
    .option("--ack", "acknowledge each delivery of a push consumer (tail its delivery subject); without it an explicit-ack consumer redelivers")
    .option("-q, --quiet", "no summary line on stderr at the end (errors and warnings still print)")
    .addHelpText(
      "after",
      "\n--timeout (global) also stops tail after that long without a message; with --count not reached it exits 1.\n" +
        "Messages that are not JSON events are shown as one marked, escaped line; with --json, --select or --filter\n" +
        "they are skipped, noted once on stderr and counted in the summary printed on exit.\n\n" +
        "Examples:\n  nsm4home tail dns --filter \"dns.type == 'query'\" --select dns.rrname --bare\n" +
        "  nsm4home tail tls --since 1h --no-follow --json\n  nsm4home tail --last 100 alert flow\n" +
        "  nsm4home tail stats.suricata --ack   (a push consumer's delivery subject: each event with its JetStream metadata)\n",
    )
    .action(async (words: string[], flags: TailFlags, cmd: Command) => {
      await runTail(words, flags, cmd);
    });
}
