// `--from redis://HOST:6379/KEY` and `--from redis-stream://HOST:6379/KEY`: where the events wait in Redis.
// Unlike a plain Redis URL the path is the key (Suricata's `key:`), not a database number; `?db=N` selects one.
import { UsageError } from "../errors.js";
import { maskUrlCredentials } from "../text/credentials.js";

export interface RedisLocation {
  kind: "list" | "stream";
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  key: string;
  /** For messages: the location without any password. */
  display: string;
}

export const DEFAULT_REDIS_KEY = "suricata";

const SCHEMES: Record<string, { kind: "list" | "stream"; tls: boolean }> = {
  "redis:": { kind: "list", tls: false },
  "rediss:": { kind: "list", tls: true },
  "redis-stream:": { kind: "stream", tls: false },
  "rediss-stream:": { kind: "stream", tls: true },
};

export function isRedisUrl(text: string): boolean {
  return /^rediss?(-stream)?:\/\//i.test(text);
}

export function parseRedisLocation(text: string): RedisLocation {
  const shown = maskUrlCredentials(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid --from '${shown}': use redis://HOST:6379/KEY or redis-stream://HOST:6379/KEY`);
  }
  const scheme = SCHEMES[url.protocol.toLowerCase()];
  if (!scheme) throw new UsageError(`invalid --from '${shown}': the scheme must be redis://, rediss://, redis-stream:// or rediss-stream://`);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const port = url.port === "" ? 6379 : Number(url.port);
  const key = decodeURIComponent(url.pathname.replace(/^\//, "")) || DEFAULT_REDIS_KEY;
  const dbText = url.searchParams.get("db");
  if (dbText !== null && !/^\d+$/.test(dbText)) throw new UsageError(`invalid --from '${shown}': db must be a whole number (?db=0)`);
  const db = dbText === null ? 0 : Number(dbText);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const auth = username || password ? "***@" : "";
  const display = `${url.protocol}//${auth}${url.hostname}:${port}/${encodeURIComponent(key).replace(/%3A/gi, ":")}${db ? `?db=${db}` : ""}`;
  return { kind: scheme.kind, host, port, db, username, password, tls: scheme.tls, key, display };
}
