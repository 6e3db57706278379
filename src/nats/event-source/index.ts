// The one way commands receive events: live from core NATS subscriptions, or replayed from the stream through
// ordered pull consumers and then followed live on the same consumers (no gap, no duplicate between the two).
//
// Live mode cannot slow the publisher down, so when the caller's output is backed up past `maxBacklog` a message
// is dropped and counted (onDrop), never lost silently. Replay mode simply stops pulling until the output drains.
// Several subjects on a 2.9 server (no filter_subjects) get one consumer each, merged back into stream order.
//
// A file per job: types.ts (what callers see), live.ts (core subscriptions, drop and lag control), replay.ts (the
// stream's consumers, planned per subject), ordered-reader.ts (one pull consumer), merge.ts (several consumers in
// stream order), last-n.ts (where `--last N` begins), ack-subject.ts (per-message metadata), delivery.ts.
import type { NatsConnection } from "@nats-io/nats-core";
import { RuntimeError } from "../../errors.js";
import type { ResolvedConnection } from "../connection/index.js";
import { dedupeSubjects } from "../subjects.js";
import { openLiveSource } from "./live.js";
import { openReplaySource } from "./replay.js";
import type { EventSource, EventSourceOptions, ReplayStart } from "./types.js";

export type { EventSource, EventSourceCounts, EventSourceOptions, ReplayStart, SourceMessage } from "./types.js";
export { DEFAULT_MAX_BACKLOG, DEFAULT_MAX_LAG_BYTES } from "./types.js";
export { dedupeSubjects, subjectMatches } from "../subjects.js";
export { parseAckBytes, parseAckSubject, parseDeliveryMetadata, type AckInfo, type DeliveryMetadata } from "./ack-subject.js";
export { findStreamFor } from "./plan.js";
export { startOfLast, type LastStart } from "./last-n.js";

/**
 * Whether the events come from core subscriptions: no replay start, and no JetStream domain or API prefix (which
 * names where the events are stored; core subscriptions do not cross domains, and a hub's sourced events are never
 * published there, so new events are read through that domain's stream instead).
 */
export function readsLive(start: ReplayStart | undefined, resolved: ResolvedConnection): boolean {
  return start === undefined && resolved.jetstreamDomain === undefined && resolved.jetstreamApiPrefix === undefined;
}

export async function openEventSource(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  options: EventSourceOptions,
): Promise<EventSource> {
  const subjects = dedupeSubjects(options.subjects);
  if (subjects.length === 0) throw new RuntimeError("no subject to read: give an event type or a subject");
  if (readsLive(options.start, resolved)) return openLiveSource(nc, subjects, options);
  return openReplaySource(nc, resolved, subjects, options.start ?? { kind: "new" }, options);
}
