// Reads one time window of the stream, once: an ordered consumer that starts at the window's first second (the
// server finds it by time, nothing before it is read) and is stopped at the first message stored after its end.
// Payloads that cannot concern the question (a byte search for the flow id or the address fails) are skipped
// before they are decoded: that is what makes a scan of a busy stream cheap.
import type { NatsConnection } from "@nats-io/nats-core";
import { decodeEvent, type EveEvent } from "../eve/event.js";
import type { ResolvedConnection } from "../nats/connection/index.js";
import { openEventSource } from "../nats/event-source/index.js";

/** A window of stream time (when the stream stored the events), epoch ms, both ends included. */
export interface TimeWindow {
  sinceMs: number;
  untilMs: number;
}

export interface ScannedEvent {
  event: EveEvent;
  subject: string;
  seq: number;
  /** When the stream stored it, epoch ms. */
  storedMs: number;
}

export interface ScanOptions {
  subjects: string[];
  window: TimeWindow;
  streamName?: string;
  /** Decode only payloads containing one of these byte strings; none given: decode everything. */
  needles?: string[];
  onEvent(event: ScannedEvent): void;
  onStatus?(line: string): void;
  batch?: number;
}

export interface ScanCounts {
  /** Messages the window held (read from the stream). */
  read: number;
  /** Payloads decoded (they contained a needle). */
  decoded: number;
  /** Decoded payloads that were not JSON events. */
  invalid: number;
  /** The stream read. */
  stream: string;
}

/** Byte search over a payload for any of the needles; true when there are no needles. */
export function payloadSearch(needles: string[] | undefined): (data: Uint8Array) => boolean {
  if (needles === undefined || needles.length === 0) return () => true;
  const patterns = needles.map((n) => Buffer.from(n, "utf8"));
  return (data) => {
    // nats.js hands out Buffers (subarrays of its read buffer): search them in place, no view object per message.
    const view = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (const pattern of patterns) if (view.indexOf(pattern) !== -1) return true;
    return false;
  };
}

/** Scans the window and resolves when its end (or the end of the stream) is reached. */
export async function scanWindow(nc: NatsConnection, resolved: ResolvedConnection, options: ScanOptions): Promise<ScanCounts> {
  const { sinceMs, untilMs } = options.window;
  const mayConcern = payloadSearch(options.needles);
  const counts = { read: 0, decoded: 0, invalid: 0 };
  let past = false;
  let stopSource: () => void = () => undefined;
  const source = await openEventSource(nc, resolved, {
    subjects: options.subjects,
    start: { kind: "time", time: new Date(sinceMs) },
    follow: false,
    ...(options.streamName !== undefined ? { streamName: options.streamName } : {}),
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.onStatus !== undefined ? { onStatus: options.onStatus } : {}),
    onMessage: (msg) => {
      if (past) return;
      const storedMs = msg.time ?? 0;
      if (storedMs > untilMs) {
        past = true;
        stopSource();
        return;
      }
      counts.read++;
      if (!mayConcern(msg.data)) return;
      counts.decoded++;
      const decoded = decodeEvent(msg.data);
      if (!decoded.ok) {
        counts.invalid++;
        return;
      }
      options.onEvent({ event: decoded.event, subject: msg.subject, seq: msg.seq ?? 0, storedMs });
    },
  });
  stopSource = () => void source.stop();
  if (past) stopSource();
  await source.done;
  return { ...counts, stream: source.streamName ?? options.streamName ?? "" };
}
