// `nsm4home metrics`: a stream and its sensors as Prometheus metrics, from what the server already keeps — stream
// info with per-subject counts, the last message of each subject (MSG.GET last_by_subj), consumer and source
// info — plus the latest Suricata stats event of each sensor, followed on the stats subject. The stream itself is
// never read again: a refresh costs a few API requests however many events the stream holds.
import type { ConsumerInfo, JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import { decodeEvent } from "../eve/event.js";
import { StatsRateTracker, type StatsTotals } from "../eve/stats.js";
import { asNumber, asObject, path } from "../eve/types.js";
import { Exposition, type Labels } from "./exposition.js";
import { TrafficCounter } from "./traffic.js";
import { lastToken } from "../nats/subjects.js";

/** Series per family are bounded: subjects, sensors and app-layer protocols can be made up by whoever sends. */
export const MAX_EVENT_TYPES = 128;
export const MAX_SENSORS = 256;
const MAX_APP_PROTOCOLS = 64;
/** Last-message lookups per refresh (one API request each). */
const MAX_LAST_LOOKUPS = 64;

export interface SensorStats {
  sensor: string;
  /** Event time of the stats event, epoch ms (or when it was stored). */
  timeMs: number;
  uptimeSeconds: number;
  totals: StatsTotals;
  activeFlows?: number;
  appLayerFlows: Map<string, number>;
}

interface EventTypeState {
  messages: number;
  /** Stored time of the newest message, epoch ms. */
  newestMs?: number;
}

/** Reads the figures of one Suricata stats event (cumulative counters since Suricata started). */
export function readSensorStats(tracker: StatsRateTracker, payload: Uint8Array, storedMs: number | undefined): SensorStats | undefined {
  const decoded = decodeEvent(payload);
  if (!decoded.ok || decoded.event.event_type !== "stats") return undefined;
  const snapshot = tracker.update(decoded.event);
  const appLayerFlows = new Map<string, number>();
  const flows = asObject(path(decoded.event["stats"], "app_layer", "flow"));
  if (flows) {
    for (const key of Object.keys(flows)) {
      const n = asNumber(flows[key]);
      if (n !== undefined && appLayerFlows.size < MAX_APP_PROTOCOLS) appLayerFlows.set(key, n);
    }
  }
  const stats: SensorStats = {
    sensor: snapshot.host,
    timeMs: snapshot.timestampMs ?? storedMs ?? Date.now(),
    uptimeSeconds: snapshot.uptime,
    totals: snapshot.totals,
    appLayerFlows,
  };
  if (snapshot.activeFlows !== undefined) stats.activeFlows = snapshot.activeFlows;
  return stats;
}

export class StreamMetrics {
  private info: StreamInfo | undefined;
  private readonly types = new Map<string, EventTypeState>();
  private consumers: ConsumerInfo[] = [];
  private readonly sensors = new Map<string, SensorStats>();
  private readonly tracker = new StatsRateTracker();
  private refreshes = 0;
  private failures = 0;
  private lastRefreshSeconds = 0;
  private lastSuccessMs: number | undefined;
  private lastError: string | undefined;

  /** Messages and bytes per event type and sensor from the follower, once it runs. */
  readonly traffic = new TrafficCounter();

  constructor(
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    /** Whether the connection is up now: a round in flight while the server is gone takes its timeout to fail. */
    private readonly connected: () => boolean = () => true,
  ) {}

  /** What to follow for the traffic counts: the stream's subjects, or everything for a hub's or a mirror's stream. */
  subjectsToFollow(): string[] {
    const subjects = this.info?.config.subjects ?? [];
    return subjects.length > 0 ? subjects : [">"];
  }

  /** A stats message from the follower: the newest event per sensor wins. */
  noteStats(payload: Uint8Array, storedMs: number | undefined): void {
    const stats = readSensorStats(this.tracker, payload, storedMs);
    if (!stats) return;
    const known = this.sensors.get(stats.sensor);
    if (known && known.timeMs > stats.timeMs) return;
    if (!known && this.sensors.size >= MAX_SENSORS) return;
    this.sensors.set(stats.sensor, stats);
  }

  /** One round of API requests; on failure the previous figures stay and the error is counted. */
  async refresh(): Promise<void> {
    const started = performance.now();
    try {
      const info = await this.jsm.streams.info(this.stream, { subjects_filter: ">" });
      const counts = new Map<string, number>();
      const subjectsOf = new Map<string, string[]>();
      for (const [subject, n] of Object.entries(info.state.subjects ?? {})) {
        const type = lastToken(subject);
        if (!counts.has(type) && counts.size >= MAX_EVENT_TYPES) continue;
        counts.set(type, (counts.get(type) ?? 0) + n);
        const list = subjectsOf.get(type) ?? [];
        list.push(subject);
        subjectsOf.set(type, list);
      }
      // Newest message per event type: the busiest types first when there are more subjects than lookups.
      const subjects = [...subjectsOf.values()].flat().sort((a, b) => (info.state.subjects?.[b] ?? 0) - (info.state.subjects?.[a] ?? 0));
      const newest = new Map<string, number>();
      await Promise.all(
        subjects.slice(0, MAX_LAST_LOOKUPS).map(async (subject) => {
          const m = await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
          if (!m) return;
          const type = lastToken(subject);
          newest.set(type, Math.max(newest.get(type) ?? 0, m.time.getTime()));
        }),
      );
      const consumers: ConsumerInfo[] = [];
      for await (const c of this.jsm.consumers.list(this.stream)) consumers.push(c);
      // All at once, after the last await: a scrape never sees half of one round and half of the previous.
      this.types.clear();
      for (const [type, messages] of counts) this.types.set(type, { messages, newestMs: newest.get(type) });
      this.consumers = consumers;
      this.info = info;
      this.refreshes++;
      this.lastSuccessMs = Date.now();
      this.lastError = undefined;
    } catch (err) {
      this.failures++;
      this.lastError = (err as Error)?.message ?? String(err);
      throw err;
    } finally {
      this.lastRefreshSeconds = (performance.now() - started) / 1000;
    }
  }

  get error(): string | undefined {
    return this.lastError;
  }

  render(nowMs = Date.now()): string {
    const out = new Exposition();
    const stream = this.stream;
    const s: Labels = { stream };
    const info = this.info;
    const typeRows = (pick: (t: EventTypeState) => number | undefined) =>
      [...this.types].map(([type, t]): [Labels, number | undefined] => [{ stream, event_type: type }, pick(t)]);
    const up = this.refreshes > 0 && this.lastError === undefined && this.connected() ? 1 : 0;
    out
      .samples("nsm4home_metrics_up", "gauge", "1 while connected and the last round of requests succeeded; 0 means the figures are stale.", [[s, up]])
      .samples(
        "nsm4home_metrics_last_success_timestamp_seconds",
        "gauge",
        "When the last round of requests succeeded (Unix time): the figures are as of then.",
        [[s, this.lastSuccessMs === undefined ? undefined : this.lastSuccessMs / 1000]],
      )
      .samples("nsm4home_metrics_refreshes_total", "counter", "Rounds of stream, message and consumer requests that succeeded.", [[s, this.refreshes]])
      .samples("nsm4home_metrics_refresh_failures_total", "counter", "Rounds that failed (the previous figures are served meanwhile).", [[s, this.failures]])
      .samples("nsm4home_metrics_refresh_duration_seconds", "gauge", "Time the last round of requests took.", [[s, this.lastRefreshSeconds]])
      .samples("nsm4home_stream_messages", "gauge", "Messages stored in the stream.", [[s, info?.state.messages]])
      .samples("nsm4home_stream_bytes", "gauge", "Bytes stored in the stream.", [[s, info?.state.bytes]])
      .samples("nsm4home_stream_first_sequence", "gauge", "Sequence of the oldest stored message.", [[s, info?.state.first_seq]])
      .samples("nsm4home_stream_last_sequence", "gauge", "Sequence of the newest stored message.", [[s, info?.state.last_seq]])
      .samples("nsm4home_stream_consumers", "gauge", "Consumers of the stream.", [[s, info?.state.consumer_count]])
      .samples("nsm4home_stream_max_bytes", "gauge", "The stream's byte limit (-1: none).", [[s, info?.config.max_bytes]])
      .samples("nsm4home_stream_event_type_messages", "gauge", "Messages stored per event type (last subject token).", typeRows((t) => t.messages))
      .samples(
        "nsm4home_stream_event_type_last_timestamp_seconds",
        "gauge",
        "When the newest message of each event type was stored, in seconds since the epoch.",
        typeRows((t) => (t.newestMs === undefined ? undefined : t.newestMs / 1000)),
      )
      .samples(
        "nsm4home_stream_event_type_newest_age_seconds",
        "gauge",
        "Age of the newest message of each event type (Suricata stopped writing it?).",
        typeRows((t) => (t.newestMs === undefined ? undefined : Math.max(0, (nowMs - t.newestMs) / 1000))),
      );

    const consumerRows = (pick: (c: ConsumerInfo) => number | undefined) =>
      this.consumers.map((c): [Labels, number | undefined] => [{ stream, consumer: c.name }, pick(c)]);
    out
      .samples("nsm4home_consumer_pending_messages", "gauge", "Messages the consumer has not been delivered yet (its lag).", consumerRows((c) => c.num_pending))
      .samples("nsm4home_consumer_ack_pending_messages", "gauge", "Messages delivered and not yet acknowledged.", consumerRows((c) => c.num_ack_pending))
      .samples("nsm4home_consumer_redelivered_messages", "gauge", "Messages delivered more than once and not yet acknowledged.", consumerRows((c) => c.num_redelivered))
      .samples("nsm4home_consumer_delivered_stream_sequence", "gauge", "Stream sequence of the last delivered message.", consumerRows((c) => c.delivered.stream_seq))
      .samples("nsm4home_consumer_ack_floor_stream_sequence", "gauge", "Stream sequence up to which everything is acknowledged.", consumerRows((c) => c.ack_floor.stream_seq));

    // A mirror or the sources of a hub stream (one per sensor): how far behind each is, and since when silent.
    const origins = [...(info?.mirror ? [info.mirror] : []), ...(info?.sources ?? [])];
    const originRows = (pick: (o: (typeof origins)[number]) => number | undefined) =>
      origins.map((o): [Labels, number | undefined] => [{ stream, source: o.name }, pick(o)]);
    out
      .samples("nsm4home_stream_source_lag_messages", "gauge", "Messages a source or mirror is behind its origin stream.", originRows((o) => o.lag))
      .samples(
        "nsm4home_stream_source_last_active_seconds",
        "gauge",
        "Seconds since the source or mirror was last heard from (-1: never).",
        originRows((o) => (o.active < 0 ? -1 : o.active / 1e9)),
      );

    const sensors = [...this.sensors.values()];
    const sensorRows = (pick: (x: SensorStats) => number | undefined) => sensors.map((x): [Labels, number | undefined] => [{ sensor: x.sensor }, pick(x)]);
    out
      .samples("nsm4home_suricata_stats_timestamp_seconds", "gauge", "Time of the sensor's latest stats event, in seconds since the epoch.", sensorRows((x) => x.timeMs / 1000))
      .samples("nsm4home_suricata_stats_age_seconds", "gauge", "Age of the sensor's latest stats event (Suricata stopped?).", sensorRows((x) => Math.max(0, (nowMs - x.timeMs) / 1000)))
      .samples("nsm4home_suricata_uptime_seconds", "gauge", "Seconds since Suricata started, from its latest stats event.", sensorRows((x) => x.uptimeSeconds))
      .samples("nsm4home_suricata_decoder_packets_total", "counter", "Packets Suricata decoded (stats.decoder.pkts).", sensorRows((x) => x.totals.packets))
      .samples("nsm4home_suricata_decoder_bytes_total", "counter", "Bytes Suricata decoded (stats.decoder.bytes).", sensorRows((x) => x.totals.bytes))
      .samples("nsm4home_suricata_decoder_invalid_total", "counter", "Packets Suricata could not decode (stats.decoder.invalid).", sensorRows((x) => x.totals.invalid))
      .samples("nsm4home_suricata_capture_kernel_packets_total", "counter", "Packets the kernel captured (live capture only).", sensorRows((x) => x.totals.kernelPackets))
      .samples("nsm4home_suricata_capture_kernel_drops_total", "counter", "Packets the kernel dropped before Suricata saw them (live capture only).", sensorRows((x) => x.totals.kernelDrops))
      .samples("nsm4home_suricata_alerts_total", "counter", "Alerts raised (stats.detect.alert).", sensorRows((x) => x.totals.alerts))
      .samples("nsm4home_suricata_flows_active", "gauge", "Flows Suricata tracks now.", sensorRows((x) => x.activeFlows))
      .samples(
        "nsm4home_suricata_app_layer_flows_total",
        "counter",
        "Flows per detected application protocol (stats.app_layer.flow).",
        sensors.flatMap((x) => [...x.appLayerFlows].map(([proto, n]): [Labels, number] => [{ sensor: x.sensor, app_proto: proto }, n])),
      );
    this.traffic.addTo(out, stream);
    return out.text();
  }
}

