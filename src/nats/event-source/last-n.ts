// `--last N`: where the last N matching messages begin, counted with consumers that are never read.
import type { ConsumerConfig } from "@nats-io/jetstream";
import { consumerBaseConfig, type ReplayContext } from "./consumer-config.js";

/**
 * Messages stored at or after `seq` that match `filter`, as a consumer starting there counts them: everything up to
 * the stream's end at that instant, so also what was published since the request.
 */
async function pendingFrom(ctx: ReplayContext, filter: string[], seq: number): Promise<number> {
  const cfg = consumerBaseConfig(ctx, filter, {
    deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"],
    opt_start_seq: seq,
  });
  const ci = await ctx.jsm.consumers.add(ctx.stream, cfg);
  ctx.jsm.consumers.delete(ctx.stream, ci.name).catch(() => undefined);
  return ci.num_pending;
}

/**
 * Matching messages stored after the request's last sequence: a consumer starting there that is never read, so its
 * pending count only grows. Read before and after a probe, it bounds what the probe counted that came too late.
 */
class ArrivalCounter {
  private constructor(
    private readonly ctx: ReplayContext,
    private readonly name: string,
    /** The count at the last reading. */
    public latest: number,
  ) {}

  static async open(ctx: ReplayContext, filter: string[], afterSeq: number): Promise<ArrivalCounter> {
    const cfg = consumerBaseConfig(ctx, filter, {
      deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"],
      opt_start_seq: afterSeq + 1,
    });
    const ci = await ctx.jsm.consumers.add(ctx.stream, cfg);
    return new ArrivalCounter(ctx, ci.name, ci.num_pending);
  }

  async read(): Promise<number> {
    this.latest = (await this.ctx.jsm.consumers.info(this.ctx.stream, this.name)).num_pending;
    return this.latest;
  }

  close(): void {
    this.ctx.jsm.consumers.delete(this.ctx.stream, this.name).catch(() => undefined);
  }
}

/** Where the last `count` matching messages up to the request's last sequence begin, and how many there are. */
export interface LastStart {
  seq: number;
  /** Matching messages from `seq` to the request's last sequence: `count`, or fewer when the stream holds fewer. */
  available: number;
}

/**
 * The stream sequence where the last `count` messages matching `filter` stored up to `lastSeq` (the stream's end
 * at the request) begin. JetStream has no "last N" delivery, and a consumer's pending count runs to the stream's
 * end *now*: while someone publishes, every count also holds messages stored after the request, so a plain
 * binary search over pending counts starts too late and shows fewer than N. Each probe is therefore bracketed by
 * two readings of an ArrivalCounter, which gives exact bounds on the count up to `lastSeq`; the search only moves
 * on a bound that decides, and when the final answer is not decided (a busy subject), a headers-only pass counts
 * the few candidates exactly. A whole stream without deleted messages needs no counting at all.
 */
export async function startOfLast(
  ctx: ReplayContext,
  filter: string[],
  count: number,
  firstSeq: number,
  lastSeq: number,
  interiorDeletes = true,
): Promise<LastStart> {
  // A stream that has never held a message reports first and last sequence 0: nothing to count, start at 1.
  if (lastSeq < Math.max(1, firstSeq) || count <= 0) return { seq: lastSeq + 1, available: 0 };
  if (filter.length === 0 && !interiorDeletes) {
    // Every sequence from firstSeq to lastSeq holds a message.
    const seq = Math.max(firstSeq, lastSeq - count + 1);
    return { seq, available: lastSeq - seq + 1 };
  }
  const arrivals = await ArrivalCounter.open(ctx, filter, lastSeq);
  try {
    /** The number of matching messages from `seq` to `lastSeq`, as bounds (equal when nothing arrived meanwhile). */
    const countFrom = async (seq: number): Promise<{ low: number; high: number }> => {
      const before = arrivals.latest;
      const pending = await pendingFrom(ctx, filter, seq);
      const after = await arrivals.read();
      return { low: pending - after, high: pending - before };
    };
    const total = await countFrom(firstSeq);
    if (total.high <= count && total.low === total.high) return { seq: firstSeq, available: total.low };
    let lo = firstSeq;
    let loHigh = total.high;
    if (total.low >= count) {
      // Invariant: at least `count` from lo on (decided); fewer than `count` from hi + 1 on (decided when hiDecided).
      let hi = lastSeq;
      let hiDecided = true;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        const c = await countFrom(mid);
        if (c.low >= count) {
          lo = mid;
          loHigh = c.high;
        } else {
          hi = mid - 1;
          hiDecided = c.high < count;
        }
      }
      // At least `count` from lo and fewer from lo + 1: exactly `count` from lo.
      if (hiDecided) return { seq: lo, available: count };
    }
    return await countExactly(ctx, filter, lo, lastSeq, count, Math.max(0, loHigh - count));
  } finally {
    arrivals.close();
  }
}

/**
 * Reads the matching messages from `fromSeq` to `lastSeq` (headers only: no payloads) and returns where the last
 * `count` of them begin. Only the first `maxExcess + 1` sequences are kept: the start is one of them.
 */
async function countExactly(
  ctx: ReplayContext,
  filter: string[],
  fromSeq: number,
  lastSeq: number,
  count: number,
  maxExcess: number,
): Promise<LastStart> {
  const cfg = consumerBaseConfig(ctx, filter, {
    deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"],
    opt_start_seq: fromSeq,
  });
  const ci = await ctx.jsm.consumers.add(ctx.stream, { ...cfg, headers_only: true });
  const seqs: number[] = [];
  let matching = 0;
  try {
    const consumer = await ctx.jsm.jetstream().consumers.get(ctx.stream, ci.name);
    let end = ci.num_pending === 0;
    while (!end) {
      const messages = await consumer.fetch({ max_messages: 10_000, expires: 2000 });
      let got = 0;
      for await (const m of messages) {
        got++;
        if (m.seq > lastSeq) {
          end = true;
          break;
        }
        matching++;
        if (seqs.length <= maxExcess) seqs.push(m.seq);
        if (m.info.pending === 0) {
          end = true;
          break;
        }
      }
      if (got === 0) end = true;
    }
  } finally {
    ctx.jsm.consumers.delete(ctx.stream, ci.name).catch(() => undefined);
  }
  if (matching <= count) return { seq: fromSeq, available: matching };
  const excess = matching - count;
  if (excess < seqs.length) return { seq: seqs[excess]!, available: count };
  // More than the bounds allowed (messages were removed meanwhile): count again keeping enough.
  return countExactly(ctx, filter, fromSeq, lastSeq, count, excess);
}
