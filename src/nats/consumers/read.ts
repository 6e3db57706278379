// Reading through a consumer: `next` for a fixed count, `sub` until interrupted, acking as messages are shown.
import type { Consumer, ConsumerConfig, ConsumerInfo, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { RuntimeError, UsageError } from "../../errors.js";
import { sanitizeText } from "../../text/sanitize.js";
import { formatDuration } from "../../text/units.js";
import { describeJetStreamError } from "../jetstream.js";
import { consumerInfo } from "./admin.js";
import { requirePriorityGroup } from "./config.js";

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
  /** The priority group to pull in (--group). */
  group?: string;
}

/**
 * The priority group a pull goes to: a consumer with priority groups (2.11+) refuses a pull without one ("bad
 * request - priority group missing"), and one without them has no use for it.
 */
function pullGroup(ci: ConsumerInfo, group: string | undefined): string | undefined {
  const groups = (ci.config as { priority_groups?: string[] }).priority_groups ?? [];
  const name = sanitizeText(ci.name);
  if (groups.length === 0) {
    if (group !== undefined) throw new UsageError(`consumer '${name}' has no priority groups; drop --group`);
    return undefined;
  }
  const listed = groups.map(sanitizeText).join(", ");
  if (group === undefined) throw new UsageError(`consumer '${name}' pulls by priority group (${listed}): give --group ${sanitizeText(groups[0]!)}`);
  return requirePriorityGroup(ci.name, groups, group);
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
  const group = pullGroup(ci, opts.group);
  const consumer = jsm.jetstream().consumers.getConsumerFromInfo(ci);
  for (let received = 0; received < opts.count; received++) {
    let m: JsMsg | null;
    try {
      // The client asks the server for at least a second; a shorter --timeout is rounded up to it.
      const expires = Math.max(1000, opts.waitMs);
      m = group === undefined ? await consumer.next({ expires }) : await nextInGroup(consumer, expires, group);
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

/** One message pulled in a priority group (nats.js's `next` takes no group; a fetch of one does). */
async function nextInGroup(consumer: Consumer, expires: number, group: string): Promise<JsMsg | null> {
  const batch = await consumer.fetch({ max_messages: 1, expires, group });
  let first: JsMsg | null = null;
  for await (const m of batch) first ??= m;
  return first;
}

export interface FollowOptions {
  count?: number;
  /** The priority group to pull in (--group). */
  group?: string;
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
  if (ci.config.deliver_subject && opts.group !== undefined) {
    throw new UsageError(`consumer '${sanitizeText(name)}' is a push consumer; --group is for pull consumers with priority groups`);
  }
  const group = ci.config.deliver_subject ? undefined : pullGroup(ci, opts.group);
  let messages;
  try {
    if (ci.config.deliver_subject) {
      const push = await js.consumers.getPushConsumer(stream, name);
      messages = await push.consume();
    } else {
      messages = await js.consumers.getConsumerFromInfo(ci).consume(group === undefined ? { max_messages: 100 } : { max_messages: 100, group });
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

