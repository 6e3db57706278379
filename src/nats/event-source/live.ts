// Live: core subscriptions with callbacks (no per-message promise), drops counted when the output is backed up or
// the server is about to cut us off as a slow consumer.
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { RuntimeError } from "../../errors.js";
import { isAckReplyBytes, type RawMsg } from "./ack-subject.js";
import { deferredDone, guardOnMessage } from "./delivery.js";
import { DEFAULT_MAX_BACKLOG, DEFAULT_MAX_LAG_BYTES, type EventSource, type EventSourceOptions, type SourceMessage } from "./types.js";

const LAG_PROBE_MS = 200;

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

/**
 * How far the server is ahead of a core subscription, measured the only way the protocol allows: a PING queues
 * behind every message the server still holds for this connection, so the payload bytes that arrive before its
 * PONG are a lower bound of what was waiting. A server that holds more than its max_pending (64 MiB by default)
 * for a client closes the connection as a slow consumer, and everything it held and everything published until
 * the reconnect is lost, uncounted. Past `maxLagBytes`, messages are therefore dropped here, quickly and counted,
 * until the PONG arrives: then we have caught up with the moment of the PING.
 */
class LagGuard {
  /** Drop what arrives until the pending PONG. */
  shedding = false;
  private waiting = false;
  private bytesAhead = 0;
  private seen = 0;
  private seenAtProbe = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly maxLagBytes: number,
  ) {
    this.timer = setInterval(() => this.probe(), LAG_PROBE_MS);
    this.timer.unref();
  }

  /** Notes a message of `bytes`; true when it should be dropped. */
  note(bytes: number): boolean {
    this.seen++;
    if (this.waiting) {
      this.bytesAhead += bytes;
      if (this.bytesAhead > this.maxLagBytes) this.shedding = true;
    }
    return this.shedding;
  }

  /** A ping when messages arrived since the last one (an idle subscription sends none). */
  private probe(): void {
    if (this.waiting || this.seen === this.seenAtProbe || this.nc.isClosed()) return;
    this.seenAtProbe = this.seen;
    this.waiting = true;
    this.bytesAhead = 0;
    const caughtUp = () => {
      const wasShedding = this.shedding;
      this.waiting = false;
      this.shedding = false;
      // Measure again at once: what was published while we caught up may be as much.
      if (wasShedding) this.probe();
    };
    this.nc.flush().then(caughtUp, caughtUp);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function openLiveSource(nc: NatsConnection, subjects: string[], options: EventSourceOptions): EventSource {
  const done = deferredDone();
  const drops = new DropReporter(options.onDrop);
  const backlog = options.backlog;
  const maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
  const maxLagBytes = options.maxLagBytes ?? DEFAULT_MAX_LAG_BYTES;
  const lag = Number.isFinite(maxLagBytes) ? new LagGuard(nc, maxLagBytes) : undefined;
  const onMessage = guardOnMessage(options.onMessage, options.onStatus);
  const withHeaders = options.headers === true;
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
    void stop();
    done.reject(err);
  };

  for (const subject of subjects) {
    const sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) {
          fail(new RuntimeError(`subscription to ${subject} failed: ${err.message}`));
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
        if (!isDelivery && !shownHeaders) onMessage({ subject: msg.subject, data });
        else {
          const message: SourceMessage = { subject: msg.subject, data };
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
