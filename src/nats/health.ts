// What `check` looks at, read from the server: the stream's newest message and limits, the newest message per
// subject, the latest Suricata stats event (per sensor on a stream that sources sensors, through `hub status`'s
// code), each source's or the mirror's lag and last contact, and a consumer's pending counts. Only what a check
// needs is asked for; ages are taken when the answer arrives.
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { RuntimeError } from "../errors.js";
import { isConsumerNotFound } from "./consumers/index.js";
import { collectHubStatus, latestStats, sourceLabel } from "./hub.js";
import { describeJetStreamError } from "./jetstream.js";
import { findStream } from "./streams/index.js";
import { hasWildcard } from "./subjects.js";

export interface HealthRequest {
  stream: string;
  /** Subject prefix: stats events are <prefix>.stats. */
  prefix: string;
  /** Subjects (wildcards allowed) whose newest message is wanted. */
  subjects: string[];
  stats: boolean;
  origins: boolean;
  consumer?: string;
  /** How long to wait for a sensor's JetStream over a leaf node link. */
  probeMs: number;
}

export interface SubjectFact {
  /** As asked: a subject or a wildcard. */
  pattern: string;
  /** Each stored subject it matches, with the age of its newest message; empty when none has a message. */
  matches: Array<{ subject: string; ageMs: number }>;
  /** More subjects matched than were read. */
  truncated?: number;
}

export interface StatsFact {
  /** The sensor on a stream that sources sensors; absent for the stream's own stats events. */
  sensor?: string;
  /** False when the sensor's JetStream did not answer (its leaf node link is down). */
  reachable: boolean;
  /** Absent when there is no stats event (or it could not be read). */
  stats?: { ageMs: number; kernelDropPct?: number };
}

export interface OriginFact {
  kind: "source" | "mirror";
  /** "suricata@garage", or a local stream's name. */
  label: string;
  lag: number;
  /** Absent when the stream has never heard from it. */
  lastSeenMs?: number;
  error?: string;
}

export interface HealthFacts {
  stream: string;
  messages: number;
  /** Since the newest message was stored; absent for an empty stream. */
  newestAgeMs?: number;
  subjects: SubjectFact[];
  stats: StatsFact[];
  origins: OriginFact[];
  consumer?: { name: string; found: false } | { name: string; found: true; unprocessed: number; ackPending: number };
  limits: { bytes: number; maxBytes: number; messages: number; maxMsgs: number; discard: string };
}

/** Subjects read per wildcard at most: Suricata has a few dozen event types. */
export const MAX_SUBJECTS_PER_PATTERN = 100;

async function lastMessageAge(jsm: JetStreamManager, stream: string, subject: string, now: () => number): Promise<number | undefined> {
  try {
    const msg = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    return msg === null ? undefined : Math.max(0, now() - msg.time.getTime());
  } catch (err) {
    throw describeJetStreamError(err, `newest message on ${subject} in stream ${stream}`);
  }
}

async function subjectFact(jsm: JetStreamManager, stream: string, pattern: string, now: () => number): Promise<SubjectFact> {
  let subjects = [pattern];
  let truncated = 0;
  if (hasWildcard(pattern)) {
    let info: StreamInfo;
    try {
      info = await jsm.streams.info(stream, { subjects_filter: pattern });
    } catch (err) {
      throw describeJetStreamError(err, `subjects ${pattern} of stream ${stream}`);
    }
    const all = Object.keys(info.state.subjects ?? {}).sort();
    subjects = all.slice(0, MAX_SUBJECTS_PER_PATTERN);
    truncated = all.length - subjects.length;
  }
  const ages = await Promise.all(subjects.map((s) => lastMessageAge(jsm, stream, s, now)));
  const matches = subjects.flatMap((subject, i) => (ages[i] === undefined ? [] : [{ subject, ageMs: ages[i]! }]));
  return { pattern, matches, ...(truncated > 0 ? { truncated } : {}) };
}

function mirrorFact(info: StreamInfo): OriginFact[] {
  const mirror = info.config.mirror;
  if (mirror === undefined) return [];
  const state = info.mirror;
  return [
    {
      kind: "mirror",
      label: sourceLabel(mirror),
      lag: state?.lag ?? 0,
      ...(state?.active !== undefined && state.active >= 0 ? { lastSeenMs: Math.round(state.active / 1e6) } : {}),
      ...(state?.error ? { error: state.error.description } : {}),
    },
  ];
}

/** Reads what the request names; a missing stream or an unreachable JetStream is an error (the check's UNKNOWN). */
export async function gatherHealth(nc: NatsConnection, jsm: JetStreamManager, req: HealthRequest, now: () => number = Date.now): Promise<HealthFacts> {
  const info = await findStream(jsm, req.stream);
  if (info === undefined) throw new RuntimeError(`stream ${req.stream} does not exist ('nsm4home stream ls' lists the streams)`);
  const { state, config } = info;
  const facts: HealthFacts = {
    stream: req.stream,
    messages: state.messages,
    ...(state.messages > 0 && state.last_ts ? { newestAgeMs: Math.max(0, now() - Date.parse(state.last_ts)) } : {}),
    subjects: await Promise.all(req.subjects.map((p) => subjectFact(jsm, req.stream, p, now))),
    stats: [],
    origins: [],
    limits: { bytes: state.bytes, maxBytes: config.max_bytes, messages: state.messages, maxMsgs: config.max_msgs, discard: config.discard },
  };

  const sourced = (config.sources ?? []).length > 0;
  if (sourced && (req.stats || req.origins)) {
    // A stream that sources sensors: each sensor's stats are read in its own domain, as `hub status` does.
    const hub = await collectHubStatus(nc, jsm, req.stream, { prefix: req.prefix, probeMs: req.probeMs, sampleMs: 0, now });
    for (const s of hub.sensors) {
      if (req.stats) facts.stats.push({ sensor: s.sensor, reachable: s.link !== "down", ...(s.stats ? { stats: s.stats } : {}) });
      if (req.origins) {
        facts.origins.push({
          kind: "source",
          label: s.link === "local" ? s.sensor : `${s.stream}@${s.sensor}`,
          lag: s.lag,
          ...(s.lastSeenMs !== undefined ? { lastSeenMs: s.lastSeenMs } : {}),
          ...(s.error ? { error: s.error } : {}),
        });
      }
    }
  } else {
    if (req.stats) {
      const stats = await latestStats(jsm, req.stream, `${req.prefix}.stats`, now());
      facts.stats.push({ reachable: true, ...(stats ? { stats } : {}) });
    }
    if (req.origins) facts.origins = mirrorFact(info);
  }

  if (req.consumer !== undefined) {
    try {
      const ci = await jsm.consumers.info(req.stream, req.consumer);
      facts.consumer = { name: req.consumer, found: true, unprocessed: ci.num_pending, ackPending: ci.num_ack_pending };
    } catch (err) {
      if (!isConsumerNotFound(err)) throw describeJetStreamError(err, `consumer info ${req.stream} ${req.consumer}`);
      facts.consumer = { name: req.consumer, found: false };
    }
  }
  return facts;
}
