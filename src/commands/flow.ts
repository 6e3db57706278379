// `nsm4home flow FLOW_ID`: one flow's story from the stream: its DNS lookup, TLS, HTTP, files, anomalies, alerts and
// flow record in time order, found by flow_id or community_id in a window around the event's time.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { connectionFlagsOf } from "./shared.js";
import type { WindowFlags } from "../investigate/window.js";

interface FlowFlags extends WindowFlags {
  from?: string;
  seq?: string;
  stream?: string;
  prefix: string;
  json?: boolean;
  timestamps: string;
  color: string;
  width?: string;
}

async function runFlow(id: string | undefined, flags: FlowFlags, cmd: Command): Promise<void> {
  const given = [id !== undefined && "FLOW_ID", flags.from !== undefined && "--from", flags.seq !== undefined && "--seq"].filter(Boolean);
  if (given.length === 0) throw new UsageError("say which flow: give a FLOW_ID (flow_id or community_id), --from EVENT.json or --seq N");
  if (given.length > 1) throw new UsageError(`${given[0]} and ${given[1]} both name the flow: give one`);
  const { parseFlowKey, flowKeyOf } = await import("../investigate/flow-timeline.js");
  const { anchorFromEventText, parseWindowFlags } = await import("../investigate/window.js");
  const { parseCount } = await import("../text/units.js");
  const { parseTimestampsFlag } = await import("../eve/format.js");
  const timestamps = parseTimestampsFlag(flags.timestamps);
  const { parseColorChoice, shouldUseColor } = await import("../render/color.js");
  const color = shouldUseColor(parseColorChoice(flags.color), process.stdout);
  const seq = flags.seq === undefined ? undefined : parseCount(flags.seq, "--seq");

  let key = id === undefined ? undefined : parseFlowKey(id);
  if (id !== undefined && key === undefined) {
    throw new UsageError(`invalid FLOW_ID '${id}': give a flow_id (digits, e.g. 1952151646701803) or a community_id (1:...=)`);
  }
  let anchorMs: number | undefined;
  if (flags.from !== undefined) {
    const { readFile } = await import("node:fs/promises");
    let text: string;
    try {
      text = flags.from === "-" ? await readStdin() : await readFile(flags.from, "utf8");
    } catch (err) {
      throw new UsageError(`cannot read --from '${flags.from}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const anchor = anchorFromEventText(text, "--from");
    key = anchor.key;
    anchorMs = anchor.timeMs;
  }

  const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
  const resolved = resolveConnectionOptions(connectionFlagsOf(cmd));
  const nc = await connectNats(resolved, { name: "nsm4home flow" });
  try {
    let streamName = flags.stream;
    if (seq !== undefined) {
      const stored = await eventAtSequence(nc, resolved, flags.prefix, streamName, seq);
      const found = flowKeyOf(stored.event);
      if (found === undefined) throw new UsageError(`message ${seq} of stream ${stored.stream} has no flow_id or community_id`);
      key = found;
      anchorMs = stored.timeMs;
      streamName = stored.stream;
    }
    const window = parseWindowFlags(flags, anchorMs);
    const { investigateFlow } = await import("../investigate/flow.js");
    const say = (line: string) => process.stderr.write(`nsm4home: ${line}\n`);
    const result = await investigateFlow(nc, resolved, {
      key: key!,
      window,
      prefix: flags.prefix,
      ...(streamName !== undefined ? { streamName } : {}),
      onStatus: say,
    });
    const outside = result.timeline.events.length === 0 && anchorMs !== undefined ? await storedRangeOutside(nc, resolved, result.stream, window) : undefined;
    await printFlow(result, window, { json: flags.json === true, color, timestamps, width: flags.width, say, outside });
  } finally {
    await nc.close().catch(() => undefined);
  }
}

async function printFlow(
  result: import("../investigate/flow.js").FlowResult,
  window: import("../investigate/scan.js").TimeWindow,
  out: {
    json: boolean;
    color: boolean;
    timestamps: import("../eve/format.js").TimestampMode;
    width: string | undefined;
    say: (line: string) => void;
    /** Set when the window lies wholly before or after what the stream stores: its first and last stored times. */
    outside: { firstMs: number; lastMs: number } | undefined;
  },
): Promise<void> {
  const { RuntimeError } = await import("../errors.js");
  const { formatCount, parseCount } = await import("../text/units.js");
  const { timelineEvents } = await import("../investigate/flow-timeline.js");
  const { timeline } = result;
  if (timeline.events.length === 0) {
    const { formatLocalTime } = await import("../text/time.js");
    const { sanitizeText } = await import("../text/sanitize.js");
    const between = `between ${formatLocalTime(new Date(window.sinceMs))} and ${formatLocalTime(new Date(window.untilMs))}`;
    const stream = sanitizeText(result.stream);
    // A replayed log (a pcap run, an old eve.json ingested today) is stored long after its own timestamps.
    if (out.outside !== undefined) {
      throw new RuntimeError(
        `no event of flow ${timeline.key.id} stored ${between}: stream ${stream} holds events stored from ${formatLocalTime(new Date(out.outside.firstMs))} ` +
          `to ${formatLocalTime(new Date(out.outside.lastMs))} (the window is stream time, not the event's own; a replayed log is stored when it is replayed): give --since/--until in that range`,
      );
    }
    throw new RuntimeError(
      `no event of flow ${timeline.key.id} stored ${between} ` +
        `(${formatCount(result.read)} messages read from stream ${stream}): widen the window with --since/--until or --around`,
    );
  }
  if (result.overflow > 0) out.say(`kept the first ${formatCount(timeline.events.length)} events of the flow; ${formatCount(result.overflow)} more not shown`);
  if (out.json) {
    const { toSafeJson } = await import("../text/sanitize.js");
    process.stdout.write(timelineEvents(timeline).map((e) => toSafeJson(e.event) + "\n").join(""));
    return;
  }
  const { renderFlowTimeline } = await import("../render/flow-timeline.js");
  const tty = process.stdout.isTTY === true;
  const width = out.width !== undefined ? parseCount(out.width, "--width") : tty ? process.stdout.columns : undefined;
  // Timeline lines are indented by two columns.
  const formatOptions = { color: out.color, timestamps: out.timestamps, ...(width !== undefined && width > 0 ? { width: Math.max(20, width - 2) } : {}) };
  process.stdout.write(renderFlowTimeline(timeline, { read: result.read, stream: result.stream, window }, formatOptions));
}

async function eventAtSequence(
  nc: import("@nats-io/nats-core").NatsConnection,
  resolved: import("../nats/connection/index.js").ResolvedConnection,
  prefix: string,
  streamName: string | undefined,
  seq: number,
): Promise<{ event: import("../eve/event.js").EveEvent; timeMs: number; stream: string }> {
  const { openJetStreamManager } = await import("../nats/jetstream.js");
  const { findStreamFor } = await import("../nats/event-source/index.js");
  const { getStreamMessage } = await import("../nats/streams/index.js");
  const { decodeEvent } = await import("../eve/event.js");
  const jsm = await openJetStreamManager(nc, resolved);
  const stream = streamName ?? (await findStreamFor(jsm, [`${prefix}.>`]));
  const msg = await getStreamMessage(jsm, stream, { seq });
  const decoded = decodeEvent(msg.data);
  if (!decoded.ok) throw new UsageError(`message ${seq} of stream ${stream} is not an event (${decoded.reason})`);
  return { event: decoded.event, timeMs: msg.time.getTime(), stream };
}

/** The stream's first and last stored times when the window misses them entirely; undefined otherwise or unknown. */
async function storedRangeOutside(
  nc: import("@nats-io/nats-core").NatsConnection,
  resolved: import("../nats/connection/index.js").ResolvedConnection,
  stream: string,
  window: import("../investigate/scan.js").TimeWindow,
): Promise<{ firstMs: number; lastMs: number } | undefined> {
  try {
    const { openJetStreamManager } = await import("../nats/jetstream.js");
    const { streamInfo } = await import("../nats/streams/admin.js");
    const { state } = await streamInfo(await openJetStreamManager(nc, resolved), stream);
    if (state.messages === 0) return undefined;
    const firstMs = Date.parse(state.first_ts);
    const lastMs = Date.parse(state.last_ts);
    if (!Number.isFinite(firstMs) || !Number.isFinite(lastMs)) return undefined;
    return window.untilMs < firstMs || window.sinceMs > lastMs ? { firstMs, lastMs } : undefined;
  } catch {
    return undefined; // only a hint: the plain 'widen the window' line stands without it
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

export function register(program: Command): void {
  program
    .command("flow")
    .description("one flow's events in time order: its DNS lookup, TLS, HTTP, files, anomalies, alerts and flow record")
    .argument("[flow_id]", "Suricata flow_id (digits) or community_id (1:...=)")
    .option("--from <file>", "take the flow and the time from an event (JSON, e.g. saved from 'tail --json'); - for stdin")
    .option("--seq <n>", "take the flow and the time from this stream sequence")
    .option("--around <duration>", "read this long before and after the event's time", "10m")
    .option("--since <when>", "start of the window: a duration ago (1h) or an RFC 3339 time")
    .option("--until <when>", "end of the window: a duration ago (5m) or an RFC 3339 time")
    .option("--stream <name>", "stream to read (default: the one that stores <prefix>.>)")
    .option("--prefix <prefix>", "subject prefix of the events", DEFAULT_SUBJECT_PREFIX)
    .option("--json", "print the events as NDJSON, time order (the DNS lookup included)")
    .option("--timestamps <mode>", "local, utc or none", "local")
    .option("--color <when>", "auto, always or never", "auto")
    .option("--width <columns>", "cut lines to this width; 0 = never (default: the terminal's)")
    .addHelpText(
      "after",
      "\nThe window is stream time (when the events were stored). Without --from or --seq it ends now.\n\nExamples:\n" +
        "  nsm4home flow 1952151646701803\n  nsm4home flow 1:wCb3OG7yAFWelaUydu0D+125CLM= --since 2h\n" +
        "  nsm4home tail alert --last 1 --json --no-follow > a.json && nsm4home flow --from a.json\n",
    )
    .action((id: string | undefined, flags: FlowFlags, cmd: Command) => runFlow(id, flags, cmd));
}
