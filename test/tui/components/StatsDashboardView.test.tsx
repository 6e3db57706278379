import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { StatsDashboardView } from "../../../src/tui/components/StatsDashboardView.js";
import { StatsDashboard } from "../../../src/tui/state/stats-dashboard.js";
import { plain } from "../helpers.js";

afterEach(cleanup);

function statsEvent(host: string, second: number, k: number) {
  return {
    event_type: "stats",
    host,
    timestamp: `2024-01-01T00:00:${String(second).padStart(2, "0")}.000000+0000`,
    stats: {
      uptime: 100 + second,
      capture: { kernel_packets: 10_000 * k, kernel_drops: 10 * k },
      decoder: { pkts: 10_000 * k, bytes: 5_000_000 * k },
      flow: { active: 321 },
      detect: { alert: 4 * k },
      app_layer: { flow: { dns_udp: 80 * k, tls: 40 * k, http: 8 * k } },
    },
  };
}

const NOW = Date.UTC(2024, 0, 1, 0, 0, 20);

describe("StatsDashboardView", () => {
  it("waits for the first stats event", () => {
    const { lastFrame } = render(<StatsDashboardView figures={[]} nowMs={NOW} width={58} rows={10} />);
    expect(plain(lastFrame())).toBe("waiting for stats events…");
  });

  it("shows one sensor as labelled figures: uptime, packets/s, bytes/s, drop %, flows, alerts/s, app-layer", () => {
    const dash = new StatsDashboard();
    dash.update(statsEvent("sensor-1", 0, 1), NOW - 18_000);
    dash.update(statsEvent("sensor-1", 8, 2), NOW - 10_000);
    const { lastFrame } = render(<StatsDashboardView figures={dash.figures()} nowMs={NOW} width={70} rows={10} />);
    const lines = plain(lastFrame()).split("\n").map((l) => l.trimEnd());
    expect(lines[0]).toBe("sensor-1 · up 1m48s · last stats 10s ago");
    expect(lines[1]).toMatch(/^packets\/s\s+1\.3k\s+█$/);
    expect(lines[2]).toBe("bytes/s      610 KiB/s");
    expect(lines[3]).toBe("kernel drop  0.10% (0.10% since start)");
    expect(lines[4]).toBe("active flows 321");
    expect(lines[5]).toBe("alerts/s     0.5 (8 since start)");
    expect(lines[6]).toBe("app-layer    dns_udp 10/s  tls 5/s  http 1/s");
  });

  it("shows several sensors as rows with the app-layer protocols of all of them", () => {
    const dash = new StatsDashboard();
    for (const host of ["b-sensor", "a-sensor"]) {
      dash.update(statsEvent(host, 0, 1), NOW);
      dash.update(statsEvent(host, 8, 2), NOW);
    }
    const { lastFrame } = render(<StatsDashboardView figures={dash.figures()} nowMs={NOW} width={80} rows={10} />);
    const lines = plain(lastFrame()).split("\n").map((l) => l.trimEnd());
    expect(lines[0]).toBe("sensor        uptime    pkts/s  bytes/s    drop   flows    alerts/s");
    expect(lines[1]).toBe("a-sensor      1m48s     1.3k    610 KiB/s  0.10%  321      0.5");
    expect(lines[2]).toMatch(/^b-sensor/);
    expect(lines[3]).toBe("app-layer dns_udp 20/s  tls 10/s  http 2/s");
  });
  it("keeps the columns aligned when a sensor name is wide (CJK)", () => {
    const dash = new StatsDashboard();
    for (const host of ["a-sensor", "東京"]) {
      dash.update(statsEvent(host, 0, 1), NOW);
      dash.update(statsEvent(host, 8, 2), NOW);
    }
    const { lastFrame } = render(<StatsDashboardView figures={dash.figures()} nowMs={NOW} width={80} rows={10} />);
    const lines = plain(lastFrame()).split("\n").map((l) => l.trimEnd());
    expect(lines[2]).toBe("東京          1m48s     1.3k    610 KiB/s  0.10%  321      0.5");
  });
});

describe("StatsDashboardView in a short pane", () => {
  it("gives the rows to sensors before the app-layer line", () => {
    const dash = new StatsDashboard();
    for (const host of ["a-sensor", "b-sensor"]) {
      dash.update(statsEvent(host, 0, 1), NOW);
      dash.update(statsEvent(host, 8, 2), NOW);
    }
    const { lastFrame } = render(<StatsDashboardView figures={dash.figures()} nowMs={NOW} width={80} rows={3} />);
    const lines = plain(lastFrame()).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^a-sensor/);
    expect(lines[2]).toMatch(/^b-sensor/);
  });
});
