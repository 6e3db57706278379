// One EVE event -> one terminal line: `[timestamp] TYPE  body`. Used by tail, tui, consumer next and stream get,
// so every way of looking at events reads the same. Every string from the event is sanitised before it is shown.
import type { DecodedMessage, EveEvent } from "./event.js";
import { UsageError } from "../errors.js";
import { paletteFor } from "./palette.js";
import { sanitizeText } from "../text/sanitize.js";
import type { StatsRateTracker } from "./stats.js";
import { asObject, parseEveTimestamp } from "./types.js";
import { truncateToWidth } from "../text/width.js";
import type { EventFormatter, FormatContext } from "./formatters/common.js";
import { formatAlertEvent } from "./formatters/alert.js";
import { formatAnomalyEvent } from "./formatters/anomaly.js";
import { formatDnsEvent } from "./formatters/dns.js";
import { formatFileinfoEvent } from "./formatters/fileinfo.js";
import { formatFlowEvent } from "./formatters/flow.js";
import { formatGenericEvent } from "./formatters/generic.js";
import { formatHttpEvent } from "./formatters/http.js";
import { formatNetflowEvent } from "./formatters/netflow.js";
import { formatSmbEvent } from "./formatters/smb.js";
import { formatSshEvent } from "./formatters/ssh.js";
import { formatStatsEvent } from "./formatters/stats.js";
import { formatTlsEvent } from "./formatters/tls.js";

export type TimestampMode = "local" | "utc" | "none";

/** A --timestamps value (tail, tui, flow, stream and consumer commands alike). */
export function parseTimestampsFlag(text: string): TimestampMode {
  if (text === "local" || text === "utc" || text === "none") return text;
  throw new UsageError(`invalid --timestamps '${text}': use local, utc or none`);
}

export interface FormatOptions {
  color: boolean;
  timestamps: TimestampMode;
  /** Visible columns; undefined = no truncation. */
  width?: number;
  /** When given, stats lines show rates; formatEvent calls `stats.update()` once for every stats event. */
  stats?: StatsRateTracker;
}

// A Map, not an object literal: event_type is attacker-chosen and must not reach "__proto__" or "constructor".
const FORMATTERS = new Map<string, EventFormatter>([
  ["alert", formatAlertEvent],
  ["anomaly", formatAnomalyEvent],
  ["dns", formatDnsEvent],
  ["fileinfo", formatFileinfoEvent],
  ["flow", formatFlowEvent],
  ["http", formatHttpEvent],
  // Suricata logs HTTP/2 transactions with the same `http` object (plus `http.http2`): host, URL and status.
  ["http2", (event, ctx) => (asObject(event.http) ? formatHttpEvent(event, ctx) : formatGenericEvent(event, ctx))],
  ["netflow", formatNetflowEvent],
  ["smb", formatSmbEvent],
  ["ssh", formatSshEvent],
  ["stats", formatStatsEvent],
  ["tls", formatTlsEvent],
]);

export const TYPE_TAG_WIDTH = 5;

const TYPE_TAGS = new Map<string, string>([
  ["alert", "ALERT"],
  ["anomaly", "ANOM"],
  ["dns", "DNS"],
  ["fileinfo", "FILE"],
  ["flow", "FLOW"],
  ["http", "HTTP"],
  ["http2", "HTTP2"],
  ["netflow", "NFLOW"],
  ["smb", "SMB"],
  ["ssh", "SSH"],
  ["stats", "STATS"],
  ["tls", "TLS"],
  ["quic", "QUIC"],
  ["dhcp", "DHCP"],
  ["ftp", "FTP"],
  ["ftp_data", "FTPD"],
  ["smtp", "SMTP"],
  ["krb5", "KRB5"],
  ["snmp", "SNMP"],
  ["tftp", "TFTP"],
  ["ikev2", "IKE"],
  ["ike", "IKE"],
  ["mqtt", "MQTT"],
  ["rdp", "RDP"],
  ["rfb", "RFB"],
  ["sip", "SIP"],
  ["nfs", "NFS"],
  ["pgsql", "PGSQL"],
  ["bittorrent_dht", "BTDHT"],
  ["drop", "DROP"],
  ["frame", "FRAME"],
]);

const PADDED_TYPE_TAGS = new Map([...TYPE_TAGS].map(([type, tag]) => [type, tag.padEnd(TYPE_TAG_WIDTH)]));

/** The fixed-width (5 column) tag of an event type: known names, else the type's first letters in capitals. */
export function typeTag(eventType: string | undefined): string {
  if (eventType === undefined) return "?".padEnd(TYPE_TAG_WIDTH);
  const known = PADDED_TYPE_TAGS.get(eventType);
  if (known !== undefined) return known;
  const letters = eventType.replace(/[^A-Za-z0-9_-]/g, "?").slice(0, TYPE_TAG_WIDTH).toUpperCase();
  return (letters === "" ? "?" : letters).padEnd(TYPE_TAG_WIDTH);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

const NO_TIME_LOCAL = "--:--:--.---";
const NO_TIME_UTC = "--:--:--.---Z";

// Events arrive in time order, many in each second: the `HH:MM:SS.` of the last second shown is kept, so most events
// format only their milliseconds (no Date, no time-zone lookup). The cache is per mode; a second is never ambiguous,
// as an instant has one local time.
const secondPrefix = { local: { second: NaN, text: "" }, utc: { second: NaN, text: "" } };

/** `HH:MM:SS.mmm` in local time, `HH:MM:SS.mmmZ` in UTC, or "" for "none". */
export function formatTimestamp(timestamp: unknown, mode: TimestampMode): string {
  if (mode === "none") return "";
  const ms = parseEveTimestamp(timestamp);
  if (ms === undefined) return mode === "utc" ? NO_TIME_UTC : NO_TIME_LOCAL;
  const second = Math.floor(ms / 1000);
  const cached = secondPrefix[mode];
  if (cached.second !== second) {
    const d = new Date(second * 1000);
    cached.second = second;
    cached.text =
      mode === "utc"
        ? `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.`
        : `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
  }
  const millis = pad3(ms - second * 1000);
  return mode === "utc" ? `${cached.text}${millis}Z` : cached.text + millis;
}

function finishLine(prefixTime: string, tag: string, body: string, ctx: FormatContext): string {
  const time = prefixTime === "" ? "" : ctx.p.muted(prefixTime) + " ";
  // An event with none of its type's fields still says so, rather than ending in the tag's padding.
  const line = `${time}${tag} ${body === "" ? ctx.p.muted("(no fields)") : body}`;
  return ctx.opts.width === undefined ? line : truncateToWidth(line, ctx.opts.width);
}

/** One line, no newline: `[timestamp] TYPE  body`, sanitised, coloured when opts.color, cut to opts.width. */
export function formatEvent(event: EveEvent, opts: FormatOptions): string {
  const ctx: FormatContext = { opts, p: paletteFor(opts.color) };
  const fields: EveEvent = asObject(event) ?? {};
  const eventType = typeof fields.event_type === "string" ? fields.event_type : undefined;
  const formatter = eventType === undefined ? undefined : FORMATTERS.get(eventType);
  let body: string;
  try {
    body = (formatter ?? formatGenericEvent)(fields, ctx);
  } catch {
    // Formatters are written not to throw; if one still does on some odd input, show the event generically.
    try {
      body = formatGenericEvent(fields, ctx);
    } catch {
      body = ctx.p.bad("(unformattable event)");
    }
  }
  const tag = ctx.p.tag(eventType, typeTag(eventType));
  return finishLine(formatTimestamp(fields.timestamp, opts.timestamps), tag, body, ctx);
}

/** Characters of an invalid message shown; the rest is cut (the message may be megabytes of garbage). */
const INVALID_PREVIEW_CHARS = 2000;

/** A message that is not an event: `[invalid: not JSON] <escaped text>`, never dropped. */
export function formatInvalid(raw: string, reason: string, opts: FormatOptions): string {
  const p = paletteFor(opts.color);
  const clipped = raw.length > INVALID_PREVIEW_CHARS ? raw.slice(0, INVALID_PREVIEW_CHARS) + "…" : raw;
  const line = `${p.bad(`[invalid: ${sanitizeText(reason)}]`)} ${sanitizeText(clipped)}`;
  return opts.width === undefined ? line : truncateToWidth(line, opts.width);
}

export function formatMessage(decoded: DecodedMessage, opts: FormatOptions): string {
  return decoded.ok ? formatEvent(decoded.event, opts) : formatInvalid(decoded.raw, decoded.reason, opts);
}
