// `check` on a hub stream that sources a sensor in its own JetStream domain (leaf node link through a relay the
// test can cut): lag and last contact per source, and the sensor's stats read in its domain as `hub status` does;
// while the link is down the stats are UNKNOWN and the hub's last contact grows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { isolatedEnv, runCli, type CliResult } from "../helpers/cli.js";
import { startHub, startSensor, waitForDomain, type Hub, type Sensor } from "../helpers/leaf-topology.js";
import { testConnection, waitForCount } from "../ingest/stream-helpers.js";
import { expectExit } from "./jetstream-helpers.js";

const event = (type: string, extra: object = {}) => JSON.stringify({ timestamp: new Date().toISOString(), event_type: type, host: "garage", ...extra });

/** The first line, once the exit code is the one expected. */
function firstLine(r: CliResult, code: number): string {
  expectExit(r, code);
  return r.stdout.split("\n")[0]!;
}

describe("check on a hub stream sourcing a sensor across domains", () => {
  let hub: Hub;
  let garage: Sensor;
  let hubNc: NatsConnection;
  const env = isolatedEnv();
  const cli = (args: string[]) => runCli(["-s", hub.url, "--timeout", "3s", ...args], { env });

  beforeAll(async () => {
    hub = await startHub(1);
    garage = await startSensor("garage", hub);
    await waitForDomain(hub.url, "garage");
    expect((await runCli(["-s", garage.server.url, "stream", "add", "--defaults"], { env })).code).toBe(0);
    const nc = await testConnection(garage.server.url);
    const { jetstream } = await import("@nats-io/jetstream");
    const js = jetstream(nc);
    await js.publish("suricata.dns", event("dns"));
    await js.publish("suricata.stats", event("stats", { stats: { uptime: 60, capture: { kernel_packets: 9_900, kernel_drops: 100 } } }));
    await nc.close();
    expect((await cli(["hub", "add-sensor", "garage"])).code).toBe(0);
    hubNc = await testConnection(hub.url);
    await waitForCount(hubNc, (n) => n === 2, 20_000, "suricata");
  }, 120_000);
  afterAll(async () => {
    await hubNc?.close();
    await garage?.dispose();
    await hub?.dispose();
  });

  it("link up: lag, last contact and the sensor's stats (1% kernel drops) per sensor", async () => {
    const ok = await cli(["check", "--lag-critical", "100", "--seen-critical", "1m", "--stats-age-critical", "1h", "--drop-warn", "2"]);
    expect(firstLine(ok, 0)).toMatch(
      /^NSM4HOME OK: stream suricata: stats event of garage \S+ ago; kernel drops of garage 1\.00% since Suricata started; source suricata@garage lag 0; source suricata@garage seen \S+ ago \| stats_age_garage=[\d.]+s;;3600;0 kernel_drop_garage=1%;2;;0;100 lag_suricata@garage=0;;100;0 seen_suricata@garage=[\d.]+s;;60;0$/,
    );
    expect(firstLine(await cli(["check", "--drop-warn", "0.5"]), 1)).toBe(
      "NSM4HOME WARNING: stream suricata: kernel drops of garage 1.00% since Suricata started (warning above 0.5%) | kernel_drop_garage=1%;0.5;;0;100",
    );
  });

  it("link down: the sensor's stats are UNKNOWN, the hub's last contact grows past --seen-critical", async () => {
    garage.relay.cut();
    try {
      const stats = await cli(["check", "--stats-age-critical", "1h", "--drop-critical", "5"]);
      expect(firstLine(stats, 3)).toBe("NSM4HOME UNKNOWN: stream suricata: sensor garage does not answer (leaf node link down?): its stats are unknown");
      expect(stats.stdout.split("\n").slice(1)).toEqual([
        "UNKNOWN: sensor garage does not answer (leaf node link down?): its stats are unknown",
        "UNKNOWN: sensor garage does not answer (leaf node link down?): its stats are unknown",
        "",
      ]);
      // Last contact is as the hub knows it: it keeps growing while nothing comes over the link.
      let seen: CliResult | undefined;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        seen = await cli(["check", "--seen-critical", "2s", "--json"]);
        if (seen.code === 2) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(seen!.code, seen!.stdout).toBe(2);
      const doc = JSON.parse(seen!.stdout);
      expect(doc.checks).toEqual([
        { name: "seen suricata@garage", status: "CRITICAL", value: expect.any(Number), unit: "s", warn: null, crit: 2, message: expect.stringMatching(/^source suricata@garage seen \S+ ago( \(error: .*\))? \(critical above 2s\)$/) },
      ]);
      expect(doc.checks[0].value).toBeGreaterThan(2);
    } finally {
      garage.relay.restore();
    }
  }, 60_000);
});
