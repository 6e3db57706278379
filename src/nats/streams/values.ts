// The values of stream and consumer settings as flags give them: a word of a fixed set, nanosecond durations,
// sizes and counts where -1 or "unlimited" means no limit.
import { UsageError } from "../../errors.js";
import { isSafeText, sanitizeText } from "../../text/sanitize.js";
import { parseCount, parseDuration, parseSize } from "../../text/units.js";

export const NS_PER_MS = 1_000_000;

/** One of a fixed set of words (case-insensitive), or a UsageError naming the flag and what it takes. */
export function oneOf<T extends string>(text: string, flag: string, table: Record<string, T>, accepted: string): T {
  const value = table[text.trim().toLowerCase()];
  if (value === undefined) throw new UsageError(`invalid ${flag} '${text}': use ${accepted}`);
  return value;
}

export const parseStorage = (text: string) =>
  oneOf(text, "--storage", { file: "file", f: "file", memory: "memory", m: "memory" } as const, "file or memory");

export const parseRetention = (text: string) =>
  oneOf(
    text,
    "--retention",
    { limits: "limits", interest: "interest", work: "workqueue", workq: "workqueue", workqueue: "workqueue" } as const,
    "limits, interest or work",
  );

export const parseDiscard = (text: string) => oneOf(text, "--discard", { old: "old", new: "new" } as const, "old or new");

export const parseCompression = (text: string) => oneOf(text, "--compression", { none: "none", s2: "s2" } as const, "none or s2");

/** Metadata keys nats-server 2.11+ writes itself (`_nats.ver`, `_nats.level`...): not ours to compare or show. */
export const isServerMetadataKey = (key: string) => key.startsWith("_nats.");

/** `--metadata key=value` items laid over `current` (an edit keeps the keys it does not name); `key=` removes one. */
export function applyMetadataFlags(current: Record<string, string> | undefined, items: string[], flag = "--metadata"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (!isServerMetadataKey(k)) out[k] = v;
  for (const item of items) {
    const eq = item.indexOf("=");
    const key = eq > 0 ? item.slice(0, eq).trim() : "";
    if (key === "" || !isSafeText(item)) throw new UsageError(`invalid ${flag} '${sanitizeText(item)}': use key=value, e.g. ${flag} owner=lab`);
    if (isServerMetadataKey(key)) throw new UsageError(`invalid ${flag} '${sanitizeText(item)}': keys starting with _nats. belong to the server`);
    const value = item.slice(eq + 1);
    if (value === "") delete out[key];
    else out[key] = value;
  }
  return out;
}

function isUnlimited(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === "unlimited" || t === "-1" || t === "0" || t === "none";
}

/** Limits where 0 means "no limit" in the API (max_age): "unlimited", -1 or 0, else a duration. */
export function parseLimitDurationNs(text: string, flag: string): number {
  if (isUnlimited(text)) return 0;
  return parseDurationNs(text, flag);
}

/** A duration flag in nanoseconds, as the JetStream API takes it. */
export function parseDurationNs(text: string, flag: string): number {
  return Math.round(parseDuration(text, flag) * NS_PER_MS);
}

/** A duration that must be positive (duplicate window, ack wait), in nanoseconds. */
export function parsePositiveDurationNs(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms <= 0) throw new UsageError(`invalid ${flag} '${text}': use a duration above zero, e.g. 2m`);
  return Math.round(ms * NS_PER_MS);
}

/** The server keeps max_msg_size in a Go int32: anything larger is refused as "invalid JSON". */
export const MAX_MSG_SIZE_LIMIT = 2 ** 31 - 1;

export function parseMaxMsgSize(text: string): number {
  const bytes = parseSize(text, "--max-msg-size");
  if (bytes > MAX_MSG_SIZE_LIMIT) {
    throw new UsageError(`invalid --max-msg-size '${text}': at most ${MAX_MSG_SIZE_LIMIT} bytes (2GiB less one byte, a 32-bit field), or unlimited`);
  }
  return bytes;
}

export function parseReplicas(text: string): number {
  // "-1" is a whole number, just not a replica count: say the range rather than "use a whole number".
  const n = /^\s*-\d+\s*$/.test(text) ? -1 : parseCount(text, "--replicas");
  if (n < 1 || n > 5) throw new UsageError(`invalid --replicas '${text}': use 1 to 5 (and no more than the servers in the cluster)`);
  return n;
}

