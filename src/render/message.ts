// One stored JetStream message as `stream get`, `stream view`, `consumer next` and `consumer sub` show it: a
// header line, then the event through the same Suricata formatter `tail` uses; or the raw payload; or a JSON line.
import type { MsgHdrs } from "@nats-io/nats-core";
import { decodeEvent } from "../eve/event.js";
import { formatMessage, type TimestampMode } from "../eve/format.js";
import { paletteFor } from "../eve/palette.js";
import { sanitizeText, toSafeJson } from "../text/sanitize.js";
import { UsageError } from "../errors.js";
import { parseColorChoice, shouldUseColor } from "./color.js";
import { terminalWidth } from "./table.js";
import { formatLocalTime } from "../text/time.js";
import { formatCount } from "../text/units.js";

export type PayloadMode = "event" | "raw" | "json";

export interface MessageView {
  seq: number;
  subject: string;
  time: Date;
  data: Uint8Array;
  headers?: MsgHdrs;
}

export interface MessageRenderOptions {
  color: boolean;
  timestamps: TimestampMode;
  /** Visible columns for the event line; undefined on a pipe. */
  width?: number;
}

export interface MessageOutputFlags {
  raw?: boolean;
  json?: boolean;
  color?: string;
  utc?: boolean;
}

/** --raw/--json/--color/--utc as rendering settings; width and raw escaping follow whether stdout is a terminal. */
export function messageOutput(flags: MessageOutputFlags): MessageRenderOptions & { mode: PayloadMode; toTerminal: boolean } {
  if (flags.raw && flags.json) throw new UsageError("--raw and --json do not go together: choose one");
  return {
    mode: flags.json ? "json" : flags.raw ? "raw" : "event",
    color: shouldUseColor(parseColorChoice(flags.color ?? "auto")),
    timestamps: flags.utc ? "utc" : "local",
    width: terminalWidth(),
    toTerminal: process.stdout.isTTY === true,
  };
}

/** Delivery details a consumer adds to a message. */
export interface DeliveryView {
  deliveryCount: number;
  consumerSeq: number;
  pending: number;
}

/** `[2024-05-01 12:00:00.123] subj: suricata.dns / seq: 12` (stored) or the consumer form with tries/pending. */
export function messageHeaderLine(m: MessageView, color: boolean, delivery?: DeliveryView): string {
  const p = paletteFor(color);
  const parts = [`subj: ${sanitizeText(m.subject)}`];
  if (delivery) {
    parts.push(
      `tries: ${delivery.deliveryCount}`,
      `cons seq: ${formatCount(delivery.consumerSeq)}`,
      `str seq: ${formatCount(m.seq)}`,
      `pending: ${formatCount(delivery.pending)}`,
    );
  } else {
    parts.push(`seq: ${formatCount(m.seq)}`);
  }
  return p.muted(`[${formatLocalTime(m.time, true)}] `) + parts.join(p.muted(" / "));
}

/** The event as one formatted line (never throws: a payload that is not an event is shown escaped). */
export function eventLine(m: MessageView, opts: MessageRenderOptions): string {
  return formatMessage(decodeEvent(m.data), opts);
}

function headersObject(h: MsgHdrs | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of h) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * One JSON line for scripts: where the message is, and the event as an object (or the payload as a string when
 * it is not JSON). Terminal-safe: control and bidi characters are \u-escaped.
 */
export function messageJsonLine(m: MessageView, extra: Record<string, unknown> = {}): string {
  const decoded = decodeEvent(m.data);
  return toSafeJson({
    ...extra,
    seq: m.seq,
    subject: m.subject,
    time: m.time.toISOString(),
    headers: headersObject(m.headers),
    ...(decoded.ok ? { event: decoded.event } : { data: decoded.raw, invalid: decoded.reason }),
  });
}

/**
 * The payload exactly as stored for --raw. On a terminal it is escaped like any event text (a payload can hold
 * escape sequences); on a pipe the bytes go out unchanged, since that is what --raw is for.
 */
export function rawPayload(m: MessageView, toTerminal: boolean): Uint8Array | string {
  if (!toTerminal) return m.data;
  return sanitizeText(new TextDecoder().decode(m.data));
}

/** A message in the chosen mode: header line and event, the bare payload (--raw), or one JSON line. */
export function renderMessage(
  m: MessageView,
  mode: PayloadMode,
  opts: MessageRenderOptions & { toTerminal: boolean; header: boolean; delivery?: DeliveryView; extra?: Record<string, unknown> },
): Array<string | Uint8Array> {
  if (mode === "json") return [messageJsonLine(m, opts.extra) + "\n"];
  // --raw is for piping the payload on (`| jq`): no header line around it.
  if (mode === "raw") return [rawPayload(m, opts.toTerminal), "\n"];
  const out: Array<string | Uint8Array> = [];
  if (opts.header) out.push(messageHeaderLine(m, opts.color, opts.delivery) + "\n");
  out.push(eventLine(m, opts) + "\n");
  return out;
}
