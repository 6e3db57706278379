import { describe, expect, it } from "vitest";
import type { EveEvent } from "../../src/eve/event.js";
import {
  attachLookup,
  belongsToFlow,
  buildFlowTimeline,
  dnsAnswerAddresses,
  flowKeyOf,
  parseFlowKey,
  timelineEvents,
} from "../../src/investigate/flow-timeline.js";
import type { ScannedEvent } from "../../src/investigate/scan.js";
import { payloadSearch } from "../../src/investigate/scan.js";
import { renderFlowTimeline } from "../../src/render/flow-timeline.js";
import { asObject, parseEveTimestamp } from "../../src/eve/types.js";
import { DACHOA, FIXTURES, assertTerminalSafe, hasDachoa, readEvents } from "../eve/fixtures.js";

const scanned = (events: EveEvent[]): ScannedEvent[] => events.map((event, i) => ({ event, subject: `suricata.${String(event.event_type)}`, seq: i + 1, storedMs: 1000 + i }));

function timelineOf(events: EveEvent[], id: string) {
  const key = parseFlowKey(id)!;
  const all = scanned(events);
  const mine = all.filter((e) => belongsToFlow(e.event, key));
  return attachLookup(buildFlowTimeline(key, mine), all.filter((e) => e.event.event_type === "dns"));
}

describe("flow keys", () => {
  it("reads flow_ids and community_ids, and refuses anything else", () => {
    expect(parseFlowKey("1952151646701803")).toEqual({ kind: "flow_id", id: "1952151646701803" });
    expect(parseFlowKey("1:wCb3OG7yAFWelaUydu0D+125CLM=")).toEqual({ kind: "community_id", id: "1:wCb3OG7yAFWelaUydu0D+125CLM=" });
    expect(parseFlowKey("12ab")).toBeUndefined();
    expect(parseFlowKey("1:short=")).toBeUndefined();
    expect(flowKeyOf({ flow_id: 42 })).toEqual({ kind: "flow_id", id: "42" });
    expect(flowKeyOf({ flow_id: { x: 1 } })).toBeUndefined();
  });

  it("does not take a longer id containing the digits for the flow", () => {
    const key = parseFlowKey("12345")!;
    expect(belongsToFlow({ flow_id: 123456 }, key)).toBe(false);
    expect(belongsToFlow({ flow_id: 12345 }, key)).toBe(true);
    expect(payloadSearch(["12345"])(Buffer.from('{"flow_id":9912345}'))).toBe(true);
    expect(payloadSearch(["12345"])(Buffer.from('{"flow_id":99}'))).toBe(false);
  });
});

describe("a flow's timeline from the real samples", () => {
  it("finds a v1 lookup (surevego: answer logged from the server's side) and the flow record", () => {
    const events = readEvents(`${FIXTURES}surevego-2017-multi.eve.json`);
    const t = timelineOf(events, "1132792655884373");
    expect(t.client?.ip).toBe("172.17.0.2");
    expect(t.server?.ip).toBe("151.101.12.204");
    expect(t.lookupName).toBe("prod.debian.map.fastly.net");
    expect(t.flowRecord?.event_type).toBe("flow");
    const types = timelineEvents(t).map((e) => e.event.event_type);
    expect(types[0]).toBe("dns");
    expect(types).toEqual(["dns", "flow"]);
    const times = timelineEvents(t).map((e) => Date.parse(String(e.event.timestamp)));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it.skipIf(!hasDachoa)("finds a v2 lookup (dachoa: answer logged from the client's side) for a TLS flow", () => {
    const t = timelineOf(readEvents(DACHOA), "2141074882895402");
    expect(t.lookupName).toBe("troywell.org");
    expect(t.appProto).toBe("tls");
    const text = renderFlowTimeline(t, { read: 202, stream: "suricata", window: { sinceMs: 0, untilMs: 1 } }, { color: false, timestamps: "utc" });
    expect(text).toContain("server: 5.79.101.46:443 (troywell.org)");
    expect(text).toContain("to server: 1.8 KiB in 11 packets");
    expect(text).toMatch(/DNS .*troywell\.org.*\(lookup\)/);
    expect(text).toMatch(/TLS +troywell\.org TLS 1\.3/);
    // In the timeline's zone, not the sensor's +0700 beside UTC times.
    expect(text).toMatch(/started: 2023-05-18 \d\d:\d\d:\d\d\.\d{3}Z\n/);
    const raw = asObject(t.flowRecord?.flow)?.["start"] as string;
    expect(text).toContain(`started: ${new Date(parseEveTimestamp(raw)!).toISOString().replace("T", " ")}`);
    expect(renderFlowTimeline(t, { read: 202, stream: "suricata", window: { sinceMs: 0, untilMs: 1 } }, { color: false, timestamps: "none" })).toContain(`started: ${raw}`);
  });

  it("reads v3 answers and grouped addresses", () => {
    expect(dnsAnswerAddresses({ dns: { type: "response", answers: [{ rdata: "1.2.3.4" }], grouped: { AAAA: ["::1"] } } })).toEqual(["1.2.3.4", "::1"]);
  });
});

describe("hostile events", () => {
  it("never crash the timeline and reach the terminal escaped", () => {
    const evil = "\x1b]0;owned\x07\x1b[2J\u202e";
    const events = [
      { timestamp: "2026-01-01T00:00:00Z", flow_id: 7, event_type: "dns", src_ip: "10.0.0.1", dest_ip: "10.0.0.53", dns: { type: "answer", rrname: evil, answers: "not a list", grouped: { A: [`${evil}`, 5, null] } } },
      { timestamp: "2026-01-01T00:00:01Z", flow_id: 7, event_type: "tls", src_ip: "10.0.0.1", src_port: "x", dest_ip: evil, tls: { sni: evil, subject: evil } },
      { timestamp: { no: 1 }, flow_id: 7, event_type: evil, app_proto: ["x"], flow: "nope" },
      { timestamp: "2026-01-01T00:00:02Z", flow_id: 7, event_type: "flow", src_ip: "10.0.0.1", dest_ip: evil, flow: { bytes_toserver: "9e999", pkts_toserver: -1, state: evil } },
      { flow_id: 7, event_type: "dns", src_ip: "10.0.0.1", dns: { answers: [{ rdata: evil }] } },
    ];
    const t = timelineOf(events as unknown as EveEvent[], "7");
    expect(t.events.length).toBe(5);
    const text = renderFlowTimeline(t, { read: 5, stream: "s\x1b[31m", window: { sinceMs: 0, untilMs: 1 } }, { color: false, timestamps: "utc" });
    for (const line of text.split("\n")) assertTerminalSafe(line);
  });
});

describe("a DNS event of the flow that also answers its lookup", () => {
  it("is shown once, and unusable byte counts read as unknown, not zero", () => {
    const events = [
      { timestamp: "2026-01-01T00:00:00Z", flow_id: 9, event_type: "dns", src_ip: "10.0.0.5", dest_ip: "10.0.0.1", dns: { type: "answer", rrname: "x.example", answers: [{ rrname: "x.example", rrtype: "A", rdata: "6.6.6.6" }] } },
      { timestamp: "2026-01-01T00:00:01Z", flow_id: 9, event_type: "tls", src_ip: "10.0.0.5", src_port: 40000, dest_ip: "6.6.6.6", dest_port: 443, tls: { sni: "x.example" } },
      { timestamp: "2026-01-01T00:00:02Z", flow_id: 9, event_type: "flow", src_ip: "10.0.0.5", src_port: 40000, dest_ip: "6.6.6.6", dest_port: 443, flow: { bytes_toserver: "lots", pkts_toserver: 3, bytes_toclient: 2 ** 64, pkts_toclient: 1 } },
    ];
    const t = timelineOf(events as unknown as EveEvent[], "9");
    expect(t.lookup?.seq).toBe(1);
    expect(timelineEvents(t).map((e) => e.seq)).toEqual([1, 2, 3]);
    const text = renderFlowTimeline(t, { read: 3, stream: "s", window: { sinceMs: 0, untilMs: 1 } }, { color: false, timestamps: "utc" });
    expect(text.match(/DNS /g)).toHaveLength(1);
    expect(text).toMatch(/to server: \? in 3 packets/);
    expect(text).toMatch(/to client: 16 EiB in 1 packet\n/);
  });
});
