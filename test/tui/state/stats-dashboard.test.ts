import { describe, expect, it } from "vitest";
import { createEventGenerator } from "../../../src/demo/sample-generator.js";
import { StatsDashboard, topAppProtocols } from "../../../src/tui/state/stats-dashboard.js";

describe("StatsDashboard", () => {
  it("keeps the latest figures per sensor, sorted by name, with a packets/s history", () => {
    const dash = new StatsDashboard();
    const t0 = Date.UTC(2024, 0, 1);
    const a = createEventGenerator({ seed: 1, host: "sensor-b", startTime: new Date(t0) });
    const b = createEventGenerator({ seed: 2, host: "sensor-a", startTime: new Date(t0) });
    for (let i = 1; i <= 3; i++) {
      dash.update(a.statsEvent(new Date(t0 + i * 8000)), t0 + i * 8000);
      dash.update(b.statsEvent(new Date(t0 + i * 8000)), t0 + i * 8000);
    }
    const figures = dash.figures();
    expect(figures.map((f) => f.host)).toEqual(["sensor-a", "sensor-b"]);
    for (const f of figures) {
      expect(f.packetsHistory).toHaveLength(2);
      expect(f.snapshot.packetsPerSec).toBeGreaterThan(0);
      expect(f.snapshot.bytesPerSec).toBeGreaterThan(0);
      expect(f.snapshot.appLayerFlowsPerSec).toBeDefined();
    }
    const top = topAppProtocols(figures, 3);
    expect(top.length).toBeGreaterThan(0);
    expect(top[0]!.perSecond).toBeGreaterThanOrEqual(top[top.length - 1]!.perSecond);
    dash.clear();
    expect(dash.figures()).toEqual([]);
  });

  it("starts the history again when Suricata restarts", () => {
    const dash = new StatsDashboard();
    const ev = (uptime: number, pkts: number, second: number) => ({
      event_type: "stats",
      timestamp: `2024-01-01T00:00:${String(second).padStart(2, "0")}.000000+0000`,
      stats: { uptime, decoder: { pkts } },
    });
    dash.update(ev(100, 1000, 0), 0);
    dash.update(ev(110, 2000, 10), 1);
    dash.update(ev(5, 10, 20), 2);
    const [f] = dash.figures();
    expect(f!.snapshot.restarted).toBe(true);
    expect(f!.packetsHistory).toEqual([]);
  });
});
