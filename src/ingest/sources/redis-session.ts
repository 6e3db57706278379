// Two Redis connections (one may block in BLMOVE/XREADGROUP, the other confirms) that never reconnect on their
// own: a lost connection rejects every command in flight, and the source then starts a new session and re-reads
// what it had taken (processing list, pending entries). ioredis's own reconnect would re-send or silently drop
// unanswered commands, and an LMOVE or LTRIM sent twice moves or removes the wrong items.
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { RedisLocation } from "../redis-location.js";
import type { Notify } from "../types.js";
import { RuntimeError } from "../../errors.js";

export interface RedisSession {
  /** For commands that block (BLMOVE, XREADGROUP BLOCK) and the reads that feed the pipeline. */
  reader: Redis;
  /** For confirmations (LTRIM, XACK) and backlog queries, so they never wait behind a blocking read. */
  writer: Redis;
  /** Bumped for each new session: confirmations from an older one must not run against the new state. */
  epoch: number;
}

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5_000;

export function describeRedisError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ?? (e?.message ?? String(err)).split("\n")[0]!;
}

function isCredentialError(err: unknown): boolean {
  return /WRONGPASS|NOAUTH|invalid password|invalid username/i.test((err as Error)?.message ?? "");
}

/**
 * What to say when the key holds another type than --from's scheme reads (`TYPE` told us `actual`): the scheme
 * that reads it, with the user's own location, rather than Redis's WRONGTYPE and a Lua script's SHA.
 */
export function wrongTypeMessage(location: Pick<RedisLocation, "kind" | "key" | "display">, actual: string): string {
  const key = location.key;
  const scheme = location.kind === "list" ? "redis://" : "redis-stream://";
  const reads = location.kind === "list" ? "lists" : "streams";
  if (actual === "none") return `Redis key ${key} is gone (it was deleted while ingest read it)`;
  if (actual === "stream" && location.kind === "list") {
    const other = location.display.replace(/^redis(s?):/i, "redis$1-stream:");
    return `Redis key ${key} is a Redis stream, and ${scheme} reads ${reads}: use --from ${other} (read through a consumer group)`;
  }
  if (actual === "list" && location.kind === "stream") {
    const other = location.display.replace(/^redis(s?)-stream:/i, "redis$1:");
    return `Redis key ${key} is a Redis list, and ${scheme} reads ${reads}: use --from ${other}`;
  }
  return `Redis key ${key} holds a ${actual}, and ${scheme} reads ${reads}: point --from at the key Suricata writes (its redis 'key:')`;
}

/** A reply no reconnect can change (the key holds another type, a command is forbidden): stop with its message. */
export async function fatalRedisError(err: unknown, location: RedisLocation, session: RedisSession): Promise<RuntimeError | undefined> {
  const key = location.key;
  const message = ((err as Error)?.message ?? String(err)).split("\n")[0]!;
  if (/^WRONGTYPE/.test(message)) {
    const actual = await session.writer.type(key).catch(() => undefined);
    if (actual !== undefined) return new RuntimeError(wrongTypeMessage(location, actual));
    return new RuntimeError(`Redis key ${key} holds another type than --from says (WRONGTYPE)`);
  }
  if (/^NOPERM/.test(message)) return new RuntimeError(`Redis refused a command on ${key} (${message}): the user in --from needs it`);
  return undefined;
}

export class RedisConnector {
  private session: RedisSession | undefined;
  private epoch = 0;
  private backoffMs = BACKOFF_MIN_MS;
  private nextAttemptAt = 0;
  private failingSince: number | undefined;
  private lastNotice = 0;

  constructor(
    private readonly location: RedisLocation,
    private readonly notify: Notify,
  ) {}

  /** The live session, or undefined while Redis is unreachable (after waiting up to about a second). */
  async current(): Promise<RedisSession | undefined> {
    if (this.session) return this.session;
    const wait = this.nextAttemptAt - Date.now();
    if (wait > 0) {
      await sleep(Math.min(wait, 1000));
      if (Date.now() < this.nextAttemptAt) return undefined;
    }
    try {
      const reader = await this.open("nsm4home-ingest-reader");
      let writer: Redis;
      try {
        writer = await this.open("nsm4home-ingest-writer");
      } catch (err) {
        reader.disconnect();
        throw err;
      }
      this.session = { reader, writer, epoch: ++this.epoch };
      if (this.failingSince !== undefined) this.notify(`connected to Redis at ${this.location.display} again`);
      this.failingSince = undefined;
      this.backoffMs = BACKOFF_MIN_MS;
      return this.session;
    } catch (err) {
      if (isCredentialError(err)) {
        throw new RuntimeError(`Redis at ${this.location.display} refused the credentials (${describeRedisError(err)}): check the user and password in --from`);
      }
      const now = Date.now();
      if (this.failingSince === undefined || now - this.lastNotice >= 30_000) {
        this.notify(`Redis at ${this.location.display} unreachable (${describeRedisError(err)}); retrying with backoff`);
        this.lastNotice = now;
      }
      this.failingSince ??= now;
      this.nextAttemptAt = now + this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
      return undefined;
    }
  }

  /** Ends the session after a failed command; the next current() opens a new one (with a higher epoch). */
  fail(session: RedisSession, err: unknown): void {
    if (this.session !== session) return;
    this.session = undefined;
    session.reader.disconnect();
    session.writer.disconnect();
    const now = Date.now();
    if (this.failingSince === undefined || now - this.lastNotice >= 30_000) {
      this.notify(`lost Redis at ${this.location.display} (${describeRedisError(err)}); reconnecting, then re-reading what was taken`);
      this.lastNotice = now;
    }
    this.failingSince ??= now;
  }

  /** The live session if there is one, without waiting or connecting (for progress queries). */
  peek(): RedisSession | undefined {
    return this.session;
  }

  isCurrent(epoch: number): boolean {
    return this.session !== undefined && this.session.epoch === epoch;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (!s) return;
    await Promise.all([s.reader.quit().catch(() => s.reader.disconnect()), s.writer.quit().catch(() => s.writer.disconnect())]);
  }

  private async open(name: string): Promise<Redis> {
    const { Redis } = await import("ioredis");
    const client = new Redis({
      host: this.location.host,
      port: this.location.port,
      db: this.location.db,
      username: this.location.username,
      password: this.location.password,
      ...(this.location.tls ? { tls: {} } : {}),
      connectionName: name,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
    });
    // Failures surface as rejected commands; without a listener ioredis would print them. A refused AUTH (or a
    // NOAUTH to the ready check) arrives here only, while connect() rejects with "Connection is closed".
    let refused: unknown;
    let onRefused: (err: unknown) => void = () => undefined;
    const refusal = new Promise<never>((_resolve, reject) => (onRefused = reject));
    refusal.catch(() => undefined);
    client.on("error", (err: unknown) => {
      if (!isCredentialError(err)) return;
      refused = err;
      onRefused(err);
    });
    try {
      await Promise.race([client.connect(), refusal]);
    } catch (err) {
      client.disconnect();
      throw refused ?? err;
    }
    return client;
  }
}
