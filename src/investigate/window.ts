// The time window an investigation reads: --since/--until, or --around an anchor (an event's time; now when there
// is none). Checked before connecting; errors are UsageErrors naming the flag.
import { UsageError } from "../errors.js";
import { decodeEvent, type EveEvent } from "../eve/event.js";
import { parseEveTimestamp } from "../eve/types.js";
import { parseStartTime } from "../nats/replay-start.js";
import { parseDuration } from "../text/units.js";
import { flowKeyOf, type FlowKey } from "./flow-timeline.js";
import type { TimeWindow } from "./scan.js";

export interface WindowFlags {
  around: string;
  since?: string;
  until?: string;
}

/**
 * [anchor - around, anchor + around], each end replaced by --since/--until when given. The window ends now without
 * an anchor, and when --since is given without --until (--since 1h is the last hour, whatever the event's time);
 * what is stored later is not waited for. An empty window names only the flags given, and the default used.
 */
export function parseWindowFlags(flags: WindowFlags, anchorMs?: number, now = Date.now()): TimeWindow {
  const around = parseDuration(flags.around, "--around");
  const sinceGiven = flags.since !== undefined;
  const untilGiven = flags.until !== undefined;
  const sinceMs = sinceGiven ? parseStartTime(flags.since!, "--since", now).getTime() : (anchorMs ?? now) - around;
  const untilMs = untilGiven ? parseStartTime(flags.until!, "--until", now).getTime() : sinceGiven || anchorMs === undefined ? now : anchorMs + around;
  if (untilMs < sinceMs) {
    const anchor = anchorMs === undefined ? "now" : "the event's time";
    const why =
      sinceGiven && untilGiven
        ? "--until must be later than --since"
        : sinceGiven
          ? "--since is later than now, where the window ends without --until"
          : untilGiven
            ? `--until is earlier than where the window starts without --since (${anchor} - --around ${flags.around})`
            : "give --since and --until";
    throw new UsageError(`the window ends before it starts: ${why}`);
  }
  return { sinceMs, untilMs };
}

/** The flow and time of an event given as JSON text (one object, or the first line of NDJSON). */
export function anchorFromEventText(text: string, flag: string): { key: FlowKey; timeMs: number | undefined; event: EveEvent } {
  let decoded = decodeEvent(text);
  if (!decoded.ok) {
    const firstLine = text.split("\n").find((line) => line.trim() !== "") ?? "";
    decoded = decodeEvent(firstLine);
  }
  if (!decoded.ok) throw new UsageError(`${flag}: not a JSON event (${decoded.reason})`);
  const key = flowKeyOf(decoded.event);
  if (key === undefined) throw new UsageError(`${flag}: the event has no flow_id or community_id`);
  return { key, timeMs: parseEveTimestamp(decoded.event.timestamp), event: decoded.event };
}

/** Events further from now than this are taken to be replayed logs: their own time says nothing of when stored. */
const REPLAYED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The window around an event seen on the dashboard: its own time ± around; for an event whose time is a day or
 * more away (a replayed log, stored just now), now - around .. now.
 */
export function windowAroundEvent(event: EveEvent, aroundMs: number, now = Date.now()): TimeWindow {
  const at = parseEveTimestamp(event.timestamp);
  const anchor = at !== undefined && Math.abs(now - at) < REPLAYED_AFTER_MS ? at : now;
  return { sinceMs: anchor - aroundMs, untilMs: Math.min(now, anchor + aroundMs) };
}
