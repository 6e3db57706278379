// `flow` end to end below the command: scan the window for the flow's events, then scan the DNS subject for the
// lookup of the server's address by the client (only once the two are known, and only up to the flow's start).
import type { NatsConnection } from "@nats-io/nats-core";
import type { ResolvedConnection } from "../nats/connection/index.js";
import { attachLookup, belongsToFlow, buildFlowTimeline, type FlowKey, type FlowTimeline } from "./flow-timeline.js";
import { scanWindow, type ScannedEvent, type TimeWindow } from "./scan.js";

/** More events than any one flow plausibly has: past it the rest is counted, not kept (a hostile id collision). */
export const MAX_FLOW_EVENTS = 50_000;

/** DNS answers stored this long after the flow's first event still count (sensors batch their output). */
const LOOKUP_SLACK_MS = 5_000;

export interface FlowQuery {
  key: FlowKey;
  window: TimeWindow;
  /** Subject prefix: events are on `<prefix>.<event_type>`. */
  prefix: string;
  streamName?: string;
  onStatus?(line: string): void;
}

export interface FlowResult {
  timeline: FlowTimeline;
  /** Messages read in the window (all subjects), and the stream. */
  read: number;
  stream: string;
  /** Events of the flow beyond MAX_FLOW_EVENTS, not kept. */
  overflow: number;
}

export async function investigateFlow(nc: NatsConnection, resolved: ResolvedConnection, query: FlowQuery): Promise<FlowResult> {
  const found: ScannedEvent[] = [];
  let overflow = 0;
  const counts = await scanWindow(nc, resolved, {
    subjects: [`${query.prefix}.>`],
    window: query.window,
    needles: [query.key.id],
    ...(query.streamName !== undefined ? { streamName: query.streamName } : {}),
    ...(query.onStatus !== undefined ? { onStatus: query.onStatus } : {}),
    onEvent: (e) => {
      if (!belongsToFlow(e.event, query.key)) return;
      if (found.length < MAX_FLOW_EVENTS) found.push(e);
      else overflow++;
    },
  });
  let timeline = buildFlowTimeline(query.key, found);
  const server = timeline.server?.ip;
  // A DNS exchange has no lookup of its own server to show.
  if (found.length > 0 && server !== undefined && timeline.client !== undefined && timeline.appProto !== "dns") {
    const lookups: ScannedEvent[] = [];
    // The lookup comes before the connection: read DNS from the window's start to a little after the flow's first
    // event was stored (stream time, like the window: replayed logs carry old event timestamps).
    const firstStored = Math.min(...found.map((e) => e.storedMs));
    const until = Math.min(query.window.untilMs, firstStored + LOOKUP_SLACK_MS);
    if (until >= query.window.sinceMs) {
      await scanWindow(nc, resolved, {
        subjects: [`${query.prefix}.dns`],
        window: { sinceMs: query.window.sinceMs, untilMs: until },
        streamName: counts.stream,
        needles: [`"${server}"`],
        onEvent: (e) => {
          if (lookups.length < MAX_FLOW_EVENTS) lookups.push(e);
        },
      });
    }
    timeline = attachLookup(timeline, lookups);
  }
  return { timeline, read: counts.read, stream: counts.stream, overflow };
}
