// Wall-clock times the way `stream info` and `consumer info` show them: local "2024-05-01 12:00:00", and
// "3m4s ago" for how long since. The API's "0001-01-01T00:00:00Z" means "never" and is shown as nothing.
import { formatDuration } from "./units.js";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** True for the API's zero time and anything unparsable: there is no time to show. */
export function isZeroTime(value: string | Date | undefined): boolean {
  if (value === undefined) return true;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) || ms <= 0;
}

/** Local time, seconds precision (milliseconds when asked): 2024-05-01 12:00:00. */
export function formatLocalTime(value: string | Date, withMs = false): string {
  const d = value instanceof Date ? value : new Date(value);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** "3m4s ago"; "just now" under a second; times in the future (clock skew) as "in 2s". */
export function formatAgo(value: string | Date, now = Date.now()): string {
  const ms = now - (value instanceof Date ? value.getTime() : Date.parse(value));
  if (Math.abs(ms) < 1000) return "just now";
  return ms > 0 ? `${formatDuration(ms)} ago` : `in ${formatDuration(-ms)}`;
}

/** "2024-05-01 12:00:00 (3m ago)", or undefined for the zero time. */
export function formatTimeAndAgo(value: string | Date | undefined, now = Date.now()): string | undefined {
  if (value === undefined || isZeroTime(value)) return undefined;
  return `${formatLocalTime(value)} (${formatAgo(value, now)})`;
}
