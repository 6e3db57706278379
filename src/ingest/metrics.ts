// `ingest --metrics`: what an ingest run did, per event type, in the Prometheus text format. The pipeline calls
// the observer; a scrape reads it together with the run's counters, in-flight count and the source's backlog.
import { Exposition, Histogram, type Labels } from "../metrics/exposition.js";
import type { IngestCounters, PipelineObserver } from "./pipeline.js";
import type { Backlog } from "./types.js";

/** Event types get a series each up to here; more (a flood of made-up event_type values) share one. */
export const MAX_EVENT_TYPES = 64;
export const OVERFLOW_EVENT_TYPE = "_other";

interface TypeCounts {
  published: number;
  acknowledged: number;
  duplicates: number;
  refused: number;
}

export interface IngestSnapshot {
  counters: IngestCounters;
  inFlight: number;
  backlog: Backlog | undefined;
  natsConnected: boolean;
}

export class IngestMetrics implements PipelineObserver {
  private readonly byType = new Map<string, TypeCounts>();
  /** Subject → its counts, so the hot path does one lookup and no string slicing. */
  private readonly bySubject = new Map<string, TypeCounts>();
  readonly latency = new Histogram();
  private readonly startedSeconds = Date.now() / 1000;

  constructor(private readonly prefix: string) {}

  private countsFor(subject: string): TypeCounts {
    let c = this.bySubject.get(subject);
    if (c !== undefined) return c;
    const type = subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
    c = this.byType.get(type);
    if (c === undefined) {
      const key = this.byType.size < MAX_EVENT_TYPES ? type : OVERFLOW_EVENT_TYPE;
      c = this.byType.get(key);
      if (c === undefined) {
        c = { published: 0, acknowledged: 0, duplicates: 0, refused: 0 };
        this.byType.set(key, c);
      }
    }
    if (this.bySubject.size < MAX_EVENT_TYPES * 2) this.bySubject.set(subject, c);
    return c;
  }

  published(subject: string): void {
    this.countsFor(subject).published++;
  }

  acknowledged(subject: string, duplicate: boolean, seconds: number): void {
    const c = this.countsFor(subject);
    c.acknowledged++;
    if (duplicate) c.duplicates++;
    this.latency.observe(seconds);
  }

  refused(subject: string): void {
    this.countsFor(subject).refused++;
  }

  render(s: IngestSnapshot): string {
    const out = new Exposition();
    const perType = (pick: (c: TypeCounts) => number) =>
      [...this.byType].map(([type, c]): [Labels, number] => [{ event_type: type }, pick(c)]);
    const c = s.counters;
    out
      .samples("nsm4home_ingest_events_read_total", "counter", "Items taken from the source.", [[undefined, c.read]])
      .samples("nsm4home_ingest_events_published_total", "counter", "Items sent to NATS (first sends; retries are counted apart).", perType((t) => t.published))
      .samples("nsm4home_ingest_events_acknowledged_total", "counter", "Items NATS acknowledged (JetStream PubAck, or a flush with --core).", perType((t) => t.acknowledged))
      .samples("nsm4home_ingest_events_duplicate_total", "counter", "Acknowledged items JetStream already had (same Nats-Msg-Id within the duplicate window).", perType((t) => t.duplicates))
      .samples("nsm4home_ingest_events_refused_total", "counter", "Items NATS refused for good or that exceed max_payload: not published.", perType((t) => t.refused))
      .samples("nsm4home_ingest_events_invalid_total", "counter", "Items that are not a JSON object (published to <prefix>.invalid, or dropped with --drop-invalid).", [[undefined, c.invalid]])
      .samples("nsm4home_ingest_events_unknown_type_total", "counter", "Events without a usable event_type (published to <prefix>.unknown).", [[undefined, c.unknownType]])
      .samples("nsm4home_ingest_publish_retries_total", "counter", "Re-sends after a failed or timed-out publish.", [[undefined, c.retries]])
      .samples("nsm4home_ingest_in_flight_events", "gauge", "Items published and not yet acknowledged, or waiting for a retry.", [[undefined, s.inFlight]])
      .samples("nsm4home_ingest_backlog_events", "gauge", "Items waiting at the source (Redis list or stream).", [[undefined, s.backlog?.unit === "events" ? s.backlog.count : undefined]])
      .samples("nsm4home_ingest_backlog_bytes", "gauge", "Bytes of a followed file not yet read.", [[undefined, s.backlog?.unit === "bytes" ? s.backlog.count : undefined]])
      .samples("nsm4home_ingest_nats_connected", "gauge", "1 while connected to NATS, 0 while reconnecting.", [[undefined, s.natsConnected ? 1 : 0]])
      .samples("nsm4home_ingest_start_time_seconds", "gauge", "When this ingest started, in seconds since the epoch.", [[undefined, this.startedSeconds]])
      .histogram("nsm4home_ingest_publish_latency_seconds", "Time from sending an item to NATS acknowledging it.", [[undefined, this.latency]]);
    return out.text();
  }
}
