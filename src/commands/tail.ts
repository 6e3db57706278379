// `tail [TYPE|SUBJECT ...]`: events as they arrive (core subscription), or replayed from the stream and then
// followed, shown one line each, as JSON, as projections, or raw. Every payload is decoded once; filter,
// projection and formatter all work on that one object.
import type { Command } from "commander";
import { RuntimeError, UsageError } from "../errors.js";
import { parseColorChoice, shouldUseColor } from "../render/color.js";
import { sanitizeText } from "../text/sanitize.js";
import { formatCount, parseCount, parseDuration, parseSize } from "../text/units.js";
import { replayStartOf } from "../nats/replay-start.js";
import { DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { subjectsFor, unusedPrefixNote } from "../nats/subjects.js";
import { misspeltTypeNotes } from "../eve/fields.js";
import { addMessageStyleOptions, collectList, connectionFlagsOf, noteOlderUtc } from "./shared.js";
import { addEventExpressionOptions, compileEventExpressions, type EventExpressionFlags, type EventExpressions } from "./event-expressions.js";
import type { NatsConnection } from "@nats-io/nats-core";
import type { TimestampMode } from "../eve/format.js";
import type { DeliveryMetadata, EventSource, ReplayStart, SourceMessage } from "../nats/event-source/index.js";
import type { EventOutput } from "../render/event-output.js";
import type { LineWriter } from "../render/line-writer.js";

export interface TailFlags extends EventExpressionFlags {
  subject?: string[];
  prefix: string;
  since?: string;
  last?: string;
  seq?: string;
  all?: boolean;
  new?: boolean;
  follow: boolean;
  stream?: string;
  count?: string;
  timestamps?: string;
  /** The older spelling of --timestamps utc. */
  utc?: boolean;
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
  if (!flags.follow && (start === undefined || start.kind === "new")) {
    throw new UsageError("--no-follow stops at the end of the stream: give --since, --last, --seq or --all too (--new only follows)");
  }
  if (flags.ack && start !== undefined) {
    throw new UsageError("--ack acknowledges a push consumer's deliveries: tail its delivery subject live, without --since, --last, --seq, --all or --new");
  }
  if (flags.headers && (flags.raw || flags.json || flags.select !== undefined)) {
    throw new UsageError("--headers shows headers in the text view: leave out --raw, --json and --select (stream view --json --envelope carries them for scripts)");
  }
  if (flags.raw) return "raw";
  if (flags.select !== undefined) return "select";
  if (flags.json) return "json";
  return "pretty";
}

/** What the command line asks for, every part of it checked before anything connects. */
interface TailRequest {
  subjects: string[];
  prefixNote?: string;
  /** Words that look like a misspelt event type (dsn), with the likely one. */
  typeNotes: string[];
  start?: ReplayStart;
  mode: OutputMode;
  count?: number;
  timestamps: TimestampMode;
  color: boolean;
  maxBacklog: number;
  batch?: number;
  width?: number;
  /** --timeout (global): stop after this long without a message. */
  idleTimeoutMs?: number;
  expressions: EventExpressions;
}

/** Step 1: parse and check the command line; everything that can be wrong with it is found before connecting. */
async function readCommandLine(args: string[], flags: TailFlags, cmd: Command): Promise<TailRequest> {
  const words = [...args, ...(flags.subject ?? [])];
  const subjects = subjectsFor(words, flags.prefix);
  const prefixNote = cmd.getOptionValueSource("prefix") === "cli" ? unusedPrefixNote(words, flags.prefix) : undefined;
  const typeNotes = misspeltTypeNotes(words, flags.prefix);
  const start = replayStartOf(flags);
  const mode = checkCombinations(flags, start);
  const count = flags.count === undefined ? undefined : parseCount(flags.count, "--count");
  if (count === 0) throw new UsageError("invalid --count '0': give how many events to show, 1 or more");
  const { timestampsOf } = await import("../render/message.js");
  const timestamps = timestampsOf(flags);
  noteOlderUtc(flags);
  const color = shouldUseColor(parseColorChoice(flags.color), process.stdout);
  const maxBacklog = parseSize(flags.buffer, "--buffer");
  const batch = flags.batch === undefined ? undefined : parseCount(flags.batch, "--batch");
  const width = flags.width === undefined ? undefined : parseCount(flags.width, "--width");
  const globalTimeout = connectionFlagsOf(cmd).timeout;
  const idleTimeoutMs = globalTimeout === undefined ? undefined : parseDuration(globalTimeout, "--timeout");
  const expressions = await compileEventExpressions(flags);
  return { subjects, prefixNote, typeNotes, start, mode, count, timestamps, color, maxBacklog, batch, width, idleTimeoutMs, expressions };
}

interface TailOutput {
  output: EventOutput;
  writer: LineWriter;
  /** Stops following the terminal's width. */
  close(): void;
}

/** Step 2: the output pipeline on stdout (decode, filter, text/json/raw, counts), cut to the terminal's width. */
async function buildOutput(req: TailRequest, flags: TailFlags, say: (line: string) => void): Promise<TailOutput> {
  const [{ EventOutput }, { StatsRateTracker }, { LineWriter }] = await Promise.all([
    import("../render/event-output.js"),
    import("../eve/stats.js"),
    import("../render/line-writer.js"),
  ]);
  const stdout = process.stdout;
  const tty = stdout.isTTY === true;
  // A reader that went away (`tail | head -1`) is the user saying "enough": leave at once, quietly.
  const writer = new LineWriter({ onClose: () => process.exit(process.exitCode ?? 0) });
  const output = new EventOutput(writer, {
    mode: req.mode,
    color: req.color,
    timestamps: req.timestamps,
    toTerminal: tty,
    stats: new StatsRateTracker(),
    headers: flags.headers === true,
    ...req.expressions,
    bare: flags.bare === true,
    onFirstInvalid: (subject, reason) =>
      say(`skipping messages that are not JSON events (first on ${sanitizeText(subject)}: ${reason}); the summary counts them`),
  });
  const applyWidth = () => output.setWidth(req.width !== undefined ? req.width : tty ? stdout.columns : undefined);
  applyWidth();
  const onResize = () => applyWidth();
  if (tty && req.width === undefined) stdout.on("resize", onResize);
  return { output, writer, close: () => stdout.off("resize", onResize) };
}

type TailOutcome = { code: number; error?: Error };

/** How a tail ends: the first reason given (the source's end or failure, --count, a signal, --timeout) wins. */
class TailEnding {
  ended = false;
  private settle: (outcome: TailOutcome) => void = () => undefined;
  readonly outcome = new Promise<TailOutcome>((resolve) => (this.settle = resolve));

  end(outcome: TailOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.settle(outcome);
  }
}

interface OpenedSource {
  nc: NatsConnection;
  source: EventSource;
}

/** Step 3: connect and open the source, each message shown (with a push consumer's metadata, acked with --ack). */
async function openSource(req: TailRequest, flags: TailFlags, cmd: Command, out: TailOutput, ending: TailEnding, say: (line: string) => void): Promise<OpenedSource> {
  const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
  const { openEventSource, parseDeliveryMetadata, readsLive } = await import("../nats/event-source/index.js");
  const { formatDeliveryHeader, deliveryJson } = await import("../render/delivery.js");
  const { output, writer } = out;
  const showMessage = (m: SourceMessage, meta: DeliveryMetadata | undefined): void => {
    if (ending.ended) return;
    const shown = output.write(meta === undefined ? m : { ...m, jetstream: { headerLine: formatDeliveryHeader(meta, req.color), fields: deliveryJson(meta) } });
    if (shown && req.count !== undefined && output.counts.shown >= req.count) ending.end({ code: 0 });
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
      if (status.type === "disconnect" && readsLive(req.start, resolved) && !disconnectNoted) {
        disconnectNoted = true;
        say("live events published until the reconnect are not shown; replay them from the stream with --since (tail --new loses none)");
      }
    },
  });
  if (flags.ack) ackDelivery = (reply) => nc.publish(reply);
  let droppedBefore = false;
  try {
    const source = await openEventSource(nc, resolved, {
      subjects: req.subjects,
      ...(req.start !== undefined ? { start: req.start } : {}),
      follow: flags.follow,
      ...(flags.stream !== undefined ? { streamName: flags.stream } : {}),
      ...(req.batch !== undefined ? { batch: req.batch } : {}),
      onMessage,
      headers: flags.headers === true,
      onDrop: (n) => {
        // The first time, where the lossless way is: the stream holds what a live view cannot keep up with.
        const hint = droppedBefore ? "" : "; tail --new reads new events through the stream and drops none";
        droppedBefore = true;
        say(`dropped ${formatCount(n)} messages (slow consumer${hint})`);
      },
      onStatus: say,
      backlog: () => writer.backlog(),
      maxBacklog: req.maxBacklog,
    });
    return { nc, source };
  } catch (err) {
    await nc.close().catch(() => undefined);
    if (req.start !== undefined && err instanceof RuntimeError && /may not use the JetStream API/.test(err.message)) {
      throw new RuntimeError(`${err.message}; replaying needs it, live tail (without --since, --last, --seq, --all or --new) does not`);
    }
    throw err;
  }
}

/** Step 4: run until the source ends or fails, --count is reached, Ctrl-C or SIGTERM, or --timeout passes quietly. */
async function runUntilDone(req: TailRequest, source: EventSource, output: EventOutput, ending: TailEnding): Promise<TailOutcome> {
  const onSignal = () => ending.end({ code: 0 });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  source.done.then(
    () => ending.end({ code: 0 }),
    (err: unknown) => ending.end({ code: 1, error: err instanceof Error ? err : new Error(String(err)) }),
  );
  const idleTimer = req.idleTimeoutMs === undefined ? undefined : endWhenQuiet(req.idleTimeoutMs, req.count, output, ending);
  const outcome = await ending.outcome;
  if (idleTimer !== undefined) clearInterval(idleTimer);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  return outcome;
}

/** --timeout: nothing received for that long ends the tail, an error if --count was not reached. */
function endWhenQuiet(idleTimeoutMs: number, count: number | undefined, output: EventOutput, ending: TailEnding): NodeJS.Timeout {
  // Checked on a timer rather than reset per message: the hot path stays free of timer work.
  let seen = -1;
  let lastChange = Date.now();
  return setInterval(() => {
    const now = Date.now();
    if (output.counts.received !== seen) {
      seen = output.counts.received;
      lastChange = now;
    } else if (now - lastChange >= idleTimeoutMs) {
      const reached = count === undefined || output.counts.shown >= count;
      ending.end(
        reached ? { code: 0 } : { code: 1, error: new RuntimeError(`timeout: received ${formatCount(output.counts.shown)} of ${formatCount(count!)}`) },
      );
    }
  }, Math.max(10, Math.min(250, idleTimeoutMs / 4)));
}

/** Step 5: stop reading, let the output drain, print the summary and notes, and turn the outcome into an exit. */
async function report(opened: OpenedSource, out: TailOutput, outcome: TailOutcome, req: TailRequest, flags: TailFlags, say: (line: string) => void): Promise<void> {
  const { formatOutputSummary } = await import("../render/event-output.js");
  await opened.source.stop();
  const { dropped, removed } = opened.source.counts();
  const counts = { ...out.output.counts, received: out.output.counts.received + dropped, dropped, ...(removed !== undefined ? { removed } : {}) };
  await out.writer.drain();
  await opened.nc.close().catch(() => undefined);
  if (!flags.quiet) say(formatOutputSummary(counts));
  for (const problem of req.expressions.problems()) say(problem);
  if (outcome.error !== undefined) {
    if (outcome.error instanceof RuntimeError || outcome.error instanceof UsageError) throw outcome.error;
    throw new RuntimeError(outcome.error.message.split("\n")[0]!);
  }
  process.exitCode = outcome.code;
}

async function runTail(args: string[], flags: TailFlags, cmd: Command): Promise<void> {
  const req = await readCommandLine(args, flags, cmd);
  // Status lines can quote servers and stream names: escaped like event text.
  const say = (line: string) => process.stderr.write(`nsm4home: ${sanitizeText(line)}\n`);
  if (req.prefixNote !== undefined) say(req.prefixNote);
  for (const note of req.typeNotes) say(note);
  const out = await buildOutput(req, flags, say);
  const ending = new TailEnding();
  const opened = await openSource(req, flags, cmd, out, ending, say);
  const outcome = await runUntilDone(req, opened.source, out.output, ending);
  out.close();
  await report(opened, out, outcome, req, flags, say);
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
    .option("--new", "follow only new events, read through the stream: ordered and nothing dropped (a burst is shown late, not lost)")
    .option("--no-follow", "with a replay: stop at the end of the stream instead of following new events")
    .option("--stream <name>", "stream to replay from (default: the one that stores the subjects)")
    .option("--count <n>", "stop after showing N events");
  addMessageStyleOptions(tail)
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
