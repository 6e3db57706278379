// Suricata 8's Redis output in stream mode (`XADD suricata * eve <json>`): entries are read in a consumer group
// (XREADGROUP) and XACKed only after their PubAck. On start, and after any Redis failure, this consumer's pending
// entries (delivered, never acknowledged) are read again from id 0 and re-published first.
import { type Backlog, EMPTY_BATCH, type IngestSource, type Notify, type SourceBatch } from "../types.js";
import type { RedisLocation } from "../redis-location.js";
import { fatalRedisError, RedisConnector, type RedisSession } from "./redis-session.js";
import { formatCount } from "../../text/units.js";

export interface RedisStreamOptions {
  group: string;
  consumer: string;
  /** The entry field that holds the EVE JSON (Suricata: `eve`). */
  field: string;
  once?: boolean;
  blockMs?: number;
  notify: Notify;
}


type StreamEntry = [Buffer, Buffer[] | null];
type XReadReply = Array<[Buffer, StreamEntry[]]> | null;

/** The EVE bytes of an entry: its `field`, else all its fields as one JSON object (nothing is thrown away). */
export function entryPayload(fields: Buffer[], field: string): Buffer {
  const pairs: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString("utf8");
    if (name === field) return fields[i + 1]!;
    pairs[name] = fields[i + 1]!.toString("utf8");
  }
  return Buffer.from(JSON.stringify(pairs));
}

export class RedisStreamSource implements IngestSource {
  readonly description: string;
  private readonly connector: RedisConnector;
  private groupReadyEpoch = 0;
  /** Id after which to read this consumer's pending entries; undefined once they are all handed out. */
  private pendingCursor: string | undefined = "0";
  private pendingEpoch = 0;
  private pendingCount = 0;

  constructor(
    private readonly location: RedisLocation,
    private readonly opts: RedisStreamOptions,
  ) {
    this.description = `${location.display} (group ${opts.group}, consumer ${opts.consumer})`;
    this.connector = new RedisConnector(location, opts.notify);
  }

  async read(max: number): Promise<SourceBatch | null> {
    const session = await this.connector.current();
    if (!session) return EMPTY_BATCH;
    try {
      if (this.groupReadyEpoch !== session.epoch) {
        await this.ensureGroup(session);
        this.groupReadyEpoch = session.epoch;
      }
      if (this.pendingEpoch !== session.epoch) {
        this.pendingEpoch = session.epoch;
        this.pendingCursor = "0";
        this.pendingCount = 0;
      }
      if (this.pendingCursor !== undefined) {
        const batch = await this.readGroup(session, max, this.pendingCursor, false);
        if (batch.ids.length > 0) {
          this.pendingCursor = batch.ids[batch.ids.length - 1]!.toString("latin1");
          this.pendingCount += batch.ids.length;
          return this.batchOf(session, batch.items, batch.ids);
        }
        if (this.pendingCount > 0) {
          this.opts.notify(`re-published ${formatCount(this.pendingCount)} entries left pending for consumer ${this.opts.consumer} (read but not acknowledged before)`);
        }
        this.pendingCursor = undefined;
      }
      const batch = await this.readGroup(session, max, ">", !this.opts.once);
      if (batch.ids.length === 0) return this.opts.once ? null : EMPTY_BATCH;
      return this.batchOf(session, batch.items, batch.ids);
    } catch (err) {
      const fatal = await fatalRedisError(err, this.location, session);
      if (fatal) throw fatal;
      this.connector.fail(session, err);
      return EMPTY_BATCH;
    }
  }

  private async ensureGroup(session: RedisSession): Promise<void> {
    try {
      // From 0: events written before the group existed are not lost.
      await session.writer.call("XGROUP", "CREATE", this.location.key, this.opts.group, "0", "MKSTREAM");
      this.opts.notify(`created consumer group ${this.opts.group} on ${this.location.key}`);
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message ?? "")) throw err;
    }
  }

  private async readGroup(session: RedisSession, max: number, from: string, block: boolean) {
    const args: Array<string | number> = ["GROUP", this.opts.group, this.opts.consumer, "COUNT", max];
    if (block) args.push("BLOCK", this.opts.blockMs ?? 1000);
    args.push("STREAMS", this.location.key, from);
    const reply = (await session.reader.callBuffer("XREADGROUP", ...args)) as XReadReply;
    const ids: Buffer[] = [];
    const items: Buffer[] = [];
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        ids.push(id);
        // A pending entry deleted from the stream comes back without fields: acknowledge it, nothing to send.
        if (fields) items.push(entryPayload(fields, this.opts.field));
      }
    }
    return { ids, items };
  }

  private batchOf(session: RedisSession, items: Buffer[], ids: Buffer[]): SourceBatch {
    return {
      items,
      commit: async () => {
        if (!this.connector.isCurrent(session.epoch)) return;
        try {
          await session.writer.xack(this.location.key, this.opts.group, ...ids);
        } catch (err) {
          this.connector.fail(session, err);
        }
      },
    };
  }

  async backlog(): Promise<Backlog | undefined> {
    const session = this.connector.peek();
    if (!session) return undefined;
    try {
      const groups = (await session.writer.call("XINFO", "GROUPS", this.location.key)) as unknown[][];
      for (const g of groups) {
        const info: Record<string, unknown> = {};
        for (let i = 0; i + 1 < g.length; i += 2) info[String(g[i])] = g[i + 1];
        if (String(info.name) !== this.opts.group) continue;
        // `lag` (Redis 7+) is null when Redis cannot tell; entries not yet delivered to the group.
        if (typeof info.lag === "number") return { count: info.lag, unit: "events" };
      }
      return undefined;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.connector.close();
  }
}
