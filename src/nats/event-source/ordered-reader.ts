// One ordered pull consumer we drive ourselves: two pulls in flight, paused while the output is backed up, and
// replaced by a new one after the last message delivered when anything goes wrong (gap, reconnect, deletion).
import type { Msg, Subscription } from "@nats-io/nats-core";
import type { ConsumerConfig } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { describeJetStreamError, isStreamNotFound } from "../jetstream.js";
import { parseAckBytes, parseAckSubject, SubjectCache, type RawMsg } from "./ack-subject.js";
import { consumerBaseConfig, type ReplayContext, type StartConfig } from "./consumer-config.js";
import type { SourceMessage } from "./types.js";

/** A live merge asks a caught-up consumer whether it is still empty at most this often. */
const CONFIRM_INTERVAL_MS = 25;
const PULL_EXPIRES_MS = 30_000;
const IDLE_HEARTBEAT_MS = 5_000;

/** What a reader tells the merge that owns it, and asks of it. */
export interface ReaderOwner {
  /** The stream's last sequence at the request: a reader caught up after it holds nothing up to here. */
  requestSeq: number;
  /** The highest stream sequence any reader has received. */
  readonly maxReceivedSeq: number;
  mayPull(reader: OrderedReader): boolean;
  deliver(reader: OrderedReader, msg: SourceMessage): void;
  readerChanged(reader: OrderedReader): void;
  /** Messages this reader was still due left the stream unread (a purge, a deletion, the stream's limits). */
  removed(count: number): void;
  /** The stream was deleted and created again: sequences start over, so every reader reads it from its start. */
  streamReplaced(reader: OrderedReader): void;
  /** Reading goes on past the end of the stream (not --no-follow): a deleted stream may come back. */
  readonly follows: boolean;
  fail(err: unknown): void;
}

export class OrderedReader {
  /** Stream sequence of the last message delivered (0 before the first). */
  lastSeq = 0;
  /** The stream holds nothing more for this consumer right now. */
  caughtUp = false;
  /**
   * While caught up: the stream sequence up to which this consumer is known to hold nothing undelivered. A merge
   * may pass another reader's message only up to here: a message stored just after it caught up may still come.
   */
  emptyThrough = 0;
  /** With follow=false: passed the end sequence; nothing more will be taken from this reader. */
  finished = false;
  /** Matching messages stored from the start when the consumer was first created. */
  initialPending = 0;
  readonly queue: SourceMessage[] = [];
  queueHead = 0;

  private name = "";
  private sub: Subscription | undefined;
  private expectedDelivery = 1;
  private outstanding = 0;
  /** Messages and statuses that arrived; the heartbeat check notes when this last changed (no clock per message). */
  private activity = 0;
  private activitySeen = 0;
  private lastActivity = Date.now();
  private resetting = false;
  private confirming = false;
  private rechecking = false;
  /** Messages the server last said were left for this consumer: a smaller count than reads explain means removals. */
  private lastPending: number | undefined;
  private lastConfirmAt = 0;
  /** The stream sequence the consumer looks at next. */
  private nextSeq = 1;
  private created = false;
  private stopped = false;
  private readonly subjects = new SubjectCache();
  /** Bytes of `$JS.ACK.<stream>.<consumer>.` in this consumer's ack subjects. */
  private ackPrefixLength = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** `created` of the stream this reader's sequences belong to. */
  private streamCreated: string;

  constructor(
    private readonly ctx: ReplayContext,
    readonly filter: string[],
    private readonly start: StartConfig,
    private readonly owner: ReaderOwner,
  ) {
    this.streamCreated = ctx.streamCreated;
  }

  queued(): number {
    return this.queue.length - this.queueHead;
  }

  shift(): SourceMessage {
    const m = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined as unknown as SourceMessage;
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return m;
  }

  async open(): Promise<void> {
    await this.create();
    this.heartbeatTimer = setInterval(() => this.checkHeartbeat(), IDLE_HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  private async create(): Promise<void> {
    if (this.created) await this.checkStreamReplaced();
    const start: StartConfig =
      this.lastSeq > 0
        ? { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: this.lastSeq + 1 }
        : this.created
          ? { deliver_policy: "all" as ConsumerConfig["deliver_policy"] }
          : this.start;
    const cfg = consumerBaseConfig(this.ctx, this.filter, start);
    const inbox = this.ctx.createInbox(this.ctx.inboxPrefix);
    const sub = this.ctx.nc.subscribe(inbox, { callback: (err, msg) => this.onMsg(err, msg, sub) });
    let ci;
    try {
      ci = await this.ctx.jsm.consumers.add(this.ctx.stream, cfg);
    } catch (err) {
      sub.unsubscribe();
      throw err;
    }
    if (this.stopped) {
      sub.unsubscribe();
      this.ctx.jsm.consumers.delete(this.ctx.stream, ci.name).catch(() => undefined);
      return;
    }
    this.sub = sub;
    this.name = ci.name;
    this.ackPrefixLength = Buffer.byteLength(`$JS.ACK.${this.ctx.stream}.${ci.name}.`);
    this.expectedDelivery = 1;
    this.outstanding = 0;
    this.lastActivity = Date.now();
    this.activitySeen = this.activity;
    if (!this.created) this.initialPending = ci.num_pending;
    this.notePending(ci.num_pending, 0);
    this.created = true;
    this.caughtUp = ci.num_pending === 0;
    this.nextSeq = ci.delivered.stream_seq + 1;
    if (this.caughtUp) this.emptyThrough = Math.max(this.emptyThrough, this.owner.requestSeq);
    this.owner.readerChanged(this);
    this.pull();
  }

  /**
   * A stream deleted and created again starts its sequences over: continuing after the last sequence shown would
   * skip the new stream's first messages. Such a stream is read from its first message instead.
   */
  private async checkStreamReplaced(): Promise<void> {
    const info = await this.ctx.jsm.streams.info(this.ctx.stream);
    if (info.created === this.streamCreated) return;
    this.streamCreated = info.created;
    this.lastSeq = 0;
    this.nextSeq = 1;
    this.caughtUp = false;
    this.emptyThrough = 0;
    this.finished = false;
    this.lastPending = undefined;
    this.queue.length = 0;
    this.queueHead = 0;
    // The first reader to see the new stream says so and has the others start over too.
    if (this.ctx.streamCreated !== info.created) {
      this.ctx.streamCreated = info.created;
      this.ctx.onStatus?.(`stream ${this.ctx.stream} was deleted and created again: reading the new stream from its first message`);
      this.owner.streamReplaced(this);
    }
  }

  /**
   * Keeps two pulls in flight: the next is asked for as soon as one batch has arrived, so the server always has a
   * request to serve while we work through the last one. Unless the owner says the output is full.
   */
  pull(): void {
    if (this.stopped || this.resetting || this.sub === undefined || this.finished) return;
    if (this.outstanding > this.ctx.batch) return;
    if (!this.owner.mayPull(this)) return;
    const request = {
      batch: this.ctx.batch,
      expires: this.ctx.nanos(PULL_EXPIRES_MS),
      idle_heartbeat: this.ctx.nanos(IDLE_HEARTBEAT_MS),
    };
    this.outstanding += this.ctx.batch;
    this.ctx.nc.publish(`${this.ctx.prefix}.CONSUMER.MSG.NEXT.${this.ctx.stream}.${this.name}`, JSON.stringify(request), {
      reply: this.sub.getSubject(),
    });
  }

  private onMsg(err: Error | null, msg: Msg, sub: Subscription): void {
    if (sub !== this.sub || this.stopped) return; // a message for a consumer we already replaced
    if (err) {
      this.owner.fail(new RuntimeError(`reading stream ${this.ctx.stream} failed: ${err.message}`));
      return;
    }
    this.activity++;
    const raw = (msg as unknown as RawMsg)._msg;
    const replyBytes = raw?.reply;
    let info = replyBytes instanceof Uint8Array ? parseAckBytes(replyBytes, this.ackPrefixLength) : undefined;
    if (info === undefined) {
      // Another form (v2 ack subjects), another nats.js, or a status message without a reply.
      const reply = msg.reply as string | undefined;
      if (reply && reply.startsWith("$JS.ACK.")) info = parseAckSubject(reply);
    }
    if (info !== undefined) {
      if (info.deliverySeq !== this.expectedDelivery) {
        // A message went missing between server and us: start a new consumer after the last one we have.
        void this.reset("gap in delivery");
        return;
      }
      this.expectedDelivery++;
      if (this.outstanding > 0) this.outstanding--;
      this.notePending(info.pending, 1);
      this.lastSeq = info.streamSeq;
      this.nextSeq = info.streamSeq + 1;
      this.caughtUp = info.pending === 0;
      // Not "everything received so far": the pending count in the ack subject can trail the stream by a moment.
      if (this.caughtUp) this.emptyThrough = Math.max(this.emptyThrough, info.streamSeq, this.owner.requestSeq);
      const message: SourceMessage = { subject: this.subjects.of(msg), data: msg.data, seq: info.streamSeq, time: info.timeMs };
      if (this.ctx.headers && msg.headers !== undefined) message.headers = msg.headers;
      this.owner.deliver(this, message);
      this.pull();
      return;
    }
    const headers = msg.headers;
    if (headers === undefined) return;
    const code = headers.code;
    if (code === 100) {
      // Idle heartbeat: our pull waits with nothing sent. If messages should still be pending, they left the stream.
      if (!this.caughtUp) this.recheckPending();
      return;
    }
    const left = Number(headers.get("Nats-Pending-Messages") || 0);
    if (left > 0) this.outstanding = Math.max(0, this.outstanding - left);
    else if (code === 404 || code === 408) this.outstanding = 0;
    if (code === 409 && /consumer deleted|consumer is deleted/i.test(headers.description ?? "")) {
      void this.reset("consumer deleted");
      return;
    }
    this.pull();
  }

  /**
   * Asks the server whether this caught-up consumer still has nothing pending and nothing on its way to us: then
   * nothing stored before the question, which covers every message received so far, can come from it any more.
   * At most one question per CONFIRM_INTERVAL_MS: a busy merge waits that long rather than flood the server.
   */
  confirmEmpty(): void {
    if (this.confirming || this.stopped || this.resetting || this.name === "") return;
    this.confirming = true;
    const wait = this.lastConfirmAt + CONFIRM_INTERVAL_MS - Date.now();
    if (wait > 0) {
      setTimeout(() => {
        this.confirming = false;
        this.confirmEmpty();
      }, wait).unref();
      return;
    }
    this.lastConfirmAt = Date.now();
    const upTo = this.owner.maxReceivedSeq;
    const name = this.name;
    const delivered = this.expectedDelivery - 1;
    this.ctx.jsm.consumers.info(this.ctx.stream, name).then(
      (ci) => {
        this.confirming = false;
        // Messages arrived while we asked: the answer is about an older moment. Their arrival found the question
        // still open and asked nothing, so the merge is asked to look again now, or it could wait for ever.
        if (name !== this.name || this.expectedDelivery - 1 !== delivered) {
          this.owner.readerChanged(this);
          return;
        }
        if (ci.num_pending !== 0 || ci.delivered.consumer_seq !== delivered) {
          // Pending with no pull of ours waiting at the server: our count of what is still due is wrong (a pull
          // ended without a word); ask again. Otherwise the arrival of what is pending moves the merge on.
          if (ci.num_pending !== 0 && ci.num_waiting === 0) {
            this.outstanding = 0;
            this.pull();
          }
          return;
        }
        this.emptyThrough = Math.max(this.emptyThrough, upTo);
        this.owner.readerChanged(this);
      },
      () => {
        // The consumer may be gone (a reset follows) or the server busy: the next try waits the interval.
        this.confirming = false;
        this.owner.readerChanged(this);
      },
    );
  }

  /** `pending` left after `delivered` more messages: fewer than the last count explains were removed unread. */
  private notePending(pending: number, delivered: number): void {
    // New messages raise the count, so this can under-count removals made at the same time, never over-count.
    if (this.lastPending !== undefined && this.lastPending - delivered > pending) this.owner.removed(this.lastPending - delivered - pending);
    this.lastPending = pending;
  }

  /**
   * Asks the server how many messages are left for a consumer that should have some but sends none: a purge or the
   * stream's limits took them. With none left it is caught up; without this a replay would wait for them for ever.
   */
  private recheckPending(): void {
    if (this.rechecking || this.stopped || this.resetting || this.name === "") return;
    this.rechecking = true;
    const name = this.name;
    const delivered = this.expectedDelivery - 1;
    const upTo = this.owner.maxReceivedSeq;
    this.ctx.jsm.consumers.info(this.ctx.stream, name).then(
      (ci) => {
        this.rechecking = false;
        // Messages on their way to us, or a new consumer: the answer is about another moment.
        if (name !== this.name || this.expectedDelivery - 1 !== delivered || ci.delivered.consumer_seq !== delivered) return;
        this.notePending(ci.num_pending, 0);
        if (ci.num_pending !== 0 || this.caughtUp) return;
        this.caughtUp = true;
        this.emptyThrough = Math.max(this.emptyThrough, upTo, this.owner.requestSeq);
        this.owner.readerChanged(this);
      },
      () => {
        // The consumer may be gone (a reset follows) or the server busy: the next heartbeat asks again.
        this.rechecking = false;
      },
    );
  }

  private checkHeartbeat(): void {
    if (this.stopped || this.resetting) return;
    if (this.activity !== this.activitySeen) {
      this.activitySeen = this.activity;
      this.lastActivity = Date.now();
    }
    // With a pull waiting the server sends a heartbeat every IDLE_HEARTBEAT_MS; silence means the consumer is gone.
    if (this.outstanding > 0 && Date.now() - this.lastActivity > 2 * IDLE_HEARTBEAT_MS + 1000) {
      void this.reset("heartbeats missed");
    } else {
      this.pull();
    }
  }

  /**
   * Another reader found the stream replaced: what this one knows (caught up, empty through a sequence) is about
   * the old stream's sequences. Forgotten at once, before the async reset, so the merge waits for this reader
   * instead of taking the new stream's first messages from the others as coming before anything of this one's.
   */
  streamReplacedElsewhere(): void {
    this.caughtUp = false;
    this.emptyThrough = 0;
    void this.reset("stream replaced");
  }

  /** Replaces the consumer with a new one starting after the last message delivered (reconnects, gaps). */
  async reset(why: string): Promise<void> {
    if (this.resetting || this.stopped) return;
    this.resetting = true;
    const old = this.name;
    this.sub?.unsubscribe();
    this.sub = undefined;
    if (old !== "") this.ctx.jsm.consumers.delete(this.ctx.stream, old).catch(() => undefined);
    let attempt = 0;
    let reported = false;
    while (!this.stopped) {
      try {
        await this.create();
        if (reported) this.ctx.onStatus?.(`reading stream ${this.ctx.stream} again`);
        break;
      } catch (err) {
        attempt++;
        const deleted = isStreamNotFound(err);
        if (deleted && !this.owner.follows) {
          // Nothing more will come of a replay that was to end at the stream's end.
          this.resetting = false;
          this.owner.fail(new RuntimeError(`stream ${this.ctx.stream} was deleted while it was being read`));
          return;
        }
        if (!reported && attempt >= 3) {
          reported = true;
          this.ctx.onStatus?.(
            deleted
              ? `stream ${this.ctx.stream} was deleted: waiting for it to be created again (Ctrl-C to stop)`
              : `waiting for stream ${this.ctx.stream} (${why}): ${describeJetStreamError(err, "consumer").message}`,
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 3000)));
      }
    }
    this.resetting = false;
    this.pull();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.sub?.unsubscribe();
    this.sub = undefined;
    if (this.name !== "" && !this.ctx.nc.isClosed()) this.ctx.jsm.consumers.delete(this.ctx.stream, this.name).catch(() => undefined);
  }
}
