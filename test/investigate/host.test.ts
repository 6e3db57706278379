import { describe, expect, it } from "vitest";
import type { EveEvent } from "../../src/eve/event.js";
import { HostAggregator } from "../../src/investigate/host.js";
import { renderHostSummary } from "../../src/render/host-summary.js";
import { DACHOA, FIXTURES, assertTerminalSafe, hasDachoa, readEvents } from "../eve/fixtures.js";

const scan = { window: { sinceMs: 0, untilMs: 1 }, stream: "suricata", read: 0 };

function summarise(ip: string, events: EveEvent[], top = 10) {
  const aggregator = new HostAggregator(ip);
  for (const e of events) aggregator.add(e);
  return aggregator.summary(top, scan);
}

describe("host summary from the real samples", () => {
  it("ranks alerts by signature with their most severe severity (wrccdc)", () => {
    const events = readEvents(`${FIXTURES}wrccdc2018-alerts.eve.json`);
    const ip = "10.47.44.68";
    const s = summarise(ip, events, 100);
    const mine = events.filter((e) => e.src_ip === ip || e.dest_ip === ip);
    expect(s.eventsByType).toEqual({ alert: mine.length });
    expect(s.alerts.reduce((n, a) => n + a.count, 0)).toBe(mine.length);
    expect(s.alerts.every((a) => typeof a.severity === "number")).toBe(true);
  });

  it.skipIf(!hasDachoa)("lists names asked, SNIs, peers by bytes and app protocols (dachoa)", () => {
    const events = readEvents(DACHOA);
    const s = summarise("192.168.42.232", events, 5);
    expect(s.dnsNames.map((e) => e.key)).toContain("ssl.gstatic.com");
    expect(s.tlsSnis[0]).toMatchObject({ key: "copilot-telemetry.githubusercontent.com", count: 6 });
    const flows = events.filter((e) => e.event_type === "flow" && (e.src_ip === "192.168.42.232" || e.dest_ip === "192.168.42.232"));
    expect(summarise("192.168.42.232", events, 100).appProtos.reduce((n, e) => n + e.count, 0)).toBe(flows.length);
    expect(s.appProtos.length).toBeLessThanOrEqual(5);
    expect(s.peers[0]!.key).toBe("142.251.10.94");
    expect(s.peers.map((p) => p.weight)).toEqual([...s.peers.map((p) => p.weight)].sort((a, b) => b - a));
    const text = renderHostSummary(s, 100);
    expect(text).toContain("Host 192.168.42.232:");
    expect(text).toMatch(/copilot-telemetry\.githubusercontent\.com +6/);
  });

  it("ignores events that only mention the address elsewhere (a DNS answer)", () => {
    const s = summarise("1.2.3.4", [{ event_type: "dns", src_ip: "10.0.0.1", dest_ip: "10.0.0.53", dns: { rdata: "1.2.3.4" } }]);
    expect(s.eventsByType).toEqual({});
  });
});

describe("hostile events", () => {
  it("are counted without crashing and shown escaped", () => {
    const evil = "\x1b]0;owned\x07\x1b[2J\u202e";
    const events = [
      { event_type: "dns", src_ip: "10.0.0.1", dns: { type: "query", rrname: evil } },
      { event_type: "tls", src_ip: "10.0.0.1", tls: { sni: evil } },
      { event_type: "flow", src_ip: "10.0.0.1", dest_ip: evil, app_proto: evil, flow: { bytes_toserver: "x", bytes_toclient: 1e308 } },
      { event_type: "alert", dest_ip: "10.0.0.1", alert: { signature: evil, severity: "1" } },
      { event_type: { x: 1 }, src_ip: "10.0.0.1" },
      { event_type: "flow", src_ip: "10.0.0.1", flow: null, proto: 7 },
    ] as unknown as EveEvent[];
    const s = summarise("10.0.0.1", events);
    expect(Object.values(s.eventsByType).reduce((a, b) => a + b, 0)).toBe(6);
    for (const line of renderHostSummary(s, 80).split("\n")) assertTerminalSafe(line);
    expect(JSON.stringify(s)).not.toMatch(/[\x00-\x1f]/);
  });
});
