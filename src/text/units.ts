// Human units the way natscli prints and accepts them: 1d2h3m durations, KiB/MiB sizes, 1,234 counts.
import { UsageError } from "../errors.js";

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/**
 * Parses "90s", "10m", "1h30m", "7d", "1y", "500ms" (and a bare number of seconds) into milliseconds.
 * `what` names the flag in the error so the user knows which value to fix.
 */
export function parseDuration(text: string, what = "duration"): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(trimmed)) !== null) {
    total += Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (trimmed === "" || matched !== trimmed.length) {
    throw new UsageError(`invalid ${what} '${text}': use a number with a unit, e.g. 500ms, 30s, 10m, 1h30m, 7d`);
  }
  return checkDurationBound(total, text, what);
}

/** Go's int64: JetStream carries durations as int64 nanoseconds and sizes/counts as int64, past which it refuses the request. */
export const INT64_LIMIT = 2 ** 63;
/** The longest duration int64 nanoseconds hold: about 292 years. */
export const MAX_DURATION_MS = Math.floor((INT64_LIMIT - 1024) / 1e6);

function checkDurationBound(ms: number, text: string, what: string): number {
  if (!(ms <= MAX_DURATION_MS)) {
    throw new UsageError(`invalid ${what} '${text}': at most ${formatDuration(MAX_DURATION_MS)} (durations are 64-bit nanoseconds), or unlimited where the flag allows it`);
  }
  return ms;
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
  p: 1024 ** 5,
  pb: 1000 ** 5,
  pib: 1024 ** 5,
  e: 1024 ** 6,
  eb: 1000 ** 6,
  eib: 1024 ** 6,
};

/** Parses "10GiB", "500MB", "1k", "1048576" into bytes; "-1" and "unlimited" mean -1. */
export function parseSize(text: string, what = "size"): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "-1" || trimmed === "unlimited") return -1;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(trimmed);
  const unit = m ? SIZE_UNITS[m[2]!] : undefined;
  if (!m || unit === undefined) {
    throw new UsageError(
      `invalid ${what} '${text}': use a number with an optional unit (B, KB/KiB, MB/MiB, GB/GiB, TB/TiB, PB/PiB, EB/EiB), ` +
        "e.g. 1048576, 500MB, 10GiB, or -1 for unlimited",
    );
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (!(bytes < INT64_LIMIT)) {
    throw new UsageError(`invalid ${what} '${text}': at most 9223372036854775807 bytes (8EiB less one byte, a 64-bit count)`);
  }
  return bytes;
}

/** Parses a whole number flag; -1 is allowed where `allowUnlimited` (natscli's "unlimited"). */
export function parseCount(text: string, what = "count", allowUnlimited = false): number {
  const trimmed = text.trim().replace(/[_,]/g, "");
  if (allowUnlimited && (trimmed === "-1" || trimmed.toLowerCase() === "unlimited")) return -1;
  if (!/^\d+$/.test(trimmed)) {
    throw new UsageError(`invalid ${what} '${text}': use a whole number${allowUnlimited ? " (or -1 for unlimited)" : ""}`);
  }
  const n = Number(trimmed);
  if (!(n < INT64_LIMIT)) throw new UsageError(`invalid ${what} '${text}': at most 9223372036854775807 (a 64-bit count)`);
  return n;
}

// Built once: formatters call these per event.
const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ["y", 365 * 86400],
  ["d", 86400],
  ["h", 3600],
  ["m", 60],
];
const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
const UINT64_BYTES = 2 ** 64;

/** 1d2h3m4s; sub-second values as 250ms; 0 as 0s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "unlimited";
  if (ms < 0) return "-" + formatDuration(-ms);
  if (ms < 1000) return ms === 0 ? "0s" : `${Math.round(ms * 100) / 100}ms`.replace(/\.0+ms$/, "ms");
  let seconds = Math.floor(ms / 1000);
  // Most flows are younger than a minute.
  if (seconds < 60) return `${seconds}s`;
  let text = "";
  for (const [unit, size] of DURATION_UNITS) {
    if (seconds >= size) {
      text += `${Math.floor(seconds / size)}${unit}`;
      seconds %= size;
    }
  }
  return seconds > 0 ? `${text}${seconds}s` : text;
}

/** Durations in nanoseconds as the JetStream API carries them. */
export function formatNanos(ns: number): string {
  return formatDuration(ns / 1e6);
}

/**
 * 1.5 KiB, 12 MiB; bytes below 1 KiB as "512 B". A negative amount is shown as one ("-5 B"): only limit fields
 * mean "unlimited" by -1, and their callers say so themselves.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 0) return "-" + formatBytes(-bytes);
  // Counters are 64-bit: an event claiming more (1e308, or a sum of such that overflowed to Infinity) gets no digits.
  if (bytes > UINT64_BYTES) return ">16 EiB";
  if (Number.isNaN(bytes)) return "? B";
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < BYTE_UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  if (value >= 100) {
    const whole = Math.round(value);
    // 1,048,546 bytes is 1023.96 KiB: rounded, that is the next unit, not "1024 KiB".
    return whole >= 1024 && i < BYTE_UNITS.length - 1 ? `1 ${BYTE_UNITS[i + 1]}` : `${whole} ${BYTE_UNITS[i]}`;
  }
  const fixed = value.toFixed(1);
  return `${fixed.endsWith(".0") ? fixed.slice(0, -2) : fixed} ${BYTE_UNITS[i]}`;
}

/**
 * Two sizes a reader compares (an event and a limit): as formatBytes, or both in exact bytes when rounding would
 * hide the difference ("1 MiB is larger than 1 MiB" for 1,048,586 and 1,048,576 bytes).
 */
export function formatBytesPair(a: number, b: number): [string, string] {
  const fa = formatBytes(a);
  const fb = formatBytes(b);
  if (a === b || (fa !== fb && Math.abs(a - b) * 100 >= Math.max(Math.abs(a), Math.abs(b)))) return [fa, fb];
  return [`${formatCount(a)} bytes`, `${formatCount(b)} bytes`];
}

let enUsNumbers: Intl.NumberFormat | undefined;

/** 1,234,567; -1 as unlimited where the API uses it so. */
export function formatCount(n: number, unlimitedWhenNegative = false): string {
  if (unlimitedWhenNegative && n < 0) return "unlimited";
  const whole = Math.round(n);
  // Past any uint64 counter (an event can say 1e308): 1.00e+308, not a line of 400 digits.
  if (Math.abs(whole) >= 1e21 && Number.isFinite(whole)) return whole.toExponential(2);
  // Formatters call this per event: whole numbers are grouped by hand (toLocaleString builds a formatter per call);
  // -0, NaN, infinities and numbers past 2^53 take the one cached en-US formatter, as toLocaleString would.
  if (!Number.isSafeInteger(whole) || Object.is(whole, -0)) {
    enUsNumbers ??= new Intl.NumberFormat("en-US");
    return enUsNumbers.format(whole);
  }
  const digits = String(whole < 0 ? -whole : whole);
  let grouped = digits;
  if (digits.length > 3) {
    const head = digits.length % 3 || 3;
    grouped = digits.slice(0, head);
    for (let i = head; i < digits.length; i += 3) grouped += "," + digits.slice(i, i + 3);
  }
  return whole < 0 ? "-" + grouped : grouped;
}

/** Compact rate for narrow columns: 950, 12.3k, 4.5M. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return n >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
  if (abs < 1e6) return `${(n / 1e3).toFixed(abs < 1e4 ? 1 : 0)}k`;
  if (abs < 1e9) return `${(n / 1e6).toFixed(abs < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}
