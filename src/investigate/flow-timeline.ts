// One flow's story from the events of a window: every event carrying its flow_id (or community_id) in time order,
// who the client and the server were, the final flow record, and the DNS lookup that gave the client the server's
// address. Pure: the scan feeds events in, a renderer or --json takes the result out. Events are untrusted: fields
// are read through types.ts and nothing here assumes a type.
import type { EveEvent } from "../eve/event.js";
import { asArray, asNumber, asObject, asRawString, parseEveTimestamp } from "../eve/types.js";
import type { ScannedEvent } from "./scan.js";

/** What identifies the flow: Suricata's flow_id (decimal digits) or a Community ID ("1:base64="). */
export type FlowKey = { kind: "flow_id"; id: string } | { kind: "community_id"; id: string };

const FLOW_ID = /^\d{1,20}$/;
const COMMUNITY_ID = /^1:[A-Za-z0-9+/]{27}=$/;

/** Reads FLOW_ID as a flow_id or a community_id; undefined when it is neither. */
export function parseFlowKey(text: string): FlowKey | undefined {
  const trimmed = text.trim();
  if (FLOW_ID.test(trimmed)) return { kind: "flow_id", id: trimmed.replace(/^0+(?=\d)/, "") };
  if (COMMUNITY_ID.test(trimmed)) return { kind: "community_id", id: trimmed };
  return undefined;
}

/** The flow key of an event: its flow_id, else its community_id. */
export function flowKeyOf(event: EveEvent): FlowKey | undefined {
  const flowId = event["flow_id"];
  if (typeof flowId === "number" && Number.isSafeInteger(flowId) && flowId >= 0) return { kind: "flow_id", id: String(flowId) };
  if (typeof flowId === "string" && FLOW_ID.test(flowId)) return { kind: "flow_id", id: flowId };
  const community = asRawString(event["community_id"]);
  return community !== undefined && COMMUNITY_ID.test(community) ? { kind: "community_id", id: community } : undefined;
}

/** Bytes a payload of this flow must contain: the digits of the id, or the community id itself. */
export function flowNeedle(key: FlowKey): string {
  return key.id;
}

/** Does the event belong to the flow? (The byte search only said it might.) */
export function belongsToFlow(event: EveEvent, key: FlowKey): boolean {
  if (key.kind === "community_id") return event["community_id"] === key.id;
  const flowId = event["flow_id"];
  return (typeof flowId === "number" || typeof flowId === "string") && String(flowId) === key.id;
}

export interface Endpoint {
  ip: string;
  port?: number;
}

export interface FlowTimeline {
  key: FlowKey;
  /** The flow's events, time order (then stream order). */
  events: ScannedEvent[];
  client?: Endpoint;
  server?: Endpoint;
  proto?: string;
  appProto?: string;
  communityId?: string;
  flowId?: string;
  /** The last flow record (Suricata writes one when the flow ends or times out). */
  flowRecord?: EveEvent;
  /** The DNS answer that gave the client the server's address, latest before the flow started. */
  lookup?: ScannedEvent;
  /** The name the client asked for in that lookup. */
  lookupName?: string;
}

function timeOf(e: ScannedEvent): number {
  return parseEveTimestamp(e.event.timestamp) ?? e.storedMs;
}

function byTime(a: ScannedEvent, b: ScannedEvent): number {
  return timeOf(a) - timeOf(b) || a.seq - b.seq;
}

function endpoint(ip: unknown, port: unknown): Endpoint | undefined {
  const address = asRawString(ip);
  if (address === undefined || address === "") return undefined;
  const p = asNumber(port);
  return p === undefined ? { ip: address } : { ip: address, port: p };
}

/**
 * The flow's events, sorted, with client and server taken from the flow record or an app-layer event (their
 * src is the client); alerts are the last resort, since a rule matching the reply names the server as src.
 */
export function buildFlowTimeline(key: FlowKey, flowEvents: ScannedEvent[]): FlowTimeline {
  const events = [...flowEvents].sort(byTime);
  const timeline: FlowTimeline = { key, events };
  const flowRecords = events.filter((e) => e.event.event_type === "flow");
  timeline.flowRecord = flowRecords[flowRecords.length - 1]?.event;
  const oriented = timeline.flowRecord ?? events.find((e) => e.event.event_type !== "alert")?.event ?? events[0]?.event;
  if (oriented !== undefined) {
    const client = endpoint(oriented.src_ip, oriented.src_port);
    const server = endpoint(oriented.dest_ip, oriented.dest_port);
    if (client !== undefined) timeline.client = client;
    if (server !== undefined) timeline.server = server;
    const proto = asRawString(oriented.proto);
    if (proto !== undefined) timeline.proto = proto;
  }
  const appProto = events.map((e) => asRawString(e.event.app_proto)).find((p) => p !== undefined && p !== "failed");
  if (appProto !== undefined) timeline.appProto = appProto;
  const community = events.map((e) => asRawString(e.event["community_id"])).find((c) => c !== undefined);
  if (community !== undefined) timeline.communityId = community;
  const flowId = events.map((e) => flowKeyOf(e.event)).find((k) => k?.kind === "flow_id");
  if (flowId !== undefined) timeline.flowId = flowId.id;
  return timeline;
}

/** When the flow started: its flow record's flow.start, else its first event. */
export function flowStartMs(timeline: FlowTimeline): number | undefined {
  const start = parseEveTimestamp(asObject(timeline.flowRecord?.["flow"])?.["start"]);
  if (start !== undefined) return start;
  const first = timeline.events[0];
  return first === undefined ? undefined : timeOf(first);
}

/** Addresses a DNS event answered with: v1 flat rdata, v2/v3 answers[].rdata and grouped A/AAAA. */
export function dnsAnswerAddresses(event: EveEvent): string[] {
  const dns = asObject(event["dns"]);
  if (dns === undefined) return [];
  const out: string[] = [];
  const add = (value: unknown) => {
    const text = asRawString(value);
    if (text !== undefined && text !== "") out.push(text);
  };
  add(dns["rdata"]);
  for (const answer of asArray(dns["answers"]) ?? []) add(asObject(answer)?.["rdata"]);
  const grouped = asObject(dns["grouped"]);
  for (const type of ["A", "AAAA"]) for (const value of asArray(grouped?.[type]) ?? []) add(value);
  return out;
}

/** The name asked in a DNS event: v1/v2 rrname, v3 queries[0].rrname. */
export function dnsQuestionName(event: EveEvent): string | undefined {
  const dns = asObject(event["dns"]);
  return asRawString(dns?.["rrname"]) ?? asRawString(asObject(asArray(dns?.["queries"])?.[0])?.["rrname"]);
}

/**
 * Is this DNS event the client's lookup of the server? The answer holds the server's address, and the client is
 * one end of the DNS exchange (v2 logs answers from the client's side, v1 and v3 from the server's).
 */
export function isLookupOf(event: EveEvent, client: string, server: string): boolean {
  if (event.event_type !== "dns") return false;
  if (event.src_ip !== client && event.dest_ip !== client) return false;
  return dnsAnswerAddresses(event).includes(server);
}

/** Picks the lookup: the latest matching answer at or before the flow's start, else the earliest after it. */
export function attachLookup(timeline: FlowTimeline, dnsEvents: ScannedEvent[]): FlowTimeline {
  const client = timeline.client?.ip;
  const server = timeline.server?.ip;
  if (client === undefined || server === undefined) return timeline;
  const matches = dnsEvents.filter((e) => isLookupOf(e.event, client, server)).sort(byTime);
  if (matches.length === 0) return timeline;
  const start = flowStartMs(timeline) ?? Infinity;
  const before = matches.filter((e) => timeOf(e) <= start);
  const lookup = before.length > 0 ? before[before.length - 1]! : matches[0]!;
  const name = dnsQuestionName(lookup.event);
  return { ...timeline, lookup, ...(name !== undefined ? { lookupName: name } : {}) };
}

/** The timeline's events with the lookup in its place, for printing and --json. */
export function timelineEvents(timeline: FlowTimeline): ScannedEvent[] {
  const lookup = timeline.lookup;
  // A DNS event of the flow itself that also answers its lookup is shown once.
  if (lookup === undefined || timeline.events.some((e) => e.seq === lookup.seq)) return timeline.events;
  return [lookup, ...timeline.events].sort(byTime);
}
