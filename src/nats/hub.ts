// The hub's stream and its sensors: adding or removing one sensor's stream as a source (an edit that keeps every
// other source), and the status of each: is its domain reachable, how far behind is the hub, when did its last
// event and its last Suricata stats event arrive.
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager, StreamInfo, StreamSource, StreamSourceInfo } from "@nats-io/jetstream";
import { RuntimeError } from "../errors.js";
import { decodeEvent } from "../eve/event.js";
import { StatsRateTracker } from "../eve/stats.js";
import { describeJetStreamError } from "./jetstream.js";
import { domainApiPrefix, domainOfSource, sameOrigin, streamSourceOf } from "./sources.js";
import { nsmStreamConfig } from "./stream-defaults.js";
import { addStream, findStream, updateStream } from "./streams/index.js";

export interface SensorRef {
  /** The sensor's JetStream domain (its name). */
  sensor: string;
  /** Its stream (suricata). */
  stream: string;
  filter?: string;
}

export type AddSensorOutcome = { kind: "created" | "added" | "present"; info: StreamInfo };

/** Adds the sensor's stream to the hub stream's sources, creating the hub stream (NSM defaults) if there is none. */
export async function addSensor(jsm: JetStreamManager, hubStream: string, ref: SensorRef, create: { replicas?: number; prefix: string }): Promise<AddSensorOutcome> {
  const source = streamSourceOf({ name: ref.stream, domain: ref.sensor, ...(ref.filter ? { filter: ref.filter } : {}) });
  const info = await findStream(jsm, hubStream);
  if (info === undefined) {
    const config = { ...nsmStreamConfig(hubStream, create.prefix), sources: [source], ...(create.replicas ? { num_replicas: create.replicas } : {}) };
    const outcome = await addStream(jsm, config);
    return { kind: "created", info: outcome.info };
  }
  if (info.config.mirror) throw new RuntimeError(`stream ${hubStream} is a mirror: it cannot take sources; choose another --stream`);
  if ((info.config.sources ?? []).some((s) => sameOrigin(s, source))) return { kind: "present", info };
  // Everything else in the configuration is sent back as it is: the server replaces the whole list of sources.
  const updated = await updateStream(jsm, hubStream, { ...info.config, sources: [...(info.config.sources ?? []), source] });
  return { kind: "added", info: updated };
}

/** Removes the sensor's stream from the hub stream's sources; the others stay. */
export async function removeSensor(jsm: JetStreamManager, hubStream: string, ref: SensorRef): Promise<StreamInfo> {
  const info = await findStream(jsm, hubStream);
  if (info === undefined) throw new RuntimeError(`stream ${hubStream} does not exist: nothing to remove (see 'nsm4home hub status')`);
  const target: StreamSource = { name: ref.stream, external: { api: domainApiPrefix(ref.sensor), deliver: "" } };
  const sources = info.config.sources ?? [];
  const kept = sources.filter((s) => !sameOrigin(s, target));
  if (kept.length === sources.length) {
    const known = sources.map(sourceLabel).join(", ") || "none";
    throw new RuntimeError(`stream ${hubStream} does not source ${ref.stream}@${ref.sensor} (its sources: ${known})`);
  }
  return updateStream(jsm, hubStream, { ...info.config, sources: kept });
}

/** "suricata@garage", or the plain name for a source in the hub's own domain. */
export function sourceLabel(s: Pick<StreamSource, "name" | "external">): string {
  const domain = domainOfSource(s);
  return domain === undefined ? (s.external?.api ? `${s.name} (${s.external.api})` : s.name) : `${s.name}@${domain}`;
}

export interface SensorStatus {
  /** The sensor's domain, or the source's label when it is not a domain. */
  sensor: string;
  stream: string;
  /** Whether the sensor's JetStream answered just now (through the leaf node link). */
  link: "up" | "down" | "local";
  /** Messages the hub has yet to copy, as the hub last knew it. */
  lag: number;
  /** Since the hub last heard from the source, ms. */
  lastSeenMs?: number;
  error?: string;
  /** Newest message in the sensor's stream (read in its domain; absent when the link is down). */
  lastEventTime?: string;
  eventsPerSec?: number;
  /** The sensor's latest Suricata stats event: kernel drops since Suricata started, and the event's age. */
  stats?: { time: string; ageMs: number; kernelDropPct?: number };
}

export interface HubStatus {
  stream: string;
  messages: number;
  sensors: SensorStatus[];
}

interface SensorSample {
  lastSeq: number;
  lastTs: string;
  at: number;
}

async function sensorManager(nc: NatsConnection, domain: string, timeoutMs: number): Promise<JetStreamManager | undefined> {
  const { jetstreamManager } = await import("@nats-io/jetstream");
  try {
    return await jetstreamManager(nc, { domain, timeout: timeoutMs });
  } catch {
    return undefined;
  }
}

async function sample(jsm: JetStreamManager, stream: string): Promise<SensorSample | undefined> {
  try {
    const info = await jsm.streams.info(stream);
    return { lastSeq: info.state.last_seq, lastTs: info.state.last_ts, at: Date.now() };
  } catch {
    return undefined;
  }
}

/** The latest Suricata stats event on `subject`: its age and kernel drops since Suricata started; undefined when none can be read. */
export async function latestStats(jsm: JetStreamManager, stream: string, subject: string, now: number): Promise<SensorStatus["stats"]> {
  try {
    const msg = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    if (!msg) return undefined;
    const decoded = decodeEvent(msg.data);
    if (!decoded.ok) return undefined;
    const snapshot = new StatsRateTracker().update(decoded.event);
    const timeMs = snapshot.timestampMs ?? msg.time.getTime();
    return { time: new Date(timeMs).toISOString(), ageMs: Math.max(0, now - timeMs), ...(snapshot.kernelDropPctTotal !== undefined ? { kernelDropPct: snapshot.kernelDropPctTotal } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * One row per source of the hub stream. Sensors are asked in their own domain (a JetStream request over the leaf
 * link, `probeMs` at most); two samples `sampleMs` apart give events/s.
 */
export async function collectHubStatus(
  nc: NatsConnection,
  jsm: JetStreamManager,
  hubStream: string,
  opts: { prefix: string; probeMs: number; sampleMs: number; now?: () => number },
): Promise<HubStatus> {
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(hubStream);
  } catch (err) {
    const e = describeJetStreamError(err, `stream info ${hubStream}`);
    if (/err_code 10059/.test(e.message)) throw new RuntimeError(`no hub stream ${hubStream}: add a sensor first (nsm4home hub add-sensor NAME)`);
    throw e;
  }
  const now = opts.now ?? Date.now;
  const live = new Map<string, StreamSourceInfo>();
  // The server reports each source's external API too; nats.js's type leaves it out.
  for (const s of info.sources ?? []) live.set(`${s.name} ${(s as StreamSourceInfo & { external?: { api?: string } }).external?.api ?? ""}`, s);
  const configured = info.config.sources ?? [];
  const rows = await Promise.all(
    configured.map(async (source) => {
      const state = live.get(`${source.name} ${source.external?.api ?? ""}`);
      const domain = domainOfSource(source);
      const row: SensorStatus = {
        sensor: domain ?? sourceLabel(source),
        stream: source.name,
        link: domain === undefined ? "local" : "down",
        lag: state?.lag ?? 0,
        ...(state?.active !== undefined && state.active >= 0 ? { lastSeenMs: Math.round(state.active / 1e6) } : {}),
        ...(state?.error ? { error: state.error.description } : {}),
      };
      const sensorJsm = domain === undefined ? jsm : await sensorManager(nc, domain, opts.probeMs);
      if (sensorJsm === undefined) return { row };
      const first = await sample(sensorJsm, source.name);
      if (first === undefined) return { row };
      if (domain !== undefined) row.link = "up";
      row.lastEventTime = first.lastTs;
      row.stats = await latestStats(sensorJsm, source.name, `${opts.prefix}.stats`, now());
      return { row, jsm: sensorJsm, first };
    }),
  );
  if (opts.sampleMs > 0 && rows.some((r) => r.first !== undefined)) {
    await new Promise((r) => setTimeout(r, opts.sampleMs));
    await Promise.all(
      rows.map(async ({ row, jsm: sensorJsm, first }) => {
        if (sensorJsm === undefined || first === undefined) return;
        const second = await sample(sensorJsm, row.stream);
        if (second === undefined) return;
        row.eventsPerSec = ((second.lastSeq - first.lastSeq) * 1000) / Math.max(1, second.at - first.at);
        row.lastEventTime = second.lastTs;
      }),
    );
  }
  return { stream: hubStream, messages: info.state.messages, sensors: rows.map((r) => r.row).sort((a, b) => (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0)) };
}
