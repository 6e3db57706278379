// Retention per event type (--ttl alert=90d,flow=7d,stats=1d,*=14d): the Nats-TTL header nats-server 2.11+ reads
// on a stream that allows per-message TTLs. Alerts matter for months, flows for days, stats for hours.
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import { isPlainToken, lastToken } from "../nats/subjects.js";
import { formatDuration, parseDuration } from "../text/units.js";

export interface TtlPolicy {
  /** Event type (last subject token) → the Nats-TTL header value; "*" for every other type. */
  readonly byType: ReadonlyMap<string, string>;
  /** "alert 90d, flow 7d, * 14d": for the start-up notice. */
  readonly summary: string;
}

/** `type=duration` entries, comma or newline separated (# starts a comment); `never` keeps a type for ever. */
export function parseTtlSpec(text: string, what: string): TtlPolicy {
  const byType = new Map<string, string>();
  const shown: string[] = [];
  const entries = text
    .split("\n")
    .map((line) => line.replace(/#.*/, ""))
    .flatMap((line) => line.split(","))
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new UsageError(`${what} is empty: give type=duration entries, e.g. alert=90d,flow=7d,*=14d`);
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const type = eq === -1 ? "" : entry.slice(0, eq).trim();
    const value = eq === -1 ? "" : entry.slice(eq + 1).trim();
    if (type === "" || value === "" || (type !== "*" && !isPlainToken(type))) {
      throw new UsageError(`invalid ${what} entry '${entry}': use type=duration, e.g. alert=90d, flow=7d, *=14d (or type=never)`);
    }
    if (byType.has(type)) throw new UsageError(`invalid ${what}: '${type}' is given twice`);
    if (value === "never") {
      byType.set(type, "never");
      shown.push(`${type} never`);
      continue;
    }
    const ms = parseDuration(value, `${what} for ${type}`);
    // The server counts TTLs in whole seconds and refuses less than one.
    if (ms < 1000) throw new UsageError(`invalid ${what} for ${type} '${value}': a TTL is at least 1s`);
    const seconds = Math.ceil(ms / 1000);
    byType.set(type, `${seconds}s`);
    shown.push(`${type} ${formatDuration(seconds * 1000)}`);
  }
  return { byType, summary: shown.join(", ") };
}

/** --ttl-file: the same entries in a file, one a line or comma separated. */
export function readTtlFile(path: string): TtlPolicy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read --ttl-file ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseTtlSpec(text, "--ttl-file");
}

/** The Nats-TTL value for a subject (its last token is the event type); undefined: no header, the stream's max_age. */
export function ttlForSubject(policy: TtlPolicy, subject: string): string | undefined {
  return policy.byType.get(lastToken(subject)) ?? policy.byType.get("*");
}
