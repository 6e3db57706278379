// The ingest loop: read batches from a source, publish each item with a bounded window of unacknowledged
// publishes, retry what failed (same msg-id) with backoff, and commit batches back to the source strictly in
// order once every item in them is acknowledged. Nothing is removed from a source before NATS has it.
import { classifyItem, messageIdFor } from "./classify.js";
import { wireSize, type PublishOutcome, type Publisher } from "./publisher.js";
import type { IngestSource, Notify, SourceBatch } from "./types.js";
import { sanitizeText } from "../text/sanitize.js";
import { formatBytes, formatBytesPair } from "../text/units.js";

export interface IngestCounters {
  /** Items taken from the source. */
  read: number;
  /** Items sent to NATS at least once. */
  published: number;
  /** Items NATS acknowledged (JetStream PubAck, or a flush in --core mode). */
  acked: number;
  /** Acknowledged as duplicates: JetStream already had that msg-id (a re-send after a crash or retry). */
  duplicates: number;
  /** Items that are not a JSON object (published to <prefix>.invalid, or dropped with --drop-invalid). */
  invalid: number;
  /** Events whose event_type is missing or unsafe as a subject token (published to <prefix>.unknown). */
  unknownType: number;
  /** Items NATS refused for good (larger than max_payload or the stream's max_msg_size): not published. */
  rejected: number;
  /** Re-sends after a failed or timed-out publish. */
  retries: number;
}

export interface PipelineOptions {
  source: IngestSource;
  publisher: Publisher;
  prefix: string;
  /** Most items published and not yet acknowledged (or waiting for a retry) at any time. */
  window: number;
  /** Most items taken from the source in one read. */
  batchSize: number;
  dropInvalid: boolean;
  /** Nats-Msg-Id headers (JetStream mode); without them re-sends become duplicates in the stream. */
  msgIds: boolean;
  notify: Notify;
  /** Per-event-type counts and publish latencies (ingest --metrics); absent, nothing is measured. */
  observer?: PipelineObserver;
  /** The Nats-TTL the publisher adds for a subject (--ttl), counted against max_payload. */
  ttlFor?: (subject: string) => string | undefined;
}

/** What `--metrics` counts by subject; called only when an observer is given, so an ingest without it pays nothing. */
export interface PipelineObserver {
  /** First send of an item (retries are not counted again). */
  published(subject: string): void;
  /** NATS acknowledged an item, `seconds` after its last send. */
  acknowledged(subject: string, duplicate: boolean, seconds: number): void;
  /** NATS refused an item for good, or it was too large to send. */
  refused(subject: string): void;
}

interface BatchState {
  batch: SourceBatch;
  /** Items not yet acknowledged or rejected. */
  remaining: number;
}

interface Entry {
  /** Order of reading: retries go out in this order. */
  seq: number;
  subject: string;
  payload: Uint8Array;
  msgId: string | undefined;
  state: BatchState;
  /** performance.now() of the last send; kept only with an observer. */
  sentAt: number;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/** Prints a kind of message at most `perWindow` times per `windowMs`, then says how many it held back. */
export class RateLimitedNotice {
  private shown = 0;
  private suppressed = 0;
  private windowStart = 0;
  constructor(
    private readonly notify: Notify,
    private readonly perWindow = 5,
    private readonly windowMs = 10_000,
  ) {}
  say(line: string): void {
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) this.notify(`(${this.suppressed} more like this in the last ${Math.round(this.windowMs / 1000)}s)`);
      this.windowStart = now;
      this.shown = 0;
      this.suppressed = 0;
    }
    if (this.shown < this.perWindow) {
      this.shown++;
      this.notify(line);
    } else {
      this.suppressed++;
    }
  }
}

function preview(bytes: Uint8Array, max = 60): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, max * 4)).toString("utf8");
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return sanitizeText(clipped);
}

/** Why an event is not sent, in exact bytes where rounding would hide it; the headers named when they tip it over. */
export function describeOversized(payloadLength: number, wireLength: number, maxPayload: number, subject: string): string {
  const [event, limit] = formatBytesPair(payloadLength, maxPayload);
  if (payloadLength > maxPayload) return `an event of ${event} for ${subject} is larger than the server's max_payload (${limit})`;
  const [withHeaders, exactLimit] = formatBytesPair(wireLength, maxPayload);
  return `an event of ${event} for ${subject} is, with its headers (${withHeaders}), larger than the server's max_payload (${exactLimit})`;
}

export class IngestPipeline {
  readonly counters: IngestCounters = { read: 0, published: 0, acked: 0, duplicates: 0, invalid: 0, unknownType: 0, rejected: 0, retries: 0 };
  private readonly fifo: BatchState[] = [];
  private fifoHead = 0;
  private retryQueue: Entry[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = RETRY_MIN_MS;
  private failing = false;
  /** Why the last publish failed, while publishes keep failing (for a stop that gives up waiting). */
  lastFailure: string | undefined;
  private lastFailureNotice = 0;
  private unresolved = 0;
  private nextSeq = 0;
  private stopping = false;
  private abandoned = false;
  private wake: (() => void) | undefined;
  private commitChain: Promise<void> = Promise.resolve();
  private readonly invalidNotice: RateLimitedNotice;
  private readonly rejectNotice: RateLimitedNotice;

  constructor(private readonly opts: PipelineOptions) {
    this.invalidNotice = new RateLimitedNotice(opts.notify);
    this.rejectNotice = new RateLimitedNotice(opts.notify);
  }

  /** Items published and not yet acknowledged, plus those waiting for a retry. */
  get inFlight(): number {
    return this.unresolved;
  }

  /** Stop reading; in-flight publishes still finish (run() resolves once they are acknowledged and committed). */
  stop(): void {
    this.stopping = true;
    this.opts.source.stop?.();
    this.poke();
  }

  /** Stop now without waiting: unacknowledged items stay at the source (processing list, pending entries, checkpoint). */
  abandon(): void {
    this.stopping = true;
    this.opts.source.stop?.();
    this.abandoned = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.poke();
  }

  async run(): Promise<IngestCounters> {
    const { source, window, batchSize } = this.opts;
    // Read in sizeable batches (one Redis round trip each), not one item whenever a single PubAck frees a slot.
    const minRoom = Math.max(1, Math.min(batchSize, Math.floor(window / 4)));
    while (!this.stopping) {
      if (this.retryQueue.length > 0 || window - this.unresolved < minRoom) {
        await this.sleepUntilPoked();
        continue;
      }
      const batch = await source.read(Math.min(batchSize, window - this.unresolved));
      if (batch === null) break;
      if (batch.items.length > 0) this.accept(batch);
    }
    while (!this.abandoned && this.unresolved > 0) await this.sleepUntilPoked();
    if (!this.abandoned) await this.commitChain;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    return this.counters;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private sleepUntilPoked(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private accept(batch: SourceBatch): void {
    const { prefix, dropInvalid, msgIds, publisher } = this.opts;
    const state: BatchState = { batch, remaining: batch.items.length };
    this.fifo.push(state);
    const maxPayload = publisher.maxPayload();
    for (const payload of batch.items) {
      this.counters.read++;
      const item = classifyItem(payload, prefix);
      if (item.kind === "invalid") {
        this.counters.invalid++;
        if (dropInvalid) {
          this.invalidNotice.say(`dropped an invalid item (${item.detail}): ${preview(payload)}`);
          state.remaining--;
          continue;
        }
        this.invalidNotice.say(`invalid item (${item.detail}) published to ${item.subject}: ${preview(payload)}`);
      } else if (item.kind === "unknown") {
        this.counters.unknownType++;
      }
      const msgId = msgIds ? messageIdFor(payload) : undefined;
      const size = wireSize(payload.length, msgId, this.opts.ttlFor?.(item.subject));
      if (size > maxPayload) {
        this.counters.rejected++;
        this.rejectNotice.say(
          `not published: ${describeOversized(payload.length, size, maxPayload, item.subject)}; ` +
            `raise max_payload in nats-server.conf to carry such events (${preview(payload, 40)})`,
        );
        state.remaining--;
        this.opts.observer?.refused(item.subject);
        continue;
      }
      this.counters.published++;
      this.unresolved++;
      this.opts.observer?.published(item.subject);
      this.send({ seq: this.nextSeq++, subject: item.subject, payload, msgId, state, sentAt: 0 });
    }
    this.commitFinished();
  }

  private send(entry: Entry): void {
    if (this.opts.observer) entry.sentAt = performance.now();
    this.opts.publisher.publish(entry.subject, entry.payload, entry.msgId, (outcome) => this.onOutcome(entry, outcome));
  }

  private onOutcome(entry: Entry, outcome: PublishOutcome): void {
    if (outcome.ok) {
      this.unresolved--;
      this.counters.acked++;
      if (outcome.duplicate) this.counters.duplicates++;
      this.opts.observer?.acknowledged(entry.subject, outcome.duplicate, (performance.now() - entry.sentAt) / 1000);
      if (this.failing) {
        this.failing = false;
        this.lastFailure = undefined;
        this.opts.notify("publishing again: NATS acknowledges");
      }
      this.backoffMs = RETRY_MIN_MS;
      entry.state.remaining--;
      if (entry.state.remaining === 0) this.commitFinished();
      this.poke();
      return;
    }
    if (outcome.permanent) {
      this.unresolved--;
      this.counters.rejected++;
      this.opts.observer?.refused(entry.subject);
      this.rejectNotice.say(`not published (${outcome.reason}): ${entry.subject}, ${formatBytes(entry.payload.length)}: ${preview(entry.payload, 40)}`);
      entry.state.remaining--;
      if (entry.state.remaining === 0) this.commitFinished();
      this.poke();
      return;
    }
    // Still unresolved until it succeeds: the window stays full and the source is not read meanwhile.
    this.retryQueue.push(entry);
    this.scheduleRetry(outcome.reason);
  }

  private scheduleRetry(reason: string): void {
    this.lastFailure = reason;
    if (this.retryTimer || this.abandoned) return;
    const now = Date.now();
    if (!this.failing || now - this.lastFailureNotice >= 10_000) {
      this.opts.notify(`publish failed: ${reason}; retrying with backoff, the source is left untouched meanwhile`);
      this.lastFailureNotice = now;
    }
    this.failing = true;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => this.retryNow(), delay);
  }

  private retryNow(): void {
    this.retryTimer = undefined;
    if (this.abandoned) return;
    // While the client reconnects, re-sends would only pile up in its buffer: look again shortly.
    if (!this.opts.publisher.connected()) {
      this.retryTimer = setTimeout(() => this.retryNow(), RETRY_MIN_MS);
      return;
    }
    const entries = this.retryQueue.sort((a, b) => a.seq - b.seq);
    this.retryQueue = [];
    for (const entry of entries) {
      this.counters.retries++;
      this.send(entry);
    }
    this.poke();
  }

  /** Commits finished batches from the front, in order: a Redis processing list is trimmed from its oldest end. */
  private commitFinished(): void {
    while (this.fifoHead < this.fifo.length && this.fifo[this.fifoHead]!.remaining === 0) {
      const { batch } = this.fifo[this.fifoHead]!;
      this.fifo[this.fifoHead] = undefined as unknown as BatchState;
      this.fifoHead++;
      this.commitChain = this.commitChain.then(
        () => batch.commit(),
      ).catch((err: unknown) => this.opts.notify(`could not confirm events to the source: ${(err as Error).message ?? String(err)}`));
    }
    if (this.fifoHead > 1024 && this.fifoHead * 2 > this.fifo.length) {
      this.fifo.splice(0, this.fifoHead);
      this.fifoHead = 0;
    }
  }
}
