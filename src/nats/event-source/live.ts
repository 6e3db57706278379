// Live: core subscriptions with callbacks (no per-message promise), drops counted when the output is backed up or
// the server is about to cut us off as a slow consumer.
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { RuntimeError } from "../../errors.js";
import { isAckReplyBytes, SubjectCache, type RawMsg } from "./ack-subject.js";
import { deferredDone, guardOnMessage } from "./delivery.js";
import { DEFAULT_MAX_BACKLOG, DEFAULT_MAX_LAG_BYTES, DEFAULT_MAX_LAG_MS, type EventSource, type EventSourceOptions, type SourceMessage } from "./types.js";


/** Counts drops and reports them at most once a second (and once more at the end). */
class DropReporter {
  dropped = 0;
  private unreported = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onDrop: ((n: number) => void) | undefined) {}

  drop(): void {
    this.dropped++;
    this.unreported++;
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), 1000);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.unreported > 0) {
      const n = this.unreported;
      this.unreported = 0;
      this.onDrop?.(n);
    }
  }
}

/** Least time between two lag PINGs: far below the lag that sheds (DEFAULT_MAX_LAG_MS), far above a loopback PONG. */
const MIN_PROBE_GAP_MS = 25;

/**
 * How far the server is ahead of a core subscription, measured the only way the protocol allows: a PING queues
 * behind every message the server still holds for this connection, so what arrives before its PONG was waiting.
 * A server that holds more than its max_pending (64 MiB by default) for a client closes the connection as a slow
 * consumer, and everything it held and everything published until the reconnect is lost, uncounted; 2.9 holds the
 * publishers back first, 2.10+ hardly at all. So while messages flow a PING is always out, and messages are
 * dropped here, quickly and counted, until its PONG arrives (then we have caught up with the moment of the PING)
 * once either the payload that came before it passes `maxLagBytes` or it is `maxLagMs` later than the quickest
 * PONG seen. Counting bytes alone is too slow: they arrive at the handler's pace while the server's queue grows
 * at the publishers'.
 */
class LagGuard {
  /** Drop what arrives until the pending PONG. */
  shedding = false;
  private waiting = false;
  private sentAt = 0;
  private bytesAhead = 0;
  private notesAhead = 0;
  private notesIdle = 0;
  private quickestPongMs = Infinity;
  private stopped = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly maxLagBytes: number,
    private readonly maxLagMs: number,
  ) {
    // The round trip before any backlog, so a remote server's is not taken for lag.
    const sentAt = performance.now();
    nc.flush().then(
      () => (this.quickestPongMs = Math.min(this.quickestPongMs, performance.now() - sentAt)),
      () => undefined,
    );
  }

  /** Notes a message of `bytes`; true when it should be dropped. */
  note(bytes: number): boolean {
    if (!this.waiting) {
      // A PING (and a socket write for it) per few messages cost more than the guard saves: at most one every
      // MIN_PROBE_GAP_MS, the clock read every 16 messages.
      if ((++this.notesIdle & 15) === 1 && performance.now() - this.sentAt >= MIN_PROBE_GAP_MS) this.probe();
      return this.shedding;
    }
    this.bytesAhead += bytes;
    if (this.bytesAhead > this.maxLagBytes) this.shedding = true;
    // The clock every few messages: reading it per message would cost more than a fast handler.
    else if ((++this.notesAhead & 15) === 0 && this.lateBy() > this.maxLagMs) {
      this.shedding = true;
    }
    return this.shedding;
  }

  /** How much later than the quickest PONG the pending one is already. */
  private lateBy(): number {
    const quickest = Number.isFinite(this.quickestPongMs) ? this.quickestPongMs : 0;
    return performance.now() - this.sentAt - quickest;
  }

  /** A ping behind what the server holds now; the next goes out with the first message after its PONG. */
  private probe(): void {
    if (this.stopped || this.nc.isClosed()) return;
    this.waiting = true;
    this.sentAt = performance.now();
    this.bytesAhead = 0;
    this.notesAhead = 0;
    this.notesIdle = 0;
    const caughtUp = () => {
      const pongMs = performance.now() - this.sentAt;
      // A PONG that was not held up by a backlog tells the round trip (a remote sensor's is not a loopback's).
      if (!this.shedding && this.bytesAhead < 64 * 1024) this.quickestPongMs = Math.min(this.quickestPongMs, pongMs);
      this.waiting = false;
      this.shedding = false;
    };
    this.nc.flush().then(caughtUp, caughtUp);
  }

  stop(): void {
    this.stopped = true;
  }
}

export function openLiveSource(nc: NatsConnection, subjects: string[], options: EventSourceOptions): EventSource {
  const done = deferredDone();
  const drops = new DropReporter(options.onDrop);
  const backlog = options.backlog;
  const maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
  const maxLagBytes = options.maxLagBytes ?? DEFAULT_MAX_LAG_BYTES;
  const lag = Number.isFinite(maxLagBytes) ? new LagGuard(nc, maxLagBytes, options.maxLagMs ?? DEFAULT_MAX_LAG_MS) : undefined;
  const onMessage = guardOnMessage(options.onMessage, options.onStatus);
  const withHeaders = options.headers === true;
  // nats.js would decode the subject again for every message (about 0.35 us each, a few percent of a filtered tail).
  const subjectTexts = new SubjectCache();
  let received = 0;
  let stopped = false;
  const subs: Subscription[] = [];

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    lag?.stop();
    for (const sub of subs) sub.unsubscribe();
    drops.flush();
    done.resolve();
  };
  const fail = (err: unknown) => {
    if (stopped) return;
    // Rejected before stop() resolves it: the other order ended a failed subscription as if it had finished.
    done.reject(err);
    void stop();
  };

  for (const subscribed of subjects) {
    const sub = nc.subscribe(subscribed, {
      callback: (err, msg) => {
        if (err) {
          fail(new RuntimeError(`subscription to ${subscribed} failed: ${err.message}`));
          return;
        }
        if (stopped) return;
        received++;
        const data = msg.data;
        if ((lag !== undefined && lag.note(data.length)) || (backlog !== undefined && backlog() > maxBacklog)) {
          drops.drop();
          return;
        }
        // A push consumer's delivery carries its metadata in an ack subject; plain events (or a JetStream
        // publish's PubAck inbox) are told apart on the raw bytes, without decoding a reply per message.
        const replyBytes = (msg as unknown as RawMsg)._msg?.reply;
        const isDelivery = replyBytes instanceof Uint8Array && isAckReplyBytes(replyBytes);
        const shownHeaders = withHeaders && msg.headers !== undefined;
        const subject = subjectTexts.of(msg);
        if (!isDelivery && !shownHeaders) onMessage({ subject, data });
        else {
          const message: SourceMessage = { subject, data };
          if (isDelivery) message.reply = msg.reply;
          if (shownHeaders) message.headers = msg.headers;
          onMessage(message);
        }
      },
    });
    subs.push(sub);
  }
  nc.closed().then(
    () => void stop(),
    (err) => fail(err),
  );
  return {
    mode: "live",
    done: done.promise,
    stop,
    counts: () => ({ received, dropped: drops.dropped }),
  };
}
