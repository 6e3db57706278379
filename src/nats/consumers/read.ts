// Reading through a consumer: `next` for a fixed count, `sub` until interrupted, acking as messages are shown.
import type { ConsumerConfig, ConsumerInfo, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { formatDuration } from "../../text/units.js";
import { describeJetStreamError } from "../jetstream.js";
import { consumerInfo } from "./admin.js";

/** What to do with each message once it has been written out. */
export type AckAction = "ack" | "nak" | "term" | "none";

async function settle(m: JsMsg, action: AckAction, policy: ConsumerConfig["ack_policy"]): Promise<void> {
  if (policy === "none" || action === "none") return;
  if (action === "nak") m.nak();
  else if (action === "term") m.term();
  // Wait for the server to confirm, so "exit 0" means the acks were taken.
  else await m.ackAck();
}

export interface NextOptions {
  count: number;
  waitMs: number;
  action: AckAction;
}

/** Pulls `count` messages one at a time; each is handed to `onMessage` (which writes it) and then settled. */
export async function nextMessages(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  opts: NextOptions,
  onMessage: (m: JsMsg, info: ConsumerInfo) => Promise<void>,
): Promise<number> {
  const ci = await consumerInfo(jsm, stream, name);
  if (ci.config.deliver_subject) {
    throw new RuntimeError(
      `consumer '${name}' is a push consumer (it delivers to ${ci.config.deliver_subject}); 'consumer next' reads pull consumers: use 'nsm4home consumer sub ${stream} ${name}'`,
    );
  }
  const consumer = jsm.jetstream().consumers.getConsumerFromInfo(ci);
  for (let received = 0; received < opts.count; received++) {
    let m: JsMsg | null;
    try {
      // The client asks the server for at least a second; a shorter --timeout is rounded up to it.
      m = await consumer.next({ expires: Math.max(1000, opts.waitMs) });
    } catch (err) {
      throw describeJetStreamError(err, `consumer next ${stream} ${name}`);
    }
    if (m === null) {
      throw new RuntimeError(
        `no message from consumer '${name}' within ${formatDuration(Math.max(1000, opts.waitMs))} (received ${received} of ${opts.count}); raise --timeout or check 'nsm4home consumer info ${stream} ${name}'`,
      );
    }
    await onMessage(m, ci);
    await settle(m, opts.action, ci.config.ack_policy);
  }
  return opts.count;
}

export interface FollowOptions {
  count?: number;
  action: AckAction;
  signal: AbortSignal;
  /** A first delivery of a stream sequence already shown (a server that lost its consumer state on a crash). */
  onReplay?: (streamSequence: number) => void;
}

/**
 * Remembers the stream sequences shown in this session. A server killed before it stored the consumer's acks
 * delivers those messages again as first deliveries (delivery count 1, same stream sequence): scripts counting
 * `consumer sub` output would count them twice. A real redelivery (count > 1) is still shown: it says so itself.
 */
export class ReplayGuard {
  private readonly seen = new Set<number>();
  private readonly order: number[] = [];

  constructor(private readonly limit = 100_000) {}

  isReplay(streamSequence: number, deliveryCount: number): boolean {
    if (this.seen.has(streamSequence)) return deliveryCount <= 1;
    this.seen.add(streamSequence);
    this.order.push(streamSequence);
    if (this.order.length > this.limit) this.seen.delete(this.order.shift()!);
    return false;
  }
}

/** Follows a pull or push consumer until `signal` aborts (or `count` messages), settling each after it is shown. */
export async function followConsumer(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  opts: FollowOptions,
  onMessage: (m: JsMsg, info: ConsumerInfo) => Promise<void>,
): Promise<number> {
  const ci = await consumerInfo(jsm, stream, name);
  const js = jsm.jetstream();
  let messages;
  try {
    if (ci.config.deliver_subject) {
      const push = await js.consumers.getPushConsumer(stream, name);
      messages = await push.consume();
    } else {
      messages = await js.consumers.getConsumerFromInfo(ci).consume({ max_messages: 100 });
    }
  } catch (err) {
    throw describeJetStreamError(err, `consumer sub ${stream} ${name}`);
  }
  const stop = () => void messages.close();
  if (opts.signal.aborted) stop();
  opts.signal.addEventListener("abort", stop, { once: true });
  let received = 0;
  const replays = new ReplayGuard();
  try {
    for await (const m of messages) {
      if (replays.isReplay(m.info.streamSequence, m.info.deliveryCount)) {
        // Already shown and settled in this session: settle again so the server moves on, print nothing.
        await settle(m, opts.action, ci.config.ack_policy);
        opts.onReplay?.(m.info.streamSequence);
        continue;
      }
      await onMessage(m, ci);
      await settle(m, opts.action, ci.config.ack_policy);
      received++;
      if (opts.count !== undefined && received >= opts.count) break;
    }
  } finally {
    opts.signal.removeEventListener("abort", stop);
    await messages.close().catch(() => undefined);
  }
  return received;
}

