// The one way commands receive events: live from core NATS subscriptions, or replayed from the stream through
// ordered pull consumers and then followed live on the same consumers (no gap, no duplicate between the two).
//
// Live mode cannot slow the publisher down, so when the caller's output is backed up past `maxBacklog` a message
// is dropped and counted (onDrop), never lost silently. Replay mode simply stops pulling until the output drains.
// Several subjects on a 2.9 server (no filter_subjects) get one consumer each, merged back into stream order.
import { randomBytes } from "node:crypto";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { ConsumerConfig, JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError } from "../errors.js";
import type { ResolvedConnection } from "./connection.js";
import { describeJetStreamError, openJetStreamManager, serverVersion, versionAtLeast } from "./jetstream.js";

export interface SourceMessage {
  subject: string;
  /** The payload as received (may be a view into a read buffer: copy it to keep it past the callback). */
  data: Uint8Array;
  /** Stream sequence (replay mode only). */
  seq?: number;
  /** Time the stream stored the message, epoch ms (replay mode only). */
  time?: number;
}

/** Where a replay starts; absent means live only. */
export type ReplayStart =
  | { kind: "all" }
  | { kind: "seq"; seq: number }
  | { kind: "time"; time: Date }
  | { kind: "last"; count: number }
  /** Only messages stored from now on, through the stream (ordered, gap-free, like replay). */
  | { kind: "new" };

export interface EventSourceOptions {
  subjects: string[];
  start?: ReplayStart;
  /** Replay only: keep following new messages after the end of the stream (default true). */
  follow?: boolean;
  /** Replay only: the stream to read; default the stream whose subjects capture `subjects`. */
  streamName?: string;
  /** Replay only: messages asked for per pull (default 2000). */
  batch?: number;
  onMessage(msg: SourceMessage): void;
  /**
   * Live mode: messages dropped because the output was backed up, or because the server held so much for us that
   * it was about to cut the connection off as a slow consumer; called at most once a second.
   */
  onDrop?(count: number): void;
  /** Progress lines worth a user's attention ("waiting for stream ..."); default: none. */
  onStatus?(line: string): void;
  /** How much output is waiting downstream (e.g. LineWriter.backlog). */
  backlog?: () => number;
  /** Live mode drops above this backlog; default 64 MiB. Replay pauses above the smaller of this and 4 MiB. */
  maxBacklog?: number;
  /**
   * Live mode: how far behind the server we may fall (bytes it holds for this connection, measured with a ping)
   * before messages are dropped and counted to catch up; default 32 MiB. Infinity never drops for this.
   */
  maxLagBytes?: number;
}

export interface EventSourceCounts {
  /** Messages that arrived (shown to onMessage or dropped). */
  received: number;
  /** Live mode messages dropped because the output could not keep up. */
  dropped: number;
}

export interface EventSource {
  readonly mode: "live" | "replay";
  /** Replay mode: the stream read. */
  readonly streamName?: string;
  /**
   * Replay mode: the stream's last sequence when the source opened. `--last N` means the last N matching messages
   * up to here; what is stored later is followed (or, without follow, left out).
   */
  readonly replayEndSeq?: number;
  /** Replay with follow=false: the last stream sequence that will be delivered (= replayEndSeq). */
  readonly endSeq?: number;
  /** Resolves when the source ended (stop(), or the end of the stream without follow); rejects on a fatal error. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
  counts(): EventSourceCounts;
}

export const DEFAULT_MAX_BACKLOG = 64 * 1024 * 1024;
/**
 * Half the server's default max_pending (64 MiB), past which it closes a slow consumer's connection; short of that
 * it holds the publishers back, which a viewer must not do to the sensors' pipeline. Bursts below this are
 * absorbed without a loss.
 */
export const DEFAULT_MAX_LAG_BYTES = 32 * 1024 * 1024;
const LAG_PROBE_MS = 200;
/** A live merge asks a caught-up consumer whether it is still empty at most this often. */
const CONFIRM_INTERVAL_MS = 25;
/** Replay loses nothing by waiting, so it stops pulling early and keeps memory low. */
const REPLAY_PAUSE_BACKLOG = 4 * 1024 * 1024;
const DEFAULT_BATCH = 2000;
const PULL_EXPIRES_MS = 30_000;
const IDLE_HEARTBEAT_MS = 5_000;
const CONSUMER_INACTIVE_MS = 30_000;
const BACKLOG_POLL_MS = 10;

// ---------------------------------------------------------------------------------------------------------------
// Subjects

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (pattern === subject) return true;
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== "*" && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Drops subjects another one in the list already covers (`suricata.>` covers `suricata.dns`), and repeats. */
export function dedupeSubjects(subjects: string[]): string[] {
  const unique = [...new Set(subjects)];
  return unique.filter((s) => !unique.some((other) => other !== s && subjectMatches(other, s)));
}

// ---------------------------------------------------------------------------------------------------------------
// JetStream ack subjects carry each message's metadata; parsing them ourselves avoids the library's per-message
// objects on the replay hot path.

export interface AckInfo {
  streamSeq: number;
  deliverySeq: number;
  /** Messages left for this consumer after this one. */
  pending: number;
  /** Stored time, epoch ms. */
  timeMs: number;
}

/** Decimal digits of `s` from `start` to `end` as a number; NaN when anything else is there. */
function digits(s: string, start: number, end: number): number {
  if (end <= start) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

const MAX_ACK_TOKENS = 16;
const dots = new Int32Array(MAX_ACK_TOKENS);
/** Filled by parseAckSubject on every call: one object for the whole replay instead of one per message. */
const ackInfo: AckInfo = { streamSeq: 0, deliverySeq: 0, pending: 0, timeMs: 0 };

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>`, or the v2 form with domain, account
 * hash and a trailing token. Scanned in place: split() would allocate a dozen strings per message. The result is
 * the same object every time: read it before the next call.
 */
export function parseAckSubject(reply: string): AckInfo | undefined {
  let count = 0;
  for (let i = reply.indexOf("."); i !== -1; i = reply.indexOf(".", i + 1)) {
    if (count === MAX_ACK_TOKENS - 1) return undefined;
    dots[count++] = i;
  }
  // Token k spans (dots[k-1], dots[k]); the last token ends at the end of the string.
  let base: number;
  if (count === 8) base = 5;
  else if (count >= 10) base = 7;
  else return undefined;
  const streamSeq = digits(reply, dots[base - 1]! + 1, dots[base]!);
  const deliverySeq = digits(reply, dots[base]! + 1, dots[base + 1]!);
  const pending = digits(reply, dots[base + 2]! + 1, base + 3 < count ? dots[base + 3]! : reply.length);
  if (Number.isNaN(streamSeq) || Number.isNaN(deliverySeq) || Number.isNaN(pending)) return undefined;
  ackInfo.streamSeq = streamSeq;
  ackInfo.deliverySeq = deliverySeq;
  ackInfo.pending = pending;
  // Nanoseconds exceed 2^53: the digits fold into a double, precise to well under a millisecond.
  ackInfo.timeMs = digits(reply, dots[base + 1]! + 1, dots[base + 2]!) / 1e6;
  return ackInfo;
}

/**
 * The numbers after `prefixLength` bytes of an ack subject held as bytes (`<delivered>.<sseq>.<dseq>.<ts>.<pending>`,
 * the v1 form whose prefix, `$JS.ACK.<stream>.<consumer>.`, the caller knows). Into the shared result; undefined
 * when the bytes are not exactly that (the caller then parses the string).
 */
export function parseAckBytes(bytes: Uint8Array, prefixLength: number): AckInfo | undefined {
  const end = bytes.length;
  if (prefixLength >= end || bytes[prefixLength - 1] !== 46 || bytes[0] !== 36) return undefined;
  let i = prefixLength;
  let token = 0;
  let n = 0;
  let digitsSeen = 0;
  let streamSeq = 0;
  let deliverySeq = 0;
  let ts = 0;
  for (; i <= end; i++) {
    const c = i < end ? bytes[i]! : 46;
    if (c === 46) {
      if (digitsSeen === 0) return undefined;
      if (token === 1) streamSeq = n;
      else if (token === 2) deliverySeq = n;
      else if (token === 3) ts = n;
      else if (token === 4) {
        if (i !== end) return undefined;
        ackInfo.streamSeq = streamSeq;
        ackInfo.deliverySeq = deliverySeq;
        ackInfo.timeMs = ts / 1e6;
        ackInfo.pending = n;
        return ackInfo;
      }
      token++;
      n = 0;
      digitsSeen = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
    digitsSeen++;
  }
  return undefined;
}

/** Subjects decoded once: a replay sees the same few subjects (one per event type) over and over. */
class SubjectCache {
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];
  private readonly decoder = new TextDecoder();

  text(b: Uint8Array): string {
    const n = b.length;
    outer: for (let k = 0; k < this.bytes.length; k++) {
      const c = this.bytes[k]!;
      if (c.length !== n) continue;
      // From the end: subjects share their prefix and differ in the last token.
      for (let i = n - 1; i >= 0; i--) if (c[i] !== b[i]) continue outer;
      return this.texts[k]!;
    }
    const text = this.decoder.decode(b);
    if (this.bytes.length < 32) {
      this.bytes.push(b.slice());
      this.texts.push(text);
    }
    return text;
  }
}

/** nats.js 3.3 keeps a message's subject and reply as bytes until asked (MsgImpl._msg); read them there if so. */
interface RawMsg {
  _msg?: { subject?: unknown; reply?: unknown };
}

// ---------------------------------------------------------------------------------------------------------------

export async function openEventSource(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  options: EventSourceOptions,
): Promise<EventSource> {
  const subjects = dedupeSubjects(options.subjects);
  if (subjects.length === 0) throw new RuntimeError("no subject to read: give an event type or a subject");
  if (options.start === undefined) return openLiveSource(nc, subjects, options);
  return openReplaySource(nc, resolved, subjects, options.start, options);
}

function deferredDone(): { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that only stop()s never awaits done: do not let a rejection surface as unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

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

// ---------------------------------------------------------------------------------------------------------------
// Live: core subscriptions with callbacks (no per-message promise), drops counted when the output is backed up or
// the server is about to cut us off as a slow consumer.

/**
 * Calls the consumer's onMessage so that one event it cannot handle (a bug, an input nobody foresaw) costs that
 * event, said on stderr, and not the subscription: an exception thrown into nats.js closes the subscription
 * silently and every later event is lost.
 */
function guardOnMessage(onMessage: (msg: SourceMessage) => void): (msg: SourceMessage) => void {
  let failures = 0;
  let lastReport = 0;
  return (msg) => {
    try {
      onMessage(msg);
    } catch (err) {
      failures++;
      const now = Date.now();
      if (now - lastReport >= 1000) {
        lastReport = now;
        const where = msg.seq !== undefined ? `${msg.subject} #${msg.seq}` : msg.subject;
        process.stderr.write(`nsm4home: could not show an event (${where}): ${(err as Error)?.message ?? String(err)}; ${failures} so far, going on\n`);
      }
    }
  };
}

function openLiveSource(nc: NatsConnection, subjects: string[], options: EventSourceOptions): EventSource {
  const done = deferredDone();
  const drops = new DropReporter(options.onDrop);
  const backlog = options.backlog;
  const maxBacklog = options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
  const maxLagBytes = options.maxLagBytes ?? DEFAULT_MAX_LAG_BYTES;
  const lag = Number.isFinite(maxLagBytes) ? new LagGuard(nc, maxLagBytes) : undefined;
  const onMessage = guardOnMessage(options.onMessage);
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
        onMessage({ subject: msg.subject, data });
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

// ---------------------------------------------------------------------------------------------------------------
// Replay: ordered pull consumers we drive ourselves, so that pulling stops while the output is backed up.

/** The stream whose subjects capture every one of `subjects`, or a RuntimeError saying what to do. */
export async function findStreamFor(jsm: JetStreamManager, subjects: string[]): Promise<string> {
  const names = new Set<string>();
  for (const subject of subjects) {
    try {
      names.add(await jsm.streams.find(subject));
    } catch (err) {
      const e = err as Error;
      if (/no stream matches subject/i.test(e.message ?? "")) {
        throw new RuntimeError(
          `no stream captures ${subject}: create one with 'nsm4home stream add --defaults', or name it with --stream`,
        );
      }
      throw describeJetStreamError(err, `finding the stream for ${subject}`);
    }
  }
  if (names.size > 1) {
    throw new RuntimeError(`the subjects are stored in different streams (${[...names].join(", ")}): replay one stream at a time`);
  }
  return [...names][0]!;
}

type StartConfig = Pick<ConsumerConfig, "deliver_policy"> & Partial<Pick<ConsumerConfig, "opt_start_seq" | "opt_start_time">>;

function startConfig(start: ReplayStart): StartConfig {
  switch (start.kind) {
    case "all":
    case "last":
      return { deliver_policy: "all" as ConsumerConfig["deliver_policy"] };
    case "new":
      return { deliver_policy: "new" as ConsumerConfig["deliver_policy"] };
    case "seq":
      return { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: Math.max(1, start.seq) };
    case "time":
      return { deliver_policy: "by_start_time" as ConsumerConfig["deliver_policy"], opt_start_time: start.time.toISOString() };
  }
}

function filterConfig(filter: string[]): Partial<ConsumerConfig> {
  if (filter.length === 0) return {};
  return filter.length === 1 ? { filter_subject: filter[0] } : { filter_subjects: filter };
}

interface ReplayContext {
  nc: NatsConnection;
  jsm: JetStreamManager;
  stream: string;
  prefix: string;
  inboxPrefix: string;
  batch: number;
  nanos: (ms: number) => number;
  createInbox: (prefix?: string) => string;
  onStatus?: (line: string) => void;
}

/**
 * A consumer name unique enough to never meet another (48 random bits), and short: it is in the ack subject of
 * every message, which both the server and the client's parser handle byte by byte.
 */
function consumerName(): string {
  return `nsm4home_${randomBytes(6).toString("base64url")}`;
}

function consumerBaseConfig(ctx: ReplayContext, filter: string[], start: StartConfig): Partial<ConsumerConfig> {
  return {
    name: consumerName(),
    ack_policy: "none" as ConsumerConfig["ack_policy"],
    replay_policy: "instant" as ConsumerConfig["replay_policy"],
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: ctx.nanos(CONSUMER_INACTIVE_MS),
    ...filterConfig(filter),
    ...start,
  };
}

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
  if (lastSeq < firstSeq || count <= 0) return { seq: lastSeq + 1, available: 0 };
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

class OrderedReader {
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
  private lastConfirmAt = 0;
  /** The stream sequence the consumer looks at next. */
  private nextSeq = 1;
  private created = false;
  private stopped = false;
  private readonly subjects = new SubjectCache();
  /** Bytes of `$JS.ACK.<stream>.<consumer>.` in this consumer's ack subjects. */
  private ackPrefixLength = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: ReplayContext,
    readonly filter: string[],
    private readonly start: StartConfig,
    private readonly owner: ReplayRunner,
  ) {}

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
    const start: StartConfig =
      this.lastSeq > 0
        ? { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: this.lastSeq + 1 }
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
    this.created = true;
    this.caughtUp = ci.num_pending === 0;
    this.nextSeq = ci.delivered.stream_seq + 1;
    if (this.caughtUp) this.emptyThrough = Math.max(this.emptyThrough, this.owner.requestSeq);
    this.owner.readerChanged(this);
    this.pull();
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
      this.lastSeq = info.streamSeq;
      this.nextSeq = info.streamSeq + 1;
      this.caughtUp = info.pending === 0;
      // Not "everything received so far": the pending count in the ack subject can trail the stream by a moment.
      if (this.caughtUp) this.emptyThrough = Math.max(this.emptyThrough, info.streamSeq, this.owner.requestSeq);
      const subjectBytes = raw?.subject;
      const subject = subjectBytes instanceof Uint8Array ? this.subjects.text(subjectBytes) : msg.subject;
      this.owner.deliver(this, { subject, data: msg.data, seq: info.streamSeq, time: info.timeMs });
      this.pull();
      return;
    }
    const headers = msg.headers;
    if (headers === undefined) return;
    const code = headers.code;
    if (code === 100) return; // idle heartbeat
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
        // Something pending or on its way (or already here): its arrival moves the merge on.
        if (name !== this.name || this.expectedDelivery - 1 !== delivered) return;
        if (ci.num_pending !== 0 || ci.delivered.consumer_seq !== delivered) return;
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
        if (!reported && attempt >= 3) {
          reported = true;
          this.ctx.onStatus?.(`waiting for stream ${this.ctx.stream} (${why}): ${describeJetStreamError(err, "consumer").message}`);
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

class ReplayRunner {
  readers: OrderedReader[] = [];
  received = 0;
  /** Messages at the front of the merged order to leave out (--last N over several consumers). */
  skip = 0;
  /** The highest stream sequence any reader has received. */
  maxReceivedSeq = 0;
  private stopped = false;
  private backlogTimer: NodeJS.Timeout | undefined;
  readonly done = deferredDone();
  private readonly toConsumer: (msg: SourceMessage) => void;

  constructor(
    private readonly options: EventSourceOptions,
    private readonly endSeq: number | undefined,
    private readonly batch: number,
    /** The stream's last sequence at the request: a reader caught up after it holds nothing up to here. */
    readonly requestSeq: number,
  ) {
    this.toConsumer = guardOnMessage(options.onMessage);
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

  /** A reader was (re)created: its caught-up state may let the merge move on. */
  readerChanged(_reader: OrderedReader): void {
    if (this.readers.length > 1) this.pump();
    this.checkEnd();
  }

  private emit(msg: SourceMessage): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.received++;
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
    void this.stop();
    this.done.reject(err);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.backlogTimer !== undefined) clearTimeout(this.backlogTimer);
    for (const r of this.readers) r.stop();
    this.done.resolve();
  }
}

async function openReplaySource(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  subjects: string[],
  start: ReplayStart,
  options: EventSourceOptions,
): Promise<EventSource> {
  const core = await import("@nats-io/nats-core");
  const jsm = await openJetStreamManager(nc, resolved);
  const stream = options.streamName ?? (await findStreamFor(jsm, subjects));
  let info;
  try {
    info = await jsm.streams.info(stream);
  } catch (err) {
    throw describeJetStreamError(err, `stream ${stream}`);
  }
  const batch = Math.max(1, options.batch ?? DEFAULT_BATCH);
  const ctx: ReplayContext = {
    nc,
    jsm,
    stream,
    // The manager's own prefix: pulls must go where it created the consumers (a domain wins over an API prefix).
    prefix: jsm.getOptions().apiPrefix!,
    inboxPrefix: resolved.inboxPrefix ?? "_INBOX",
    batch,
    nanos: core.nanos,
    createInbox: core.createInbox,
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
  };
  const follow = options.follow !== false;
  const lastSeqAtStart = info.state.last_seq;
  const endSeq = follow ? undefined : lastSeqAtStart;

  // The stream's own subjects need no filter when they are exactly what was asked for.
  const covering = subjects.length === 1 && info.config.subjects?.length === 1 && info.config.subjects[0] === subjects[0];
  const multiFilter = versionAtLeast(serverVersion(nc), "2.10.0");
  const filters: string[][] = covering ? [[]] : subjects.length === 1 || multiFilter ? [subjects] : subjects.map((s) => [s]);

  const runner = new ReplayRunner(options, endSeq, batch, lastSeqAtStart);
  const plans: Array<{ filter: string[]; start: StartConfig; available?: number }> = [];
  for (const filter of filters) {
    if (start.kind === "last") {
      const at = await startOfLast(ctx, filter, start.count, info.state.first_seq, lastSeqAtStart, info.state.num_deleted > 0);
      plans.push({
        filter,
        start: { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: at.seq },
        available: at.available,
      });
    } else if (start.kind === "time" && start.time.getTime() > Date.parse(info.state.last_ts)) {
      // A 2.9 server starts a consumer whose start time lies past the last message at the first message instead.
      plans.push({
        filter,
        start: { deliver_policy: "by_start_sequence" as ConsumerConfig["deliver_policy"], opt_start_seq: lastSeqAtStart + 1 },
      });
    } else {
      plans.push({ filter, start: startConfig(start) });
    }
  }
  if (start.kind === "last" && plans.length > 1) {
    // Each consumer starts at its own last N; the merged order holds the last N of all of them at its end.
    const total = plans.reduce((n, p) => n + (p.available ?? 0), 0);
    runner.skip = Math.max(0, total - start.count);
  }
  runner.readers = plans.map((p) => new OrderedReader(ctx, p.filter, p.start, runner));

  try {
    for (const r of runner.readers) await r.open();
  } catch (err) {
    await runner.stop();
    throw describeJetStreamError(err, `reading stream ${stream}`);
  }

  // After a reconnect the server may have restarted and lost our in-memory consumers: recreate them.
  const statuses = nc.status()[Symbol.asyncIterator]();
  void (async () => {
    for (let s = await statuses.next(); !s.done; s = await statuses.next()) {
      if (s.value.type === "reconnect") for (const r of runner.readers) void r.reset("reconnected");
    }
  })().catch(() => undefined);
  nc.closed().then(
    () => void runner.stop(),
    (err) => runner.fail(err),
  );
  runner.done.promise.finally(() => void statuses.return?.()).catch(() => undefined);

  return {
    mode: "replay",
    streamName: stream,
    replayEndSeq: lastSeqAtStart,
    ...(endSeq !== undefined ? { endSeq } : {}),
    done: runner.done.promise,
    stop: () => runner.stop(),
    counts: () => ({ received: runner.received, dropped: 0 }),
  };
}
