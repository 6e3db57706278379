// One ingester per processing list: two of them LTRIM each other's items off its right end and events are lost.
// `<processing-key>:owner` names the ingester using the list (host, pid, a random token); it expires unless
// refreshed, so the key of an ingester that crashed on another host frees itself. Plain SET NX / GET / PEXPIRE (no
// scripts: they may be refused); a Redis or ACL that refuses the key leaves the run unguarded, with a warning.
// The owner is told apart by host name and pid: a container sharing this host's name but not its pids looks dead.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { RuntimeError } from "../../errors.js";
import { formatDuration } from "../../text/units.js";
import type { Notify } from "../types.js";
import { isRunning } from "../pid.js";

export const OWNER_TTL_MS = 30_000;
export const OWNER_REFRESH_MS = 10_000;

/** "owned": go on; "wait": an owner on another host may have crashed, call again in a second; "lost": it was ours. */
export type OwnerState = "owned" | "wait" | "lost";

interface Holder {
  host: string;
  pid: string;
}

function holderOf(value: string | null): Holder {
  const [host = "?", pid = "?"] = (value ?? "").split(" ");
  return { host, pid };
}

export class ProcessingListOwner {
  readonly key: string;
  private readonly value = `${hostname()} ${process.pid} ${randomBytes(8).toString("hex")}`;
  /** The key was ours at least once: another owner now means it was taken from us. */
  private held = false;
  /** Redis refused the key (NOPERM, no SET NX PX): the run goes on unguarded. */
  private unsupported = false;
  /** When a foreign owner's key runs out if nobody refreshes it. */
  private waitingUntil: number | undefined;
  private lostTo: Holder | undefined;

  constructor(
    private readonly processingKey: string,
    private readonly notify: Notify,
  ) {
    this.key = `${processingKey}:owner`;
  }

  /** Takes the key, or keeps it ours; throws (before anything is read) when another live ingest holds it. */
  async claim(redis: Redis): Promise<OwnerState> {
    if (this.unsupported) return "owned";
    try {
      if ((await redis.set(this.key, this.value, "PX", OWNER_TTL_MS, "NX")) === "OK") {
        if (this.held) this.notify(`owner key ${this.key} was gone (Redis restarted?): taken again`);
        this.held = true;
        return "owned";
      }
      const value = await redis.get(this.key);
      if (value === this.value) {
        await redis.pexpire(this.key, OWNER_TTL_MS);
        return "owned";
      }
      if (value === null) return "wait"; // expired between the two commands
      const other = holderOf(value);
      if (this.held) {
        this.lostTo = other;
        return "lost";
      }
      if (other.host === hostname()) {
        // Our own pid: an earlier run in a restarted container (pid 1 again), not a live ingest.
        if (Number(other.pid) !== process.pid && isRunning(Number(other.pid))) throw this.refusal(other);
        return (await this.takeOver(redis, value)) ? "owned" : "wait";
      }
      // Another host's pid cannot be checked: a live ingest refreshes its key before it runs out, a dead one not.
      const ttl = await redis.pttl(this.key);
      const until = Date.now() + ttl;
      if (ttl === -1 || (this.waitingUntil !== undefined && until > this.waitingUntil + 1000)) throw this.refusal(other);
      if (this.waitingUntil === undefined) {
        this.notify(`${this.processingKey} is owned by pid ${other.pid} on host ${other.host} (${this.key}): waiting up to ${formatDuration(Math.max(ttl, 0))} for it to expire, as the key of a stopped ingest does`);
      }
      this.waitingUntil = until;
      return "wait";
    } catch (err) {
      if (err instanceof RuntimeError || !/^(NOPERM|WRONGTYPE|ERR unknown command|ERR syntax)/.test((err as Error).message ?? "")) throw err;
      this.unsupported = true;
      this.notify(`cannot keep the owner key ${this.key} (${(err as Error).message.split("\n")[0]}): nothing stops a second ingest on ${this.processingKey}; run only one per processing list`);
      return "owned";
    }
  }

  /** Its owner was killed (-9) on this host: take the key unless another ingest took it first. */
  private async takeOver(redis: Redis, stale: string): Promise<boolean> {
    await redis.watch(this.key);
    if ((await redis.get(this.key)) !== stale) {
      await redis.unwatch();
      return false;
    }
    const done = await redis.multi().set(this.key, this.value, "PX", OWNER_TTL_MS).exec();
    if (!done) return false;
    this.held = true;
    this.notify(`took over ${this.processingKey} from ingest pid ${holderOf(stale).pid}, which is gone`);
    return true;
  }

  /** Clean stop: frees the key for the next start, if it is still ours. */
  async release(redis: Redis): Promise<void> {
    if (!this.held || this.unsupported || this.lostTo) return;
    if ((await redis.get(this.key)) === this.value) await redis.del(this.key);
  }

  lostError(): RuntimeError {
    const other = this.lostTo ?? holderOf(null);
    return new RuntimeError(
      `another ingest (host ${other.host}, pid ${other.pid}) took over ${this.processingKey} (owner key ${this.key}) while this one ran: stopped after confirming the events in flight; run one ingest per processing list (stop the other, or give each its own --processing-key)`,
    );
  }

  private refusal(other: Holder): RuntimeError {
    return new RuntimeError(
      `another ingest (host ${other.host}, pid ${other.pid}) is using the processing list ${this.processingKey} (owner key ${this.key}): stop it, or give this one its own --processing-key`,
    );
  }
}
