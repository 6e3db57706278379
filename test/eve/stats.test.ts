// Rates from consecutive stats events, restart detection, live vs pcap counters.
import { describe, expect, it } from "vitest";
import { formatEvent } from "../../src/eve/format.js";
import { StatsRateTracker } from "../../src/eve/stats.js";
import { DACHOA, FIXTURES, hasDachoa, PLAIN, readEvents } from "./fixtures.js";

function statsEvent(uptime: number, timestamp: string, counters: { pkts?: number; bytes?: number; kp?: number; kd?: number; alerts?: number; dns?: number; tls?: number; active?: number }, host?: string) {
  return {
    timestamp,
    event_type: "stats",
    ...(host === undefined ? {} : { host }),
    stats: {
      uptime,
      capture: { kernel_packets: counters.kp ?? 0, kernel_drops: counters.kd ?? 0 },
      decoder: { pkts: counters.pkts ?? 0, bytes: counters.bytes ?? 0, invalid: 0 },
      flow: counters.active === undefined ? {} : { active: counters.active },
      detect: { alert: counters.alerts ?? 0 },
      app_layer: { flow: { dns_udp: counters.dns ?? 0, tls: counters.tls ?? 0 } },
    },
  };
}

describe.skipIf(!hasDachoa)("StatsRateTracker on the dachoa live-capture sample", () => {
  const stats = hasDachoa ? readEvents(DACHOA).filter((e) => e["event_type"] === "stats") : [];

  it("has no rates for the first event, only totals", () => {
    const s = new StatsRateTracker().update(stats[0]!);
    expect(s).toMatchObject({ host: "default", uptime: 9, restarted: false, packetSource: "capture", kernelDropPctTotal: 0 });
    expect(s.packetsPerSec).toBeUndefined();
    expect(s.bytesPerSec).toBeUndefined();
    expect(s.totals).toEqual({ packets: 0, bytes: 0, invalid: 0, kernelPackets: 0, kernelDrops: 0, alerts: 0 });
  });

  it("computes rates from the difference with the previous event over the timestamp interval", () => {
    const tracker = new StatsRateTracker();
    tracker.update(stats[0]!);
    const s = tracker.update(stats[1]!);
    // 15:16:14.432969 - 15:16:08.047236 = 6.385733 s (timestamps are cut to ms: 6.385 s)
    expect(s.intervalSeconds).toBeCloseTo(6.385, 3);
    expect(s.packetsPerSec).toBeCloseTo(17 / 6.385, 6);
    expect(s.bytesPerSec).toBeCloseTo(1580 / 6.385, 6);
    expect(s.kernelDropPct).toBe(0);
    expect(s.alertsPerSec).toBe(0);
    expect(s.restarted).toBe(false);
  });

  it("detects the restart when uptime goes down, and restarts rates from there", () => {
    const tracker = new StatsRateTracker();
    tracker.update(stats[0]!);
    tracker.update(stats[1]!);
    const restarted = tracker.update(stats[2]!); // uptime 15 -> 8
    expect(restarted.restarted).toBe(true);
    expect(restarted.packetsPerSec).toBeUndefined();
    const next = tracker.update(stats[3]!); // uptime 16, 8.000761 s later, 14 - 6 packets
    expect(next.restarted).toBe(false);
    expect(next.packetsPerSec).toBeCloseTo(8 / 8.001, 6);
    expect(next.bytesPerSec).toBeCloseTo((1342 - 628) / 8.001, 6);
  });

  it("detects a restart whose uptime is already past the previous run's (start time moved)", () => {
    const tracker = new StatsRateTracker();
    tracker.update(stats[8]!); // 2023-05-17T18:35:20 uptime 7
    const s = tracker.update(stats[9]!); // next day, uptime 8
    expect(s.restarted).toBe(true);
    expect(s.packetsPerSec).toBeUndefined();
  });

  it("rates app-layer flows from stats.app_layer.flow.*", () => {
    const tracker = new StatsRateTracker();
    tracker.update(stats[10]!);
    const s = tracker.update(stats[11]!); // 6.399730 s later: tls 0 -> 2, dns_udp 0 -> 3
    expect(s.appLayerFlowsPerSec?.["tls"]).toBeCloseTo(2 / 6.4, 6);
    expect(s.appLayerFlowsPerSec?.["dns_udp"]).toBeCloseTo(3 / 6.4, 6);
    expect(s.appLayerFlowsPerSec?.["failed_udp"]).toBe(0);
  });

  it("counts restarts over the whole file", () => {
    const tracker = new StatsRateTracker();
    const restarts = stats.map((e) => tracker.update(e)).filter((s) => s.restarted).length;
    // Every run in this capture starts at uptime 7-9 s; each new run after the first is a restart.
    const runs = stats.filter((e) => ((e["stats"] as { uptime: number }).uptime <= 9)).length;
    expect(restarts).toBe(runs - 1);
  });

  it("the stats line shows rates when given the tracker", () => {
    const tracker = new StatsRateTracker();
    const opts = { ...PLAIN, stats: tracker };
    expect(formatEvent(stats[0]!, opts)).toBe("STATS up 9s pkts 0 bytes 0 B drop 0% alerts 0");
    expect(formatEvent(stats[1]!, opts)).toBe("STATS up 15s 2.7 pkt/s 247 B/s drop 0% alerts 0/s");
    expect(formatEvent(stats[2]!, opts)).toBe("STATS up 8s RESTARTED pkts 6 bytes 628 B drop 0% alerts 0");
  });
});

describe("StatsRateTracker with made-up counters", () => {
  it("kernel drop % over the interval and since start: drops / (packets + drops)", () => {
    const tracker = new StatsRateTracker();
    tracker.update(statsEvent(10, "2025-01-01T00:00:00.000000+0000", { kp: 900, kd: 100 }));
    const s = tracker.update(statsEvent(18, "2025-01-01T00:00:08.000000+0000", { kp: 1700, kd: 300, pkts: 1600, bytes: 8_000_000, alerts: 16 }));
    expect(s.kernelDropPct).toBeCloseTo((200 / (800 + 200)) * 100, 9); // 20 %
    expect(s.kernelDropPctTotal).toBeCloseTo((300 / 2000) * 100, 9); // 15 %
    expect(s.packetsPerSec).toBe(100); // kernel packets on live capture
    expect(s.bytesPerSec).toBe(1_000_000);
    expect(s.alertsPerSec).toBe(2);
    expect(formatEvent(statsEvent(26, "2025-01-01T00:00:16.000000+0000", { kp: 2500, kd: 300, pkts: 2400, bytes: 16_000_000, alerts: 16, active: 1234 }), { ...PLAIN, stats: tracker })).toBe(
      "STATS up 26s 100 pkt/s 977 KiB/s drop 0% (10.7% total) flows 1,234 alerts 0/s",
    );
  });

  it("keys sensors by host, then in_iface, then default", () => {
    const tracker = new StatsRateTracker();
    tracker.update(statsEvent(10, "2025-01-01T00:00:00Z", { kp: 0 }, "sensor-a"));
    tracker.update(statsEvent(10, "2025-01-01T00:00:00Z", { kp: 0 }, "sensor-b"));
    const a = tracker.update(statsEvent(20, "2025-01-01T00:00:10Z", { kp: 1000 }, "sensor-a"));
    const b = tracker.update(statsEvent(20, "2025-01-01T00:00:10Z", { kp: 50 }, "sensor-b"));
    expect(a).toMatchObject({ host: "sensor-a", packetsPerSec: 100 });
    expect(b).toMatchObject({ host: "sensor-b", packetsPerSec: 5 });
    expect(tracker.update({ event_type: "stats", in_iface: "eth1", stats: { uptime: 1 } }).host).toBe("eth1");
    expect(tracker.hosts()).toEqual(["sensor-a", "sensor-b", "eth1"]);
  });

  it("falls back to uptime when timestamps are missing", () => {
    const tracker = new StatsRateTracker();
    tracker.update({ event_type: "stats", stats: { uptime: 100, decoder: { pkts: 0 } } });
    const s = tracker.update({ event_type: "stats", stats: { uptime: 110, decoder: { pkts: 500 } } });
    expect(s).toMatchObject({ intervalSeconds: 10, packetsPerSec: 50, packetSource: "decoder" });
  });

  it("treats missing counters as 0 and a counter that went backwards as no rate", () => {
    const tracker = new StatsRateTracker();
    tracker.update({ event_type: "stats", stats: { uptime: 100, decoder: { pkts: 500, bytes: 1000 } } });
    const s = tracker.update({ event_type: "stats", stats: { uptime: 110, decoder: { pkts: 400 } } });
    expect(s.packetsPerSec).toBeUndefined();
    expect(s.bytesPerSec).toBeUndefined(); // 1000 -> missing (0)
    expect(s.totals).toEqual({ packets: 400, bytes: 0, invalid: 0, alerts: 0 });
  });

  it("pcap mode (no capture block) rates decoder packets", () => {
    const [stats] = readEvents(`${FIXTURES}surevego-2017-multi.eve.json`).filter((e) => e["event_type"] === "stats");
    const s = new StatsRateTracker().update(stats!);
    expect(s).toMatchObject({ packetSource: "decoder", uptime: 1, totals: { packets: 56690, bytes: 58027147, alerts: 68 } });
    expect(s.kernelDropPctTotal).toBeUndefined();
  });

  it("is idempotent for the same event, so the TUI pane and the formatted line can share a tracker", () => {
    const tracker = new StatsRateTracker();
    tracker.update(statsEvent(10, "2025-01-01T00:00:00Z", { kp: 0 }));
    const event = statsEvent(20, "2025-01-01T00:00:10Z", { kp: 1000 });
    const first = tracker.update(event);
    expect(first.packetsPerSec).toBe(100);
    expect(tracker.update(event)).toBe(first);
    expect(formatEvent(event, { ...PLAIN, stats: tracker })).toContain("100 pkt/s");
    expect(tracker.latest("default")).toBe(first);
    expect(tracker.latest("nope")).toBeUndefined();
  });

  it("survives stats that are not objects", () => {
    const tracker = new StatsRateTracker();
    for (const stats of [null, 1, "x", [], { uptime: "12" }, { uptime: null, decoder: [] }]) {
      expect(() => tracker.update({ event_type: "stats", stats })).not.toThrow();
    }
  });
});
