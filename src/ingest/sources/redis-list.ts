// Suricata's Redis output in list mode (`LPUSH suricata <json>`): the oldest event is at the right end.
// Items move atomically (LMOVE RIGHT→LEFT, a batch per round trip; BLMOVE to wait) to a processing list, whose
// right end is therefore always the oldest item taken; once a batch is acknowledged, LTRIM drops exactly that
// many items from the right. On start, and after any Redis failure, the whole processing list is re-published
// first, oldest first: its Nats-Msg-Ids make those re-sends duplicates that JetStream drops. While a batch is
// published the next one is already being moved; a graceful stop puts such a batch back at the list's end.
// Trimming by count needs the processing list to itself: an owner key (./redis-owner.ts) keeps a second ingest off.
import { setTimeout as sleep } from "node:timers/promises";
import { type Backlog, EMPTY_BATCH, type IngestSource, type Notify, type SourceBatch } from "../types.js";
import type { RedisLocation } from "../redis-location.js";
import { fatalRedisError, RedisConnector, type RedisSession } from "./redis-session.js";
import { OWNER_REFRESH_MS, ProcessingListOwner } from "./redis-owner.js";
import { RuntimeError } from "../../errors.js";
import { formatCount } from "../../text/units.js";

export interface RedisListOptions {
  /** Where taken items wait for their PubAck (default `<key>:processing`); one ingester per processing list. */
  processingKey?: string;
  /** End when the list is empty instead of waiting for more (--once). */
  once?: boolean;
  /** How long BLMOVE waits for an item on an empty list, in seconds. */
  blockSeconds?: number;
  notify: Notify;
}

// LMOVE RIGHT→LEFT up to ARGV[1] times in one round trip, atomically; returns the moved items, oldest first.
const MOVE_SCRIPT = `local moved = {}
for i = 1, tonumber(ARGV[1]) do
  local item = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not item then break end
  moved[i] = item
end
return moved`;

// Moves the ARGV[1] newest items of the processing list back to the right (oldest) end of the list, in order,
// if they are all it holds.
const RETURN_SCRIPT = `local n = tonumber(ARGV[1])
if redis.call('LLEN', KEYS[1]) ~= n then return -1 end
for i = 1, n do redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') end
return n`;

interface ScriptedClient {
  nsm4homeMoveBuffer(key: string, processingKey: string, max: number): Promise<Buffer[] | null>;
}

const RECOVERY_CHUNK = 1000;

export function defaultProcessingKey(key: string): string {
  return `${key}:processing`;
}

export class RedisListSource implements IngestSource {
  readonly description: string;
  readonly processingKey: string;
  private readonly connector: RedisConnector;
  /** Items found in the processing list of this session, oldest first, still to hand out. */
  private recovery: Buffer[] = [];
  private recoveredEpoch = 0;
  /** Moved to the processing list (its left end) but not handed out yet, oldest first. */
  private ahead: Buffer[] = [];
  private prefetch: { session: RedisSession; moved: Promise<Buffer[] | Error> } | undefined;
  private stopping = false;
  /** Acknowledged items of `trimSession` not yet trimmed off the processing list, and the LTRIM under way. */
  private untrimmed = 0;
  private trimSession: RedisSession | undefined;
  private trimming: Promise<void> | undefined;
  private scriptUsable = true;
  private scriptDefinedOn: RedisSession | undefined;
  private readonly owner: ProcessingListOwner;
  private ownedEpoch = 0;
  private ownerRefresh: NodeJS.Timeout | undefined;
  /** Another ingest took the processing list while this one ran: publish what is in hand, then fail the run. */
  private lost: RuntimeError | undefined;

  constructor(
    private readonly location: RedisLocation,
    private readonly opts: RedisListOptions,
  ) {
    this.processingKey = opts.processingKey ?? defaultProcessingKey(location.key);
    this.description = location.display;
    this.connector = new RedisConnector(location, opts.notify);
    this.owner = new ProcessingListOwner(this.processingKey, opts.notify);
  }

  /** Before anything is read: refuses when another ingest uses the processing list (if Redis answers now). */
  async start(): Promise<void> {
    for (;;) {
      const session = await this.connector.current();
      if (!session) return;
      try {
        if (await this.holdOwner(session)) return;
      } catch (err) {
        if (err instanceof RuntimeError) throw err;
        this.connector.fail(session, err); // read() claims on the next session
        return;
      }
      await sleep(1000);
    }
  }

  /** Takes or keeps the owner key; false while an owner on another host may still come back. */
  private async holdOwner(session: RedisSession): Promise<boolean> {
    const state = await this.owner.claim(session.writer);
    if (state === "lost") this.lost ??= this.owner.lostError();
    if (state === "owned") this.ownedEpoch = session.epoch;
    this.ownerRefresh ??= setInterval(() => void this.refreshOwner(), OWNER_REFRESH_MS).unref();
    return state !== "wait";
  }

  private async refreshOwner(): Promise<void> {
    const session = this.connector.peek();
    if (!session || session.epoch !== this.ownedEpoch || this.lost) return;
    // A failed command here is the read's to notice: it reconnects and claims again.
    await this.holdOwner(session).catch(() => undefined);
  }

  async read(max: number): Promise<SourceBatch | null> {
    if (this.lost) return this.handOutAfterLoss(max);
    const session = await this.connector.current();
    if (!session) return EMPTY_BATCH;
    if (this.scriptDefinedOn !== session) {
      // EVALSHA, falling back to EVAL once per connection when Redis does not know the script yet.
      session.reader.defineCommand("nsm4homeMove", { numberOfKeys: 2, lua: MOVE_SCRIPT });
      this.scriptDefinedOn = session;
    }
    try {
      if (this.ownedEpoch !== session.epoch && !(await this.holdOwner(session))) {
        await sleep(1000);
        return EMPTY_BATCH;
      }
      // Taken while Redis was away: the other ingest found in the processing list all this one had moved.
      if (this.lost) return null;
      if (this.recoveredEpoch !== session.epoch) {
        // Whatever an earlier session moved ahead is in the processing list, read again just below.
        this.ahead = [];
        this.prefetch = undefined;
        this.recovery = await this.readProcessingList(session);
        this.recoveredEpoch = session.epoch;
        if (this.recovery.length > 0) {
          this.opts.notify(`re-publishing ${formatCount(this.recovery.length)} events left in ${this.processingKey} (taken but not confirmed before)`);
        }
      }
      if (this.recovery.length > 0) return this.batchOf(session, this.recovery.splice(0, max));
      return await this.take(session, max);
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      const fatal = await fatalRedisError(err, this.location, session);
      if (fatal) throw fatal;
      this.connector.fail(session, err);
      return EMPTY_BATCH;
    }
  }

  /**
   * Moved to the processing list after the other ingest read it: it never sees these, and its trims may drop them.
   * Published here; nothing is trimmed any more (the list's right end is no longer this ingest's).
   */
  private async handOutAfterLoss(max: number): Promise<SourceBatch | null> {
    const moved = await this.prefetch?.moved;
    this.prefetch = undefined;
    if (moved && !(moved instanceof Error)) this.ahead.push(...moved);
    const items = (this.recovery.length > 0 ? this.recovery : this.ahead).splice(0, max);
    return items.length > 0 ? { items, commit: async () => undefined } : null;
  }

  private async take(session: RedisSession, max: number): Promise<SourceBatch | null> {
    const { key } = this.location;
    let items: Buffer[];
    if (this.ahead.length > 0) {
      items = this.ahead.splice(0, max);
    } else if (this.prefetch && this.prefetch.session === session) {
      const moved = await this.prefetch.moved;
      this.prefetch = undefined;
      if (moved instanceof Error) throw moved;
      items = moved.length > max ? moved.slice(0, max) : moved;
      if (moved.length > max) this.ahead = moved.slice(max);
    } else {
      this.prefetch = undefined;
      items = await this.moveBatch(session, max);
    }
    // A full batch says more is waiting: move the next one while this one is published (the Redis round trip
    // then costs no time). Unless stopping: what is moved ahead and never handed out goes back in close().
    if (items.length === max && !this.stopping && this.ahead.length === 0) {
      this.prefetch = { session, moved: this.moveBatch(session, max).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) };
    }
    if (items.length > 0) return this.batchOf(session, items);
    if (this.opts.once) return null;
    const one = await session.reader.blmoveBuffer(key, this.processingKey, "RIGHT", "LEFT", this.opts.blockSeconds ?? 1);
    return one ? this.batchOf(session, [one]) : EMPTY_BATCH;
  }

  /** Moves up to `max` items, oldest first: one script running LMOVE in a loop, else a pipeline of LMOVEs. */
  private async moveBatch(session: RedisSession, max: number): Promise<Buffer[]> {
    const { key } = this.location;
    if (this.scriptUsable) {
      try {
        return (await (session.reader as unknown as ScriptedClient).nsm4homeMoveBuffer(key, this.processingKey, max)) ?? [];
      } catch (err) {
        // Scripting can be switched off (ACLs, managed Redis): the pipeline does the same moves, a little slower.
        if (!/NOSCRIPT|NOPERM|unknown command|scripts? (are )?disabled|ERR .*script/i.test((err as Error).message ?? "")) throw err;
        this.scriptUsable = false;
        this.opts.notify(`Redis refused the move script (${(err as Error).message.split("\n")[0]}); moving items with pipelined LMOVE`);
      }
    }
    const pipeline = session.reader.pipeline();
    for (let i = 0; i < max; i++) pipeline.lmoveBuffer(key, this.processingKey, "RIGHT", "LEFT");
    const results = (await pipeline.exec()) ?? [];
    const items: Buffer[] = [];
    for (const [err, value] of results) {
      if (err) throw err;
      if (value) items.push(value as Buffer);
    }
    return items;
  }

  private batchOf(session: RedisSession, items: Buffer[]): SourceBatch {
    const count = items.length;
    return {
      items,
      commit: async () => {
        // A batch from a failed session is in the processing list that the new session re-reads.
        if (!this.connector.isCurrent(session.epoch) || this.lost) return;
        if (this.trimSession !== session) {
          this.trimSession = session;
          this.untrimmed = 0;
        }
        this.untrimmed += count;
        this.trimming ??= this.trimAcknowledged();
      },
    };
  }

  /**
   * One LTRIM for everything acknowledged since the last one. A round trip per batch, each awaited, fell behind
   * the acknowledgements on a busy event loop (thousands of confirmed items left in the processing list, all sent
   * again after a crash); this keeps what a crash re-sends near one round trip's worth.
   */
  private async trimAcknowledged(): Promise<void> {
    try {
      while (this.untrimmed > 0 && this.trimSession !== undefined) {
        const session = this.trimSession;
        const n = this.untrimmed;
        this.untrimmed = 0;
        // A failed session's items are re-read and re-sent by the next one.
        if (!this.connector.isCurrent(session.epoch) || this.lost) continue;
        try {
          await session.writer.ltrim(this.processingKey, 0, -(n + 1));
        } catch (err) {
          this.connector.fail(session, err);
        }
      }
    } finally {
      this.trimming = undefined;
    }
  }

  /** The processing list oldest first (its right end first), read in chunks. */
  private async readProcessingList(session: RedisSession): Promise<Buffer[]> {
    const length = await session.writer.llen(this.processingKey);
    const items: Buffer[] = [];
    for (let done = 0; done < length; done += RECOVERY_CHUNK) {
      const chunk = await session.writer.lrangeBuffer(this.processingKey, -(done + RECOVERY_CHUNK), -(done + 1));
      for (let i = chunk.length - 1; i >= 0; i--) items.push(chunk[i]!);
    }
    return items;
  }

  async backlog(): Promise<Backlog | undefined> {
    const session = this.connector.peek();
    if (!session) return undefined;
    try {
      return { count: await session.writer.llen(this.location.key), unit: "events" };
    } catch {
      return undefined;
    }
  }

  /** No more reads: stop moving ahead. */
  stop(): void {
    this.stopping = true;
  }

  async finish(): Promise<void> {
    if (this.lost) throw this.lost;
  }

  async close(): Promise<void> {
    this.stopping = true;
    clearInterval(this.ownerRefresh);
    // The return script below checks the processing list's length: every confirmed item must be trimmed first.
    await this.trimming;
    const session = this.connector.peek();
    if (this.prefetch && this.prefetch.session === session) {
      const moved = await this.prefetch.moved;
      if (!(moved instanceof Error)) this.ahead.push(...moved);
    }
    this.prefetch = undefined;
    if (session && this.ahead.length > 0 && !this.lost) {
      // Moved ahead and never published: back to the list's oldest end, so a graceful stop leaves the processing
      // list empty. Only when it holds nothing else (after a second Ctrl-C it also holds unconfirmed items: then
      // everything stays there for the next start).
      await session.writer.eval(RETURN_SCRIPT, 2, this.processingKey, this.location.key, this.ahead.length).catch(() => undefined);
      this.ahead = [];
    }
    if (session) await this.owner.release(session.writer).catch(() => undefined);
    await this.connector.close();
  }
}
