// The replay's consumers merged back into stream order (several subjects on a 2.9 server get one consumer each),
// the end of a replay without follow, and pausing the pulls while the output is backed up.
import { formatCount } from "../../text/units.js";
import { deferredDone, guardOnMessage } from "./delivery.js";
import type { OrderedReader, ReaderOwner } from "./ordered-reader.js";
import { DEFAULT_MAX_BACKLOG, type EventSourceOptions, type SourceMessage } from "./types.js";

/** Replay loses nothing by waiting, so it stops pulling early and keeps memory low. */
const REPLAY_PAUSE_BACKLOG = 4 * 1024 * 1024;
const BACKLOG_POLL_MS = 10;
/** Removals found by several readers, or message after message (limits), make one status line this often. */
const REMOVED_REPORT_MS = 1000;

export class ReplayRunner implements ReaderOwner {
  readers: OrderedReader[] = [];
  received = 0;
  /** Messages at the front of the merged order to leave out (--last N over several consumers). */
  skip = 0;
  /** The highest stream sequence any reader has received. */
  maxReceivedSeq = 0;
  /** Messages that left the stream before they were read (a purge, a deletion, the stream's limits). */
  removedCount = 0;
  private removedUnreported = 0;
  private removedTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private backlogTimer: NodeJS.Timeout | undefined;
  readonly done = deferredDone();
  private readonly toConsumer: (msg: SourceMessage) => void;

  constructor(
    private readonly stream: string,
    private readonly options: EventSourceOptions,
    private readonly endSeq: number | undefined,
    private readonly batch: number,
    /** The stream's last sequence at the request: a reader caught up after it holds nothing up to here. */
    public requestSeq: number,
  ) {
    this.toConsumer = guardOnMessage(options.onMessage, options.onStatus);
  }

  get follows(): boolean {
    return this.endSeq === undefined;
  }

  mayPull(reader: OrderedReader): boolean {
    if (this.stopped) return false;
    const { backlog, maxBacklog = DEFAULT_MAX_BACKLOG } = this.options;
    const pauseAt = Math.min(maxBacklog, REPLAY_PAUSE_BACKLOG);
    // In a merge one reader may be far ahead of another: bound what it holds while the others catch up.
    const full = (backlog !== undefined && backlog() > pauseAt) || (this.readers.length > 1 && reader.queued() > this.batch * 2);
    if (full && this.backlogTimer === undefined) {
      this.backlogTimer = setTimeout(() => {
        this.backlogTimer = undefined;
        for (const r of this.readers) r.pull();
      }, BACKLOG_POLL_MS);
    }
    return !full;
  }

  deliver(reader: OrderedReader, msg: SourceMessage): void {
    if (this.stopped) return;
    if (msg.seq! > this.maxReceivedSeq) this.maxReceivedSeq = msg.seq!;
    if (this.endSeq !== undefined && msg.seq! > this.endSeq) {
      reader.finished = true;
      // The merge may have been waiting for this reader: what the others hold can go out now.
      if (this.readers.length > 1) this.pump();
      this.checkEnd();
      return;
    }
    if (this.endSeq !== undefined && msg.seq === this.endSeq) reader.finished = true;
    if (this.readers.length === 1) this.emit(msg);
    else {
      reader.queue.push(msg);
      this.pump();
    }
    this.checkEnd();
  }

  /** Sequences start over: the others hold messages of the old stream, so they are read again from the start too. */
  streamReplaced(reader: OrderedReader): void {
    this.maxReceivedSeq = 0;
    this.requestSeq = 0;
    for (const r of this.readers) if (r !== reader) r.streamReplacedElsewhere();
  }

  /** A reader was (re)created: its caught-up state may let the merge move on. */
  readerChanged(_reader: OrderedReader): void {
    if (this.readers.length > 1) this.pump();
    this.checkEnd();
  }

  removed(count: number): void {
    if (this.stopped) return;
    this.removedCount += count;
    this.removedUnreported += count;
    if (this.removedTimer === undefined) this.removedTimer = setTimeout(() => this.reportRemoved(), REMOVED_REPORT_MS);
  }

  private reportRemoved(): void {
    if (this.removedTimer !== undefined) clearTimeout(this.removedTimer);
    this.removedTimer = undefined;
    if (this.removedUnreported === 0) return;
    const n = this.removedUnreported;
    this.removedUnreported = 0;
    // At least: messages stored meanwhile hide as many removals from the counts the server gives.
    this.options.onStatus?.(`at least ${formatCount(n)} messages left stream ${this.stream} before they were read (purged, deleted, or removed by its limits)`);
  }

  private emit(msg: SourceMessage): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.received++;
    // Stored by the time the source opened: a backfill, not an arrival.
    if (msg.seq! <= this.requestSeq) msg.backfill = true;
    this.toConsumer(msg);
  }

  /** Emits in stream order while every reader either has a message waiting or holds nothing earlier. */
  private pump(): void {
    for (;;) {
      if (this.stopped) return;
      let best: OrderedReader | undefined;
      for (const r of this.readers) {
        if (r.queued() === 0) {
          if (r.caughtUp || r.finished) continue;
          return; // this reader may still hold an earlier message
        }
        if (best === undefined || r.queue[r.queueHead]!.seq! < best.queue[best.queueHead]!.seq!) best = r;
      }
      if (best === undefined) return;
      const seq = best.queue[best.queueHead]!.seq!;
      let waiting = false;
      for (const r of this.readers) {
        if (r.queued() === 0 && !r.finished && r.emptyThrough < seq) {
          // Caught up before this message was stored: something earlier may still come from it.
          r.confirmEmpty();
          waiting = true;
        }
      }
      if (waiting) return;
      const msg = best.shift();
      this.emit(msg);
      if (best.queued() === this.batch) best.pull();
    }
  }

  private checkEnd(): void {
    if (this.endSeq === undefined || this.stopped) return;
    const allDone = this.readers.every((r) => r.queued() === 0 && (r.finished || r.caughtUp || r.lastSeq >= this.endSeq!));
    if (allDone) {
      void this.stop();
    }
  }

  fail(err: unknown): void {
    if (this.stopped) return;
    // Rejected before stop() resolves it: the other order ended a failed replay as if it had reached its end.
    this.done.reject(err);
    void this.stop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.backlogTimer !== undefined) clearTimeout(this.backlogTimer);
    this.reportRemoved();
    for (const r of this.readers) r.stop();
    this.done.resolve();
  }
}
