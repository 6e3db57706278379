// Pieces shared by the per-type formatters: the context they receive and the few line fragments they all use.
import type { FormatOptions } from "../format.js";
import type { Palette } from "../palette.js";
import type { EveEvent } from "../event.js";
import { formatBytes } from "../../text/units.js";
import { asText, formatEndpoint } from "../types.js";

export interface FormatContext {
  opts: FormatOptions;
  p: Palette;
}

/** A formatter turns one event into the body of its line (after timestamp and type tag). */
export type EventFormatter = (event: EveEvent, ctx: FormatContext) => string;

/** Joins the parts that are present with one space; missing parts leave no gap. */
export function joinParts(parts: ReadonlyArray<string | undefined | false>): string {
  let out = "";
  for (const part of parts) {
    if (part === undefined || part === false || part === "") continue;
    out = out === "" ? part : `${out} ${part}`;
  }
  return out;
}

/** "a:1 → b:2" from the event's 5-tuple; `swap` shows dest first (e.g. a DNS response logged from the server). */
export function endpoints(event: EveEvent, ctx: FormatContext, swap = false): string | undefined {
  const src = formatEndpoint(event.src_ip, event.src_port);
  const dst = formatEndpoint(event.dest_ip, event.dest_port);
  if (src === undefined && dst === undefined) return undefined;
  const [left, right] = swap ? [dst, src] : [src, dst];
  return `${left ?? "?"} ${ctx.p.muted("→")} ${right ?? "?"}`;
}

/** "TCP", "UDP/dns", "TCP/tls"; undefined when neither is known. */
export function protocols(event: EveEvent): string | undefined {
  const proto = asText(event.proto);
  const app = asText(event.app_proto);
  if (proto === undefined) return app;
  if (app === undefined || app === "failed" || app === "unknown") return proto;
  return `${proto}/${app}`;
}

/** "label value" with a muted label; undefined when the value is missing. */
export function labelled(ctx: FormatContext, label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${ctx.p.muted(label)} ${value}`;
}

/** The first `max` items joined with ", ", then "+N more". */
export function listWithMore(items: string[], max: number): string | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} +${items.length - max} more` : shown;
}

/** Bytes humanised; undefined for missing or negative values (formatBytes reads -1 as "unlimited"). */
export function bytesText(n: number | undefined): string | undefined {
  return n === undefined || n < 0 ? undefined : formatBytes(n);
}
