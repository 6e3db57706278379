// `nsm4home flow` as text: a key/value summary of the flow (who, what, how much each way), then one line per event
// in time order through the same per-type formatters tail uses. Every string from an event is sanitised (the
// formatters and renderSections do it).
import type { EveEvent } from "../eve/event.js";
import { formatEvent, type FormatOptions, type TimestampMode } from "../eve/format.js";
import { paletteFor } from "../eve/palette.js";
import { asNumber, asObject, asRawString, asBoolean, parseEveTimestamp } from "../eve/types.js";
import type { Endpoint, FlowTimeline } from "../investigate/flow-timeline.js";
import { timelineEvents } from "../investigate/flow-timeline.js";
import type { TimeWindow } from "../investigate/scan.js";
import { formatLocalTime } from "../text/time.js";
import { formatBytes, formatCount } from "../text/units.js";
import { renderSections, type KvRow } from "./kv.js";

export interface ScanFigures {
  read: number;
  stream: string;
  window: TimeWindow;
}

function endpointText(e: Endpoint | undefined): string | undefined {
  if (e === undefined) return undefined;
  const host = e.ip.includes(":") ? `[${e.ip}]` : e.ip;
  return e.port === undefined ? e.ip : `${host}:${e.port}`;
}

function direction(flow: Record<string, unknown>, bytesKey: string, pktsKey: string): string | undefined {
  const bytes = asNumber(flow[bytesKey]);
  const pkts = asNumber(flow[pktsKey]);
  if (bytes === undefined && pkts === undefined) return undefined;
  // A count the sensor wrote that is no usable number (1e400, text) is unknown, not zero.
  return `${bytes === undefined ? "?" : formatBytes(bytes)} in ${pkts === undefined ? "?" : formatCount(pkts)} packet${pkts === 1 ? "" : "s"}`;
}

/** The flow's start or end in the timeline's zone (the sensor's own offset, +0700, read beside local times misleads). */
function flowTime(value: unknown, mode: TimestampMode): string | undefined {
  const raw = asRawString(value);
  const ms = parseEveTimestamp(value);
  if (raw === undefined || ms === undefined || mode === "none") return raw;
  return mode === "utc" ? new Date(ms).toISOString().replace("T", " ") : formatLocalTime(new Date(ms), true);
}

function flowRows(record: EveEvent | undefined, mode: TimestampMode): KvRow[] {
  const flow = asObject(record?.["flow"]);
  if (flow === undefined) return [["flow record", "none in the window (the flow may still be open: widen with --until)"]];
  const state = [asRawString(flow["state"]), asRawString(flow["reason"]) && `(${asRawString(flow["reason"])})`].filter(Boolean).join(" ");
  const alerted = asBoolean(flow["alerted"]);
  return [
    ["to server", direction(flow, "bytes_toserver", "pkts_toserver")],
    ["to client", direction(flow, "bytes_toclient", "pkts_toclient")],
    ["started", flowTime(flow["start"], mode)],
    ["ended", flowTime(flow["end"], mode)],
    ["state", state === "" ? undefined : state + (alerted === true ? ", alerted" : "")],
  ];
}

function eventCounts(timeline: FlowTimeline): string {
  const byType = new Map<string, number>();
  for (const e of timeline.events) {
    const type = typeof e.event.event_type === "string" ? e.event.event_type : "?";
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const parts = [...byType].map(([type, n]) => `${formatCount(n)} ${type}`);
  return `${formatCount(timeline.events.length)}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

function windowText(figures: ScanFigures): string {
  const { sinceMs, untilMs } = figures.window;
  return `${formatLocalTime(new Date(sinceMs))} .. ${formatLocalTime(new Date(untilMs))}, ${formatCount(figures.read)} messages read from stream ${figures.stream}`;
}

/** The whole report: summary sections, then the timeline (one formatted event per line). */
export function renderFlowTimeline(timeline: FlowTimeline, figures: ScanFigures, opts: FormatOptions): string {
  const title = timeline.key.kind === "flow_id" ? `Flow ${timeline.key.id}` : `Flow ${timeline.key.id} (community id)`;
  const server = endpointText(timeline.server);
  const summary = renderSections([
    {
      title,
      rows: [
        ["flow id", timeline.key.kind === "community_id" ? timeline.flowId : undefined],
        ["community id", timeline.key.kind === "flow_id" ? timeline.communityId : undefined],
        ["client", endpointText(timeline.client)],
        ["server", server === undefined ? undefined : timeline.lookupName !== undefined ? `${server} (${timeline.lookupName})` : server],
        ["protocol", [timeline.proto, timeline.appProto].filter(Boolean).join(" ") || undefined],
        ["events", eventCounts(timeline)],
        ["dns lookup", timeline.lookup === undefined && timeline.client !== undefined && timeline.appProto !== "dns" ? "none in the window" : undefined],
        ["window", windowText(figures)],
      ],
    },
    { title: "Flow record", rows: flowRows(timeline.flowRecord, opts.timestamps) },
  ]);
  const p = paletteFor(opts.color);
  // The lookup belongs to another flow (the DNS exchange): marked so it is not read as part of this one.
  const marker = "  (lookup)";
  const lookupOpts = opts.width === undefined ? opts : { ...opts, width: Math.max(20, opts.width - marker.length) };
  const lines = timelineEvents(timeline).map((e) =>
    e === timeline.lookup ? `${formatEvent(e.event, lookupOpts)}${p.muted(marker)}` : formatEvent(e.event, opts),
  );
  return `${summary}\nTimeline:\n\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}
