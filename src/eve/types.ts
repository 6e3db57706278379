// Reading EVE fields defensively. Events come from the network: any field may be missing, null, a string where a
// number was expected, or an array where an object was expected. These helpers never throw and never return a
// value of the wrong type, so formatters can stay short.
import { sanitizeText } from "../text/sanitize.js";

export type Fields = Record<string, unknown>;

/** A plain object (not null, not an array), else undefined. */
export function asObject(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** A finite number, or a string holding one ("42"); anything else is undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** Longest field shown; a megabyte URL would otherwise become a megabyte line. */
export const MAX_FIELD_CHARS = 1024;

/** Cuts raw text to `maxChars` with "…", without splitting a surrogate pair. */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + "…";
}

/**
 * A scalar as display text, already sanitised; undefined for missing values, objects, arrays and empty strings.
 * Every string that reaches a formatted line goes through here (or through sanitizeText directly).
 */
export function asText(value: unknown, maxChars = MAX_FIELD_CHARS): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : sanitizeText(clip(value, maxChars));
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "boolean") return String(value);
  return undefined;
}

/** Raw (unsanitised) string value, for parsing; never for output. */
export function asRawString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A counter that is missing or malformed counts as 0 (Suricata 8 can omit zero counters). */
export function counter(value: unknown): number {
  return asNumber(value) ?? 0;
}

/** Walks nested objects: path(event, "stats", "capture", "kernel_drops"). */
export function path(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const obj = asObject(current);
    if (obj === undefined) return undefined;
    current = obj[key];
  }
  return current;
}

/** The object under `key` of an event, or an empty one, so formatters can read fields without checks. */
const EMPTY: Fields = Object.freeze({}) as Fields;
export function section(event: Fields, key: string): Fields {
  return asObject(event[key]) ?? EMPTY;
}

/** "ip:port", "[v6]:port", or just the ip; undefined without an ip. */
export function formatEndpoint(ip: unknown, port: unknown): string | undefined {
  const ipText = asText(ip);
  const portNumber = asNumber(port);
  if (ipText === undefined) return portNumber === undefined ? undefined : `?:${portNumber}`;
  if (portNumber === undefined) return ipText;
  return ipText.includes(":") ? `[${ipText}]:${portNumber}` : `${ipText}:${portNumber}`;
}

/** Parses an EVE timestamp ("2023-05-17T15:16:08.047236+0700", also "+07:00", "Z" or none = UTC) to epoch ms. */
export function parseEveTimestamp(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  // Every event has one: the fixed layout is read by character codes, the rest (spaces before the zone, odd
  // shapes) by the pattern, which also says undefined for what is not a timestamp.
  return parseFixedTimestamp(value) ?? parseTimestampPattern(value);
}

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/;

function parseTimestampPattern(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (m === null) return undefined;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  let epoch = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(epoch) ? epoch : undefined;
}

/** The digit at `i` as a number, or -1. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at `i` as a number, or -1. */
function twoDigitsAt(text: string, i: number): number {
  const tens = digitAt(text, i);
  const ones = digitAt(text, i + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

// Events of one run share their date: the day's epoch is computed once per date, not once per event.
let cachedYear = -1;
let cachedMonth = -1;
let cachedDay = -1;
let cachedDayEpoch = 0;

/**
 * `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HHMM|±HH:MM]` without spaces, by character codes; undefined for anything
 * else (left to the pattern). The same arithmetic as Date.UTC: the day from Date.UTC, the time of day added.
 */
function parseFixedTimestamp(text: string): number | undefined {
  const length = text.length;
  if (length < 19) return undefined;
  const century = twoDigitsAt(text, 0);
  const yearOfCentury = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  const second = twoDigitsAt(text, 17);
  if (century < 0 || yearOfCentury < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const year = century * 100 + yearOfCentury;
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(7) !== 45 || (separator !== 84 /* T */ && separator !== 32 /* space */)) return undefined;
  if (text.charCodeAt(13) !== 58 /* : */ || text.charCodeAt(16) !== 58) return undefined;

  let i = 19;
  let ms = 0;
  if (i < length && text.charCodeAt(i) === 46 /* . */) {
    const start = ++i;
    while (i < length && digitAt(text, i) >= 0) i++;
    const digits = i - start;
    if (digits < 1 || digits > 9) return undefined;
    ms = digitAt(text, start) * 100 + (digits > 1 ? digitAt(text, start + 1) * 10 : 0) + (digits > 2 ? digitAt(text, start + 2) : 0);
  }

  let offsetMinutes = 0;
  if (i < length) {
    const zone = text.charCodeAt(i);
    if (zone === 90 /* Z */) {
      if (i + 1 !== length) return undefined;
    } else if (zone === 43 /* + */ || zone === 45 /* - */) {
      const zoneHours = twoDigitsAt(text, i + 1);
      const colon = text.charCodeAt(i + 3) === 58 ? 1 : 0;
      const zoneMinutes = twoDigitsAt(text, i + 3 + colon);
      if (zoneHours < 0 || zoneMinutes < 0 || i + 5 + colon !== length) return undefined;
      offsetMinutes = (zone === 45 ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
    } else {
      return undefined;
    }
  }

  if (year !== cachedYear || month !== cachedMonth || day !== cachedDay) {
    const dayEpoch = Date.UTC(year, month - 1, day);
    if (!Number.isFinite(dayEpoch)) return undefined;
    cachedYear = year;
    cachedMonth = month;
    cachedDay = day;
    cachedDayEpoch = dayEpoch;
  }
  return cachedDayEpoch + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMinutes * 60_000;
}

/** The CN of a distinguished name as Suricata writes it ("C=US, O=Org, CN=host" or ".../CN=host/emailAddress=x"). */
const COMMON_NAME = /(?:^|[,/]\s*)CN=([^,/]*)/;
export function commonName(dn: unknown): string | undefined {
  if (typeof dn !== "string") return undefined;
  const m = COMMON_NAME.exec(dn);
  return m === null ? undefined : asText(m[1]!.trim());
}

/** An object key as display text (keys are attacker-chosen too), cut short. */
export function sanitizeFieldName(key: string): string {
  return sanitizeText(clip(key, 40));
}
