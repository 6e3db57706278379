// What the event source hands its caller, what it is asked for, and what it reports back.
import type { MsgHdrs } from "@nats-io/nats-core";

export interface SourceMessage {
  subject: string;
  /** The payload as received (may be a view into a read buffer: copy it to keep it past the callback). */
  data: Uint8Array;
  /** Stream sequence (replay mode only). */
  seq?: number;
  /** Time the stream stored the message, epoch ms (replay mode only). */
  time?: number;
  /** Replay mode: stored before the source opened (a backfill), not arriving now; rates and "last seen" skip it. */
  backfill?: boolean;
  /** Live mode: the JetStream ack subject of a push consumer's delivery (`$JS.ACK...`), when the message has one. */
  reply?: string;
  /** The message's NATS headers (Nats-Msg-Id, Nats-Stream-Source, ...), when asked for with `headers`. */
  headers?: MsgHdrs;
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
  /** Hand each message's NATS headers over too (parsing them costs time on every message, so only when shown). */
  headers?: boolean;
  /**
   * Live mode: messages dropped because the output was backed up, or because the server held so much for us that
   * it was about to cut the connection off as a slow consumer; called at most once a second.
   */
  onDrop?(count: number): void;
  /**
   * Lines worth a user's attention ("waiting for stream ...", an event onMessage threw on); default: none. The
   * source never writes to stderr itself.
   */
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
  /** Live mode: how much later than a quick one a PING's PONG may be before messages are dropped; default 200 ms. */
  maxLagMs?: number;
}

export interface EventSourceCounts {
  /** Messages that arrived (shown to onMessage or dropped). */
  received: number;
  /** Live mode messages dropped because the output could not keep up. */
  dropped: number;
  /** Replay mode: messages that left the stream before they were read (a purge, a deletion, the stream's limits). */
  removed?: number;
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
/** A fifth of a second behind: at the publishers' pace the server's queue may grow fast, so time matters too. */
export const DEFAULT_MAX_LAG_MS = 200;
