// What a pane's top-N ranks, per event type: queried domains, SNIs, talkers by bytes, signatures, HTTP hosts.
// Keys are returned raw (attacker-chosen text): whoever displays them sanitises them.
import type { EveEvent } from "./event.js";
import { asArray, asNumber, asObject, asRawString, path } from "./types.js";

export interface TopKey {
  key: string;
  /** What the key adds to its rank: 1 per event, or bytes for flows. */
  weight: number;
}

export interface TopKind {
  /** Heading of the list, e.g. "top queried domains". */
  title: string;
  /** Unit of the weight column. */
  unit: "events" | "bytes";
}

const TOP_KINDS = new Map<string, TopKind>([
  ["dns", { title: "top queried domains", unit: "events" }],
  ["tls", { title: "top SNIs", unit: "events" }],
  ["flow", { title: "top talkers by bytes", unit: "bytes" }],
  ["alert", { title: "top signatures", unit: "events" }],
  ["http", { title: "top HTTP hosts", unit: "events" }],
]);

/** What the top-N of a pane showing this event type ranks; undefined for types without one. */
export function topKindOf(eventType: string): TopKind | undefined {
  return TOP_KINDS.get(eventType);
}

function nonEmpty(value: unknown): string | undefined {
  const s = asRawString(value);
  return s === undefined || s === "" ? undefined : s;
}

/** Queried names: v1/v2 queries carry dns.rrname, v3 requests dns.queries[].rrname; answers are not counted. */
function dnsQueryNames(event: EveEvent): string[] {
  const dns = asObject(event["dns"]);
  if (dns === undefined) return [];
  const type = dns["type"];
  if (type === "query") {
    const name = nonEmpty(dns["rrname"]);
    return name === undefined ? [] : [name];
  }
  if (type === "request") {
    const names: string[] = [];
    for (const q of asArray(dns["queries"]) ?? []) {
      const name = nonEmpty(asObject(q)?.["rrname"]);
      if (name !== undefined) names.push(name);
    }
    return names;
  }
  return [];
}

/** Both ends of a flow are credited with its bytes in both directions: a talker is whoever moves traffic. */
function flowTalkers(event: EveEvent): TopKey[] {
  const flow = asObject(event["flow"]);
  const bytes = (asNumber(flow?.["bytes_toserver"]) ?? 0) + (asNumber(flow?.["bytes_toclient"]) ?? 0);
  const out: TopKey[] = [];
  const src = nonEmpty(event.src_ip);
  const dest = nonEmpty(event.dest_ip);
  if (src !== undefined) out.push({ key: src, weight: bytes });
  if (dest !== undefined && dest !== src) out.push({ key: dest, weight: bytes });
  return out;
}

/** The keys an event adds to its pane's top-N (none for types without one, or when the field is missing). */
export function topKeysOf(event: EveEvent): TopKey[] {
  switch (event.event_type) {
    case "dns":
      return dnsQueryNames(event).map((key) => ({ key, weight: 1 }));
    case "tls": {
      const sni = nonEmpty(path(event, "tls", "sni"));
      return sni === undefined ? [] : [{ key: sni, weight: 1 }];
    }
    case "flow":
      return flowTalkers(event);
    case "alert": {
      const signature = nonEmpty(path(event, "alert", "signature"));
      return signature === undefined ? [] : [{ key: signature, weight: 1 }];
    }
    case "http": {
      const host = nonEmpty(path(event, "http", "hostname"));
      return host === undefined ? [] : [{ key: host, weight: 1 }];
    }
    default:
      return [];
  }
}
