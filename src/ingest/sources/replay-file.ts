// An eve.json played back (`nsm4home replay`): as fast as possible, N events a second, or at the pace of the
// events' own timestamps (gaps longer than MAX_GAP_MS shortened, so a capture with a quiet night still moves),
// once or in a loop.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { type Backlog, EMPTY_BATCH, type IngestSource, type Notify, type SourceBatch } from "../types.js";
import { LineStreamSource } from "./stdin.js";
import { UsageError } from "../../errors.js";
import { parseEveTimestamp } from "../../eve/types.js";

export type ReplayRate = { kind: "realtime" } | { kind: "perSecond"; perSecond: number } | { kind: "max" };

export const MAX_GAP_MS = 10_000;

export function parseReplayRate(text: string): ReplayRate {
  const t = text.trim().toLowerCase();
  if (t === "realtime") return { kind: "realtime" };
  if (t === "max") return { kind: "max" };
  if (/^\d+(\.\d+)?$/.test(t) && Number(t) > 0) return { kind: "perSecond", perSecond: Number(t) };
  throw new UsageError(`invalid --rate '${text}': use realtime, max, or events per second (e.g. 500)`);
}

const TIMESTAMP_FIELD = /"timestamp"\s*:\s*"([^"]{10,40})"/;

/** The event's timestamp in epoch ms, found without parsing the whole line; undefined when it has none. */
export function lineTimestamp(line: Uint8Array): number | undefined {
  const head = Buffer.from(line.buffer, line.byteOffset, Math.min(line.length, 4096)).toString("latin1");
  const m = TIMESTAMP_FIELD.exec(head);
  return m ? parseEveTimestamp(m[1]) : undefined;
}

export interface ReplayOptions {
  rate: ReplayRate;
  loop: boolean;
  notify: Notify;
  /** Realtime: longest wait between two events (default MAX_GAP_MS). */
  maxGapMs?: number;
  /** For tests: the stream to read instead of opening the file. */
  open?: () => Readable;
}

export class ReplayFileSource implements IngestSource {
  readonly description: string;
  readonly resumes = false;
  private inner: LineStreamSource;
  private pending: Uint8Array[] = [];
  private pendingHead = 0;
  private passes = 1;
  private startedAt: number | undefined;
  private released = 0;
  /** Realtime: the wall-clock time the last released event was due at, and that event's own timestamp. */
  private lastDue: number | undefined;
  private lastEventTime: number | undefined;

  constructor(
    private readonly path: string,
    private readonly opts: ReplayOptions,
  ) {
    this.description = path;
    this.inner = this.openInner();
  }

  get passesStarted(): number {
    return this.passes;
  }

  private openInner(): LineStreamSource {
    const stream = this.opts.open ? this.opts.open() : createReadStream(this.path, { highWaterMark: 256 * 1024 });
    return new LineStreamSource(stream, this.path, this.opts.notify);
  }

  async read(max: number): Promise<SourceBatch | null> {
    if (this.pendingHead >= this.pending.length) {
      const batch = await this.inner.read(max);
      if (batch === null) {
        if (!this.opts.loop || this.released === 0) return null;
        await this.inner.close();
        this.inner = this.openInner();
        this.passes++;
        return EMPTY_BATCH;
      }
      this.pending = batch.items;
      this.pendingHead = 0;
      if (this.pending.length === 0) return EMPTY_BATCH;
    }
    const now = Date.now();
    this.startedAt ??= now;
    let count = Math.min(max, this.pending.length - this.pendingHead);
    if (this.opts.rate.kind === "perSecond") {
      const allowed = Math.floor(((now - this.startedAt) * this.opts.rate.perSecond) / 1000) + 1 - this.released;
      if (allowed <= 0) {
        await sleep(Math.min(1000, Math.ceil(1000 / this.opts.rate.perSecond)));
        return EMPTY_BATCH;
      }
      count = Math.min(count, allowed);
    } else if (this.opts.rate.kind === "realtime") {
      count = 0;
      while (this.pendingHead + count < this.pending.length && count < max) {
        const due = this.dueAt(this.pending[this.pendingHead + count]!, now);
        if (due > now) {
          if (count === 0) {
            await sleep(Math.min(1000, due - now));
            return EMPTY_BATCH;
          }
          break;
        }
        this.commitDue(this.pending[this.pendingHead + count]!, due);
        count++;
      }
    }
    const items = this.pending.slice(this.pendingHead, this.pendingHead + count);
    this.pendingHead += count;
    this.released += count;
    return { items, commit: async () => undefined };
  }

  /** When an event should go out: the previous one's time plus the gap between their timestamps (capped). */
  private dueAt(line: Uint8Array, now: number): number {
    if (this.lastDue === undefined) return now;
    const t = lineTimestamp(line);
    if (t === undefined || this.lastEventTime === undefined || t <= this.lastEventTime) return this.lastDue;
    return this.lastDue + Math.min(t - this.lastEventTime, this.opts.maxGapMs ?? MAX_GAP_MS);
  }

  private commitDue(line: Uint8Array, due: number): void {
    const t = lineTimestamp(line);
    this.lastDue = due;
    // Going back in time (the next loop, an out-of-order line): the following gap counts from here.
    if (t !== undefined) this.lastEventTime = t;
  }

  async backlog(): Promise<Backlog | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}
