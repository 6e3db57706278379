// Sources and mirrors across JetStream domains, and the hub's sensors: a hub and two sensors from `sensor init`
// configs, events published on each sensor, streams on the hub that source or mirror them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startHub, startSensor, waitForDomain, type Hub, type Sensor } from "../helpers/leaf-topology.js";
import { testConnection, waitForCount } from "../ingest/stream-helpers.js";
import { versionAtLeast } from "../../src/nats/jetstream.js";

const event = (host: string, type: string, n: number, extra: object = {}) =>
  JSON.stringify({ timestamp: new Date().toISOString(), event_type: type, host, n, ...extra });

describe("sources, mirrors and hub sensors across domains", () => {
  let hub: Hub;
  let garage: Sensor;
  let attic: Sensor;
  let hubNc: NatsConnection;
  let version = "";
  const env = isolatedEnv();
  const cli = (args: string[]) => runCli(["-s", hub.url, "--timeout", "3s", ...args], { env });

  beforeAll(async () => {
    hub = await startHub(1);
    [garage, attic] = await Promise.all([startSensor("garage", hub), startSensor("attic", hub)]);
    await Promise.all([waitForDomain(hub.url, "garage"), waitForDomain(hub.url, "attic")]);
    for (const s of [garage, attic]) {
      const add = await runCli(["-s", s.server.url, "stream", "add", "--defaults"], { env });
      expect(add.code, add.stderr).toBe(0);
      const nc = await testConnection(s.server.url);
      const { jetstream } = await import("@nats-io/jetstream");
      const js = jetstream(nc);
      for (let n = 1; n <= 5; n++) await js.publish("suricata.dns", event(s.name, "dns", n));
      await js.publish("suricata.alert", event(s.name, "alert", 6));
      await js.publish(
        "suricata.stats",
        event(s.name, "stats", 7, { stats: { uptime: 60, capture: { kernel_packets: 9900, kernel_drops: 100 }, decoder: { pkts: 9900 } } }),
      );
      await nc.close();
    }
    hubNc = await testConnection(hub.url);
    version = hubNc.info!.version;
  }, 120_000);
  afterAll(async () => {
    await hubNc?.close();
    await Promise.all([garage?.dispose(), attic?.dispose()]);
    await hub?.dispose();
  });

  it("stream add --source NAME@DOMAIN (with a per-source filter) and --mirror NAME@DOMAIN copy across domains", async () => {
    const agg = await cli(["stream", "add", "agg", "--defaults", "--subjects", "agg.>", "--source", "suricata@garage", "--source", "suricata@attic:suricata.alert", "--json"]);
    expect(agg.code, agg.stderr).toBe(0);
    expect(JSON.parse(agg.stdout).config.sources).toEqual([
      expect.objectContaining({ name: "suricata", external: expect.objectContaining({ api: "$JS.garage.API" }) }),
      expect.objectContaining({ name: "suricata", filter_subject: "suricata.alert", external: expect.objectContaining({ api: "$JS.attic.API" }) }),
    ]);
    await waitForCount(hubNc, (n) => n === 7 + 1, 20_000, "agg");
    const mirror = await cli(["stream", "add", "copy", "--defaults", "--mirror", "suricata@attic"]);
    expect(mirror.code, mirror.stderr).toBe(0);
    await waitForCount(hubNc, (n) => n === 7, 20_000, "copy");
  });

  it("a subject transform on a source needs 2.10: refused with the version on older servers, stored renamed on newer", async () => {
    const r = await cli(["stream", "add", "renamed", "--defaults", "--subjects", "renamed.>", "--source", "suricata@garage:suricata.dns:garage.dns"]);
    if (!versionAtLeast(version, "2.10.0")) {
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(
        `nsm4home: a subject transform on a source (NAME@DOMAIN:FILTER:DEST) needs nats-server 2.10.0 or newer; the server at ${hub.url.replace("nats://", "")} runs ${version}`,
      );
      return;
    }
    expect(r.code, r.stderr).toBe(0);
    await waitForCount(hubNc, (n) => n === 5, 20_000, "renamed");
    const subjects = await cli(["stream", "subjects", "renamed", "--json"]);
    expect(subjects.stdout).toContain("garage.dns");
  });

  it("refuses contradictory or malformed source flags in one line, exit 2", async () => {
    const both = await cli(["stream", "add", "x", "--defaults", "--mirror", "a@b", "--source", "c@d"]);
    expect([both.code, both.stderr.trim()]).toEqual([2, "nsm4home: --mirror and --source cannot be combined: a mirror copies one stream exactly"]);
    const bad = await cli(["stream", "add", "x", "--defaults", "--source", "suricata@gar.age"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^nsm4home: invalid --source domain 'gar\.age'/);
  });

  it("hub add-sensor keeps every other source, is idempotent; rm-sensor removes one; status shows each sensor", async () => {
    expect((await cli(["hub", "add-sensor", "garage"])).stdout).toBe("Created hub stream suricata, sourcing suricata@garage\n");
    expect((await cli(["hub", "add-sensor", "attic"])).stdout).toBe("Hub stream suricata now sources suricata@attic (2 sources)\n");
    expect((await cli(["hub", "add-sensor", "attic"])).stdout).toMatch(/already sources suricata@attic; nothing changed/);
    await waitForCount(hubNc, (n) => n === 14, 20_000, "suricata");

    const status = await cli(["hub", "status", "--json", "--sample", "200ms"]);
    expect(status.code, status.stderr).toBe(0);
    const rows = JSON.parse(status.stdout).sensors as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.sensor, r.link, r.lag])).toEqual([["attic", "up", 0], ["garage", "up", 0]]);
    expect((rows[1]!.stats as { kernelDropPct: number }).kernelDropPct).toBeCloseTo(1, 5);
    const human = await cli(["hub", "status", "--sample", "0"]);
    expect(human.stdout).toMatch(/^garage\s+up\s+0\s+.*\s+1\.00%\s+/m);

    garage.relay.cut();
    try {
      const down = await cli(["hub", "status", "--json", "--sample", "0"]);
      expect(down.code, down.stderr).toBe(0);
      const row = (JSON.parse(down.stdout).sensors as Array<Record<string, unknown>>).find((r) => r.sensor === "garage")!;
      expect(row.link).toBe("down");
      expect(row.lastEventTime).toBeUndefined();
    } finally {
      garage.relay.restore();
    }
    await waitForDomain(hub.url, "garage");

    const rm = await cli(["hub", "rm-sensor", "attic", "-f"]);
    expect(rm.stdout).toBe("Hub stream suricata no longer sources suricata@attic (1 source left)\n");
    const info = JSON.parse((await cli(["stream", "info", "suricata", "--json"])).stdout);
    expect(info.config.sources.map((s: { external: { api: string } }) => s.external.api)).toEqual(["$JS.garage.API"]);
    const again = await cli(["hub", "rm-sensor", "attic", "-f"]);
    expect([again.code, again.stderr.trim()]).toEqual([1, "nsm4home: stream suricata does not source suricata@attic (its sources: suricata@garage)"]);
  });

  it("server info --monitor lists the leaf node connections with account and (2.10+) name and domain", async () => {
    const r = await runCli(["-s", hub.servers[0]!.url, "server", "info", "--monitor", hub.servers[0]!.monitorUrl], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout, r.stdout).toMatch(/^Leaf nodes \(\/leafz\):$/m);
    if (!versionAtLeast(version, "2.10.0")) {
      // 2.9's /leafz does not name the other side: the connections are listed, without names or domains.
      expect(r.stdout.match(/^\s+\(unnamed, 2\.9\): 127\.0\.0\.1:\d+, account \$G/gm)).toHaveLength(2);
      return;
    }
    expect(r.stdout, r.stdout).toMatch(/^\s+attic: 127\.0\.0\.1:\d+, account \$G, domain attic/m);
    expect(r.stdout).toMatch(/^\s+garage: 127\.0\.0\.1:\d+, account \$G, domain garage/m);
    const json = JSON.parse((await runCli(["-s", hub.servers[0]!.url, "server", "info", "--monitor", hub.servers[0]!.monitorUrl, "--json"], { env })).stdout);
    expect(json.leafNodes.map((l: { domain: string }) => l.domain).sort()).toEqual(["attic", "garage"]);
    const sensor = await runCli(["-s", garage.server.url, "server", "info", "--monitor", garage.server.monitorUrl], { env });
    expect(sensor.stdout).toMatch(/^\s+hub[^:]*: 127\.0\.0\.1:\d+, account \$G/m);
  });
});
