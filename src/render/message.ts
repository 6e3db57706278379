// One stored JetStream message as `stream get`, `consumer next` and `consumer sub` show it, through the same event
// output as `tail` and `stream view` (event-output.ts): a header line, the NATS headers and the event; or the raw
// payload; or one JSON line with where the message is, its headers and the event.
import type { MsgHdrs } from "@nats-io/nats-core";
import { parseTimestampsFlag, type TimestampMode } from "../eve/format.js";
import { UsageError } from "../errors.js";
import { parseColorChoice, shouldUseColor } from "./color.js";
import { EventOutput, formatMessageHeader, type DeliveryView } from "./event-output.js";
import { terminalWidth } from "./table.js";

export type { DeliveryView } from "./event-output.js";

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
  /** local, utc or none, as in tail. */
  timestamps?: string;
  /** The older spelling of --timestamps utc. */
  utc?: boolean;
}

/** local, utc or none; --utc is the older spelling of utc. */
export function timestampsOf(flags: { timestamps?: string; utc?: boolean }): TimestampMode {
  const given = flags.timestamps === undefined ? undefined : parseTimestampsFlag(flags.timestamps);
  if (flags.utc && given !== undefined && given !== "utc") throw new UsageError(`--utc and --timestamps ${given} disagree: give --timestamps only`);
  return flags.utc ? "utc" : (given ?? "local");
}

/** --raw/--json/--color/--timestamps as rendering settings; width and raw escaping follow whether stdout is a terminal. */
export function messageOutput(flags: MessageOutputFlags): MessageRenderOptions & { mode: PayloadMode; toTerminal: boolean } {
  if (flags.raw && flags.json) throw new UsageError("--raw and --json do not go together: choose one");
  return {
    mode: flags.json ? "json" : flags.raw ? "raw" : "event",
    color: shouldUseColor(parseColorChoice(flags.color ?? "auto")),
    timestamps: timestampsOf(flags),
    width: terminalWidth(),
    toTerminal: process.stdout.isTTY === true,
  };
}

/** `[2024-05-01 12:00:00.123] subj: suricata.dns / seq: 12` (stored) or the consumer form with tries/pending. */
export function messageHeaderLine(m: MessageView, color: boolean, delivery?: DeliveryView, timestamps: TimestampMode = "local"): string {
  return formatMessageHeader(delivery === undefined ? m : { ...m, delivery }, color, timestamps);
}

/** A message in the chosen mode: header line, headers and event, the bare payload (--raw), or one JSON line. */
export function renderMessage(
  m: MessageView,
  mode: PayloadMode,
  opts: MessageRenderOptions & {
    toTerminal: boolean;
    header: boolean;
    delivery?: DeliveryView;
    extra?: Record<string, unknown>;
    /** --raw to a pipe writes the payload's bytes and nothing after them (one message: `stream get --raw > file`). */
    exact?: boolean;
  },
): Array<string | Uint8Array> {
  const chunks: Array<string | Uint8Array> = [];
  const output = new EventOutput(
    { writeLine: (line) => chunks.push(line + "\n"), writeBytesLine: (bytes) => chunks.push(...(opts.exact ? [bytes] : [bytes, "\n"])) },
    {
      // --raw is for piping the payload on (`| jq`): no header line around it.
      mode: mode === "json" ? "envelope" : mode === "raw" ? "raw" : "pretty",
      color: opts.color,
      timestamps: opts.timestamps,
      ...(opts.width !== undefined ? { width: opts.width } : {}),
      toTerminal: opts.toTerminal,
      messageHeader: opts.header,
      headers: true,
      ...(opts.extra !== undefined ? { envelopeExtra: opts.extra } : {}),
    },
  );
  output.write({ seq: m.seq, subject: m.subject, time: m.time, data: m.data, ...(m.headers ? { headers: m.headers } : {}), ...(opts.delivery ? { delivery: opts.delivery } : {}) });
  return chunks;
}
