// Any event type without its own formatter (custom parsers, newer Suricata): never dropped, shown as its type,
// 5-tuple and the first few scalar fields of its app-layer object (or of the event itself).
import type { EveEvent } from "../event.js";
import { asObject, asText, sanitizeFieldName, type Fields } from "../types.js";
import { endpoints, joinParts, protocols, type FormatContext } from "./common.js";

const FIELDS_SHOWN = 4;
const VALUE_CHARS = 60;

/** Top-level keys every event may carry; they say nothing about what this particular event is. */
const ENVELOPE_KEYS = new Set([
  "timestamp", "flow_id", "parent_id", "event_type", "src_ip", "src_port", "dest_ip", "dest_port", "proto",
  "app_proto", "app_proto_ts", "app_proto_tc", "app_proto_orig", "app_proto_expected", "in_iface", "pcap_cnt",
  "pcap_filename", "tx_id", "host", "vlan", "ether", "community_id", "pkt_src", "direction", "tx_guessed",
  "capture_file", "metadata", "flow", "tcp",
]);

function scalarFields(obj: Fields, skip: ReadonlySet<string> | undefined, ctx: FormatContext): string[] {
  const out: string[] = [];
  for (const key of Object.keys(obj)) {
    if (out.length >= FIELDS_SHOWN) break;
    if (skip?.has(key)) continue;
    const text = asText(obj[key], VALUE_CHARS);
    if (text === undefined) continue;
    out.push(`${ctx.p.muted(`${sanitizeFieldName(key)}=`)}${text}`);
  }
  return out;
}

/** `event_type src → dst PROTO/app key=value ...` */
export function formatGenericEvent(event: EveEvent, ctx: FormatContext): string {
  const eventType = typeof event.event_type === "string" ? event.event_type : undefined;
  const own = eventType === undefined ? undefined : asObject(event[eventType]);
  const fields = own !== undefined ? scalarFields(own, undefined, ctx) : scalarFields(event, ENVELOPE_KEYS, ctx);
  return joinParts([
    ctx.p.subject(asText(eventType, 40) ?? "(no event_type)"),
    endpoints(event, ctx),
    protocols(event),
    ...fields,
  ]);
}
