// `nsm4home metrics` against a real nats-server: scraped over HTTP, parsed strictly, and every figure checked
// against what the test published (event types, sensors' stats, a consumer's lag, a source's lag).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { isolatedEnv, runCli, startCli, type CliProcess } from "../helpers/cli.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { scrape, valueOf, type Family } from "../helpers/prometheus.js";
import { startNatsWithClient, waitForCount, type NatsWithClient } from "../ingest/stream-helpers.js";

const HOSTILE = 'pi"router\\\u001b[31m\u202e\n';

function stats(host: string, uptime: number, packets: number, drops: number, alerts: number, ageMs = 0) {
  const ts = new Date(Date.now() - ageMs).toISOString().replace("Z", "+0000");
  return {
    timestamp: ts,
    event_type: "stats",
    host,
    stats: {
      uptime,
      capture: { kernel_packets: packets + drops, kernel_drops: drops },
      decoder: { pkts: packets, bytes: packets * 100, invalid: 1 },
      flow: { active: uptime },
      detect: { alert: alerts },
      app_layer: { flow: { dns_udp: uptime * 2, tls: uptime } },
    },
  };
}

async function publish(nc: NatsConnection, subject: string, value: unknown): Promise<void> {
  const reply = await nc.request(subject, JSON.stringify(value), { timeout: 5000 });
  expect(reply.json<{ seq?: number }>().seq).toBeGreaterThan(0);
}

async function scrapeUntil(url: string, ok: (f: Map<string, Family>) => boolean, timeoutMs = 20_000): Promise<Map<string, Family>> {
  const deadline = Date.now() + timeoutMs;
  let families = await scrape(url);
  while (!ok(families)) {
    if (Date.now() > deadline) throw new Error(`metrics never matched; last scrape had ${[...families.keys()].join(", ")}`);
    await new Promise((r) => setTimeout(r, 100));
    families = await scrape(url);
  }
  return families;
}

describe("metrics", () => {
  let servers: NatsWithClient;
  let exporter: CliProcess | undefined;
  const env = isolatedEnv();

  beforeAll(async () => {
    servers = await startNatsWithClient();
    const created = await runCli(["-s", servers.nats.url, "stream", "add", "--defaults"], { env });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await exporter?.stop();
    await servers?.stop();
  });

  it("serves event types, sensors' latest stats, consumer and source lag; refreshes without a restart", async () => {
    const { nc } = servers;
    for (let i = 0; i < 5; i++) await publish(nc, "suricata.dns", { event_type: "dns", host: "pi-garage", i });
    for (let i = 0; i < 3; i++) await publish(nc, "suricata.flow", { event_type: "flow", host: HOSTILE, i });
    // Two stats events per sensor: the newest one of each counts.
    await publish(nc, "suricata.stats", stats("pi-garage", 10, 1000, 5, 1, 16_000));
    await publish(nc, "suricata.stats", stats(HOSTILE, 20, 2000, 0, 0, 16_000));
    await publish(nc, "suricata.stats", stats("pi-garage", 18, 1800, 9, 4, 8_000));
    await publish(nc, "suricata.stats", stats(HOSTILE, 28, 2600, 1, 2, 8_000));
    // A durable consumer that has seen nothing yet: its lag is every dns event.
    await (await import("@nats-io/jetstream")).jetstreamManager(nc).then((jsm) =>
      Promise.all([
        jsm.consumers.add("suricata", { durable_name: "alerts-reader", filter_subject: "suricata.dns", ack_policy: "explicit" as never }),
        // A hub-like stream sourcing from it.
        jsm.streams.add({ name: "hub", subjects: [], sources: [{ name: "suricata" }] }),
      ]),
    );
    await waitForCount(nc, (n) => n === 12, 20_000, "hub");

    const port = await freePort();
    exporter = startCli(["-s", servers.nats.url, "metrics", "--listen", `127.0.0.1:${port}`, "--interval", "300ms"], { env });
    await exporter.waitFor(/serving metrics of stream suricata on http:\/\/127\.0\.0\.1:\d+\/metrics/, { stream: "stderr" });
    const url = `http://127.0.0.1:${port}/metrics`;
    let families = await scrapeUntil(url, (f) => valueOf(f, "nsm4home_suricata_alerts_total", { sensor: "pi-garage" }) === 4 && (f.get("nsm4home_suricata_alerts_total")?.series.length ?? 0) === 2);

    const s = { stream: "suricata" };
    expect(valueOf(families, "nsm4home_stream_messages", s)).toBe(12);
    expect(valueOf(families, "nsm4home_stream_event_type_messages", { ...s, event_type: "dns" })).toBe(5);
    expect(valueOf(families, "nsm4home_stream_event_type_messages", { ...s, event_type: "flow" })).toBe(3);
    expect(valueOf(families, "nsm4home_stream_event_type_messages", { ...s, event_type: "stats" })).toBe(4);
    const age = valueOf(families, "nsm4home_stream_event_type_newest_age_seconds", { ...s, event_type: "dns" })!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(120);
    expect(valueOf(families, "nsm4home_consumer_pending_messages", { ...s, consumer: "alerts-reader" })).toBe(5);
    expect(valueOf(families, "nsm4home_consumer_ack_pending_messages", { ...s, consumer: "alerts-reader" })).toBe(0);

    // The newest stats of each sensor, the attacker-chosen name escaped and still one series of its own.
    const hostile = families.get("nsm4home_suricata_decoder_packets_total")!.series.find((x) => x.labels.sensor !== "pi-garage")!;
    expect(hostile.value).toBe(2600);
    expect(hostile.labels.sensor).toBe('pi"router\\\\x1B[31m\\u202E\\x0A');
    expect(valueOf(families, "nsm4home_suricata_capture_kernel_drops_total", { sensor: "pi-garage" })).toBe(9);
    expect(valueOf(families, "nsm4home_suricata_capture_kernel_packets_total", { sensor: "pi-garage" })).toBe(1809);
    expect(valueOf(families, "nsm4home_suricata_flows_active", { sensor: "pi-garage" })).toBe(18);
    expect(valueOf(families, "nsm4home_suricata_app_layer_flows_total", { sensor: "pi-garage", app_proto: "dns_udp" })).toBe(36);
    expect(valueOf(families, "nsm4home_suricata_uptime_seconds", { sensor: "pi-garage" })).toBe(18);
    const statsAge = valueOf(families, "nsm4home_suricata_stats_age_seconds", { sensor: "pi-garage" })!;
    expect(statsAge).toBeGreaterThanOrEqual(7);
    expect(statsAge).toBeLessThan(120);

    // New events and a new stats event show up on the next refresh, the process still the same one.
    const alerts = Array.from({ length: 4 }, (_, i) => ({ event_type: "alert", in_iface: "eth0", i }));
    for (const alert of alerts) await publish(nc, "suricata.alert", alert);
    const newest = stats("pi-garage", 26, 2500, 9, 7);
    await publish(nc, "suricata.stats", newest);
    families = await scrapeUntil(
      url,
      (f) => valueOf(f, "nsm4home_stream_messages", s) === 17 && valueOf(f, "nsm4home_suricata_alerts_total", { sensor: "pi-garage" }) === 7,
    );
    expect(valueOf(families, "nsm4home_stream_event_type_messages", { ...s, event_type: "alert" })).toBe(4);
    // Messages and bytes counted as they arrived since the exporter started: per event type and per sensor (the
    // event's host, else its capture interface).
    const bytesOf = (values: unknown[]) => values.reduce<number>((sum, v) => sum + JSON.stringify(v).length, 0);
    families = await scrapeUntil(url, (f) => valueOf(f, "nsm4home_event_type_messages_total", { ...s, event_type: "stats" }) === 1);
    expect(valueOf(families, "nsm4home_event_type_messages_total", { ...s, event_type: "alert" })).toBe(4);
    expect(valueOf(families, "nsm4home_event_type_bytes_total", { ...s, event_type: "alert" })).toBe(bytesOf(alerts));
    expect(valueOf(families, "nsm4home_event_type_bytes_total", { ...s, event_type: "stats" })).toBe(bytesOf([newest]));
    expect(valueOf(families, "nsm4home_sensor_messages_total", { ...s, sensor: "eth0" })).toBe(4);
    expect(valueOf(families, "nsm4home_sensor_bytes_total", { ...s, sensor: "pi-garage" })).toBe(bytesOf([newest]));
    // What was stored before it started is not counted again (the stream's own counts above have it).
    expect(valueOf(families, "nsm4home_event_type_messages_total", { ...s, event_type: "dns" })).toBeUndefined();
    expect(valueOf(families, "nsm4home_consumer_pending_messages", { ...s, consumer: "alerts-reader" })).toBe(5);
    expect(valueOf(families, "nsm4home_metrics_refresh_failures_total", s)).toBe(0);
    expect(valueOf(families, "nsm4home_metrics_up", s)).toBe(1);
    expect(valueOf(families, "nsm4home_metrics_last_success_timestamp_seconds", s)).toBeGreaterThan(Date.now() / 1000 - 60);
    const result = await exporter.stop("SIGTERM");
    exporter = undefined;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");

    // The hub's view: its source, and how far behind it is.
    const hubPort = await freePort();
    exporter = startCli(["-s", servers.nats.url, "metrics", "--listen", `127.0.0.1:${hubPort}`, "--stream", "hub", "--interval", "300ms"], { env });
    await exporter.waitFor(/serving metrics of stream hub/, { stream: "stderr" });
    const hub = await scrapeUntil(`http://127.0.0.1:${hubPort}/metrics`, (f) => valueOf(f, "nsm4home_stream_messages", { stream: "hub" }) === 17);
    expect(valueOf(hub, "nsm4home_stream_source_lag_messages", { stream: "hub", source: "suricata" })).toBe(0);
    expect(valueOf(hub, "nsm4home_stream_source_last_active_seconds", { stream: "hub", source: "suricata" })).toBeGreaterThanOrEqual(0);
    // Events that reach the hub through its source are counted per sensor there too.
    const attic = Array.from({ length: 3 }, (_, i) => ({ event_type: "dns", host: "pi-attic", i }));
    for (const event of attic) await publish(nc, "suricata.dns", event);
    const counted = await scrapeUntil(`http://127.0.0.1:${hubPort}/metrics`, (f) => valueOf(f, "nsm4home_sensor_messages_total", { stream: "hub", sensor: "pi-attic" }) === 3);
    expect(valueOf(counted, "nsm4home_sensor_bytes_total", { stream: "hub", sensor: "pi-attic" })).toBe(bytesOf(attic));
    expect(valueOf(counted, "nsm4home_event_type_messages_total", { stream: "hub", event_type: "dns" })).toBe(3);
    await exporter.stop("SIGTERM");
    exporter = undefined;
  });

  it("says the figures are stale (up 0) from the moment the server is gone, and fresh again once it is back", async () => {
    const own = await startNatsServer();
    try {
      expect((await runCli(["-s", own.url, "stream", "add", "--defaults"], { env })).code).toBe(0);
      const port = await freePort();
      exporter = startCli(["-s", own.url, "metrics", "--listen", `127.0.0.1:${port}`, "--interval", "300ms"], { env });
      await exporter.waitFor(/serving metrics of stream suricata/, { stream: "stderr" });
      const url = `http://127.0.0.1:${port}/metrics`;
      const s = { stream: "suricata" };
      await scrapeUntil(url, (f) => valueOf(f, "nsm4home_metrics_up", s) === 1);
      await own.kill();
      const stale = await scrapeUntil(url, (f) => valueOf(f, "nsm4home_metrics_up", s) === 0, 5_000);
      // The last good figures are still served, with the time they are from.
      expect(valueOf(stale, "nsm4home_stream_messages", s)).toBe(0);
      expect(valueOf(stale, "nsm4home_metrics_last_success_timestamp_seconds", s)).toBeGreaterThan(0);
      await own.restart();
      await scrapeUntil(url, (f) => valueOf(f, "nsm4home_metrics_up", s) === 1);
      await exporter.stop("SIGTERM");
      exporter = undefined;
    } finally {
      await own.dispose();
    }
  });

  it("while the server is down, says the connection is down (naming the server), not that JetStream may be disabled", async () => {
    const own = await startNatsServer();
    try {
      expect((await runCli(["-s", own.url, "stream", "add", "--defaults"], { env })).code).toBe(0);
      const port = await freePort();
      exporter = startCli(["-s", own.url, "--timeout", "1s", "metrics", "--listen", `127.0.0.1:${port}`, "--interval", "300ms"], { env });
      await exporter.waitFor(/serving metrics of stream suricata/, { stream: "stderr" });
      await own.kill();
      await exporter.waitFor(/refreshing stream suricata: /, { stream: "stderr", timeoutMs: 10_000 });
      const line = exporter.stderr().split("\n").find((l) => l.includes("refreshing stream suricata: "));
      expect(line).toBe(`nsm4home: metrics: refreshing stream suricata: no answer: the connection to 127.0.0.1:${own.port} is down (reconnecting until the server is back); serving the last figures meanwhile`);
      await own.restart();
      await exporter.waitFor(/stream suricata answers again/, { stream: "stderr", timeoutMs: 15_000 });
      // Rounds sent while the server was gone must not fail after fresh ones succeeded: no flapping back to stale.
      await new Promise((r) => setTimeout(r, 2500));
      const after = exporter.stderr().slice(exporter.stderr().indexOf("answers again"));
      expect(after).not.toMatch(/refreshing stream suricata: /);
      expect(valueOf(await scrape(`http://127.0.0.1:${port}/metrics`), "nsm4home_metrics_up", { stream: "suricata" })).toBe(1);
      await exporter.stop("SIGTERM");
      exporter = undefined;
    } finally {
      await own.dispose();
    }
  });

  it("one line and the right exit code for a bad address, a missing stream, a taken port", async () => {
    const bad = await runCli(["-s", servers.nats.url, "metrics", "--listen", "nowhere"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^nsm4home: invalid --listen 'nowhere': give HOST:PORT to listen on/);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const forever = await runCli(["-s", servers.nats.url, "metrics", "--listen", "127.0.0.1:0", "--interval", "1000d"], { env });
    expect(forever.code).toBe(2);
    expect(forever.stderr.trim().split("\n")).toEqual(["nsm4home: invalid --interval '1000d': at most 24d20h31m23s"]);
    const missing = await runCli(["-s", servers.nats.url, "metrics", "--listen", "127.0.0.1:0", "--stream", "nope"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toEqual(["nsm4home: stream nope not found: name one with --stream (see 'nsm4home stream ls')"]);
    const taken = await runCli(["-s", servers.nats.url, "metrics", "--listen", `127.0.0.1:${servers.nats.port}`], { env });
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim().split("\n")).toEqual([`nsm4home: cannot serve --listen on 127.0.0.1:${servers.nats.port}: the port is taken (another exporter or a second ingest?); choose another port`]);
  });
});
