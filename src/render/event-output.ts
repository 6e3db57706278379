// The one way a command prints events (tail, stream get, stream view, consumer next and sub): each message is
// decoded at most once, filtered, shown as a Suricata line, JSON, a --select projection or the raw payload, with
// its header line and NATS headers where asked, and counted. Lines go to a LineOutput (the LineWriter, or a list).
import type { MsgHdrs } from "@nats-io/nats-core";
import { decodeEvent } from "../eve/event.js";
import { formatMessage, type FormatOptions, type TimestampMode } from "../eve/format.js";
import { paletteFor } from "../eve/palette.js";
import type { StatsRateTracker } from "../eve/stats.js";
import type { EventFilter, EventProjection } from "../filter/index.js";
import { compactJsonText } from "../text/json-text.js";
import { sanitizeText, toSafeJson } from "../text/sanitize.js";
import { formatLocalTime } from "../text/time.js";
import { formatCount } from "../text/units.js";

/**
 * pretty: one Suricata line; json: the event object (as tail --json); envelope: where the message is, its headers
 * and the event ({seq, subject, time, headers, event}); select: a projection; raw: the payload as stored.
 */
export type EventOutputMode = "pretty" | "json" | "envelope" | "select" | "raw";

/** Delivery details a consumer adds to a message. */
export interface DeliveryView {
  deliveryCount: number;
  consumerSeq: number;
  pending: number;
}

export interface OutputMessage {
  subject: string;
  data: Uint8Array;
  /** Stream sequence (stored messages). */
  seq?: number;
  /** When the stream stored it (a Date, or epoch ms as the event source gives it). */
  time?: Date | number;
  headers?: MsgHdrs;
  delivery?: DeliveryView;
  /** A push consumer's delivery seen by tail: its header line, and the fields --json and --select see as `jetstream`. */
  jetstream?: { headerLine: string; fields: Record<string, unknown> };
}

/** Where lines go: LineWriter, or anything with the same two methods. */
export interface LineOutput {
  writeLine(line: string): void;
  writeBytesLine(bytes: Uint8Array): void;
}

export interface EventOutputOptions {
  mode: EventOutputMode;
  color: boolean;
  timestamps: TimestampMode;
  /** Visible columns for event lines; undefined = never cut (a pipe). */
  width?: number;
  /** stdout is a terminal: raw payloads are escaped there, passed through unchanged on a pipe. */
  toTerminal: boolean;
  filter?: EventFilter;
  /** A quick test on the payload text that rules out most events the filter would reject (before JSON.parse). */
  mayMatch?: (text: string) => boolean;
  projection?: EventProjection;
  /** select: strings without JSON quotes. */
  bare?: boolean;
  /** A `[time] subj: ... / seq: ...` line before each event (stream get, consumer next). */
  messageHeader?: boolean;
  /** The message's NATS headers, one escaped `  Name: value` line each, before the event line. */
  headers?: boolean;
  /** The stream sequence in a column this wide before each event line (stream view). */
  seqColumn?: number;
  /** Fields put first in envelope lines ({stream}, delivery details). */
  envelopeExtra?: Record<string, unknown>;
  /** Stats lines show rates (tail). */
  stats?: StatsRateTracker;
  /** The first message that is not an event and is skipped (json, select, a filter), for a note on stderr. */
  onFirstInvalid?(subject: string, reason: string): void;
}

export interface OutputCounts {
  received: number;
  shown: number;
  filtered: number;
  /** Not JSON event objects: shown marked (pretty without a filter) or skipped. */
  invalid: number;
}

const utf8 = new TextDecoder("utf-8");

/**
 * The line tail prints on exit: `received 10, shown 8, filtered 2, dropped 0` (not-events, and messages that left the
 * stream before a replay read them, only when there were some).
 */
export function formatOutputSummary(c: OutputCounts & { dropped: number; removed?: number }): string {
  const parts = [`received ${formatCount(c.received)}`, `shown ${formatCount(c.shown)}`, `filtered ${formatCount(c.filtered)}`];
  if (c.invalid > 0) parts.push(`not events ${formatCount(c.invalid)}`);
  parts.push(`dropped ${formatCount(c.dropped)}`);
  if (c.removed !== undefined && c.removed > 0) parts.push(`removed unread ${formatCount(c.removed)}`);
  return parts.join(", ");
}

/** `[2024-05-01 12:00:00.123] subj: suricata.dns / seq: 12`, or the consumer form with tries and pending. */
export function formatMessageHeader(m: OutputMessage, color: boolean, timestamps: TimestampMode = "local"): string {
  const p = paletteFor(color);
  const parts = [`subj: ${sanitizeText(m.subject)}`];
  const delivery = m.delivery;
  if (delivery) {
    parts.push(
      `tries: ${delivery.deliveryCount}`,
      `cons seq: ${formatCount(delivery.consumerSeq)}`,
      `str seq: ${formatCount(m.seq ?? 0)}`,
      `pending: ${formatCount(delivery.pending)}`,
    );
  } else if (m.seq !== undefined) {
    parts.push(`seq: ${formatCount(m.seq)}`);
  }
  const time = m.time === undefined || timestamps === "none" ? "" : p.muted(`[${formatStoredTime(new Date(m.time), timestamps)}] `);
  return time + parts.join(p.muted(" / "));
}

/** `2024-05-01 12:00:00.123` local, `2024-05-01 12:00:00.123Z` in UTC. */
function formatStoredTime(time: Date, timestamps: "local" | "utc"): string {
  return timestamps === "utc" ? time.toISOString().replace("T", " ") : formatLocalTime(time, true);
}

/** Header name -> values, or undefined when there are none. */
export function headersObject(h: MsgHdrs | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of h) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One `  Name: value` line per header value; names and values are untrusted text, escaped. */
export function headerLines(h: MsgHdrs | undefined, color: boolean): string[] {
  const lines: string[] = [];
  if (!h) return lines;
  const p = paletteFor(color);
  for (const [name, values] of h) {
    for (const value of values) lines.push(`  ${p.muted(`${sanitizeText(name)}:`)} ${sanitizeText(value)}`);
  }
  return lines;
}

export class EventOutput {
  readonly counts: OutputCounts = { received: 0, shown: 0, filtered: 0, invalid: 0 };
  private readonly format: FormatOptions;
  private invalidNoted = false;
  /** Raw to a pipe without a filter never needs the payload decoded. */
  private readonly passBytes: boolean;

  constructor(
    private readonly out: LineOutput,
    private readonly options: EventOutputOptions,
  ) {
    this.format = { color: options.color, timestamps: options.timestamps };
    if (options.stats !== undefined) this.format.stats = options.stats;
    this.setWidth(options.width);
    this.passBytes = options.mode === "raw" && options.filter === undefined && !options.toTerminal;
  }

  /** The terminal was resized (or the width is fixed): event lines are cut to this many columns. */
  setWidth(width: number | undefined): void {
    const column = this.options.seqColumn === undefined ? 0 : this.options.seqColumn + 1;
    if (width === undefined || width === 0) delete this.format.width;
    else this.format.width = Math.max(20, width - column);
  }

  /** One message: counted, decoded at most once, filtered and written. True when it was shown. */
  write(m: OutputMessage): boolean {
    const o = this.options;
    this.counts.received++;
    if (this.passBytes) {
      this.out.writeBytesLine(m.data);
      return this.shown();
    }
    let payload: Uint8Array | string = m.data;
    if (o.mayMatch !== undefined) {
      payload = utf8.decode(m.data);
      if (!o.mayMatch(payload)) {
        this.counts.filtered++;
        return false;
      }
    }
    const decoded = decodeEvent(payload);
    if (!decoded.ok) {
      if (o.filter === undefined && (o.mode === "raw" || o.mode === "pretty" || o.mode === "envelope")) {
        // Shown, never dropped: marked and escaped (pretty), as it came (raw), or as data with the reason (envelope).
        if (o.mode === "raw") this.out.writeLine(sanitizeText(decoded.raw));
        else if (o.mode === "envelope") this.out.writeLine(this.envelope(m, { data: decoded.raw, invalid: decoded.reason }));
        else {
          this.counts.invalid++;
          this.writeHeaders(m);
          this.out.writeLine(this.prefixed(m, formatMessage(decoded, this.format)));
        }
        return this.shown();
      }
      this.counts.invalid++;
      if (!this.invalidNoted) {
        this.invalidNoted = true;
        o.onFirstInvalid?.(m.subject, decoded.reason);
      }
      return false;
    }
    if (o.filter !== undefined && !o.filter.matches(decoded.event)) {
      this.counts.filtered++;
      return false;
    }
    switch (o.mode) {
      case "pretty":
        this.writeHeaders(m);
        this.out.writeLine(this.prefixed(m, formatMessage(decoded, this.format)));
        break;
      case "json":
        // The event's own text, so numbers stay as written (flow_id is a 64-bit integer). A delivery's metadata in a
        // field of its own, added last: where the event has a field of that name, ours is the one parsers keep.
        this.out.writeLine(m.jetstream ? withField(compactJsonText(decoded.raw), "jetstream", m.jetstream.fields) : compactJsonText(decoded.raw));
        break;
      case "envelope":
        this.out.writeLine(withField(this.envelope(m, {}), "event", undefined, compactJsonText(decoded.raw)));
        break;
      case "select": {
        const failedBefore = o.projection!.errorCount;
        const value = o.projection!.project(m.jetstream ? { ...decoded.event, jetstream: m.jetstream.fields } : decoded.event);
        // A failed evaluation is no result: nothing printed (no "null"), counted and named in the summary.
        if (o.projection!.errorCount !== failedBefore) return false;
        this.out.writeLine(o.bare && typeof value === "string" ? sanitizeText(value) : toSafeJson(value));
        break;
      }
      case "raw":
        if (o.toTerminal) this.out.writeLine(sanitizeText(decoded.raw));
        else this.out.writeBytesLine(m.data);
        break;
    }
    return this.shown();
  }

  private shown(): true {
    this.counts.shown++;
    return true;
  }

  /** The header line and the NATS headers, where asked for (text only: raw and JSON stay one line a message). */
  private writeHeaders(m: OutputMessage): void {
    const o = this.options;
    if (o.messageHeader) this.out.writeLine(formatMessageHeader(m, o.color, o.timestamps));
    if (m.jetstream) this.out.writeLine(m.jetstream.headerLine);
    if (o.headers) for (const line of headerLines(m.headers, o.color)) this.out.writeLine(line);
  }

  private prefixed(m: OutputMessage, line: string): string {
    const column = this.options.seqColumn;
    return column === undefined ? line : `${String(m.seq ?? 0).padStart(column)} ${line}`;
  }

  private envelope(m: OutputMessage, body: Record<string, unknown>): string {
    return toSafeJson({
      ...this.options.envelopeExtra,
      seq: m.seq,
      subject: m.subject,
      time: m.time === undefined ? undefined : new Date(m.time).toISOString(),
      headers: headersObject(m.headers),
      ...body,
    });
  }
}

/** A JSON object's text with one more member at its end: `value` as safe JSON, or `text` as it is. */
function withField(objectText: string, key: string, value: unknown, text = toSafeJson(value)): string {
  const body = objectText.slice(0, objectText.lastIndexOf("}"));
  const empty = /^\{\s*$/.test(body);
  return `${body}${empty ? "" : ","}${JSON.stringify(key)}:${text}}`;
}
