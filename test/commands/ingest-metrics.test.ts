// `ingest --metrics` as a user and Prometheus see it: a real nats-server, the built CLI, /metrics scraped over
// HTTP and parsed strictly; the counts must match what the stream stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { scrape, valueOf } from "../helpers/prometheus.js";
import { readStream, startNatsWithClient, waitForCount, type NatsWithClient } from "../ingest/stream-helpers.js";

const event = (type: string, n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ timestamp: `2026-03-01T12:00:00.${String(n).padStart(6, "0")}+0000`, event_type: type, n, ...extra });

describe("ingest --metrics", () => {
  let servers: NatsWithClient;
  const env = isolatedEnv();

  beforeAll(async () => {
    servers = await startNatsWithClient();
    const created = await runCli(["-s", servers.nats.url, "stream", "add", "--defaults"], { env });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(() => servers?.stop());

  it("serves per-event-type counts, duplicates, invalid items, in-flight and a latency histogram that match the stream", async () => {
    const ingest = startCli(["-s", servers.nats.url, "ingest", "--from", "-", "--metrics", "127.0.0.1:0", "--progress", "0"], { env });
    await ingest.waitFor(/serving metrics on (http:\S+)/, { stream: "stderr" });
    const url = /serving metrics on (http:\S+)/.exec(ingest.stderr())![1]!;
    // Before anything is read: the page is there, with zeros.
    const before = await scrape(url);
    expect(valueOf(before, "nsm4home_ingest_events_read_total")).toBe(0);

    const lines = [
      event("dns", 1),
      event("dns", 2),
      event("dns", 3),
      event("flow", 1),
      event("flow", 1), // the same content again: one stored message, one duplicate
      "not json at all",
      event("alert", 1),
    ];
    ingest.child.stdin!.write(lines.join("\n") + "\n");
    await waitForCount(servers.nc, (n) => n === 6);
    let families = await scrape(url);
    for (let i = 0; i < 100 && valueOf(families, "nsm4home_ingest_events_acknowledged_total", { event_type: "alert" }) !== 1; i++) {
      await new Promise((r) => setTimeout(r, 50));
      families = await scrape(url);
    }

    const stored = await readStream(servers.nc);
    const storedOf = (type: string) => stored.filter((m) => m.subject === `suricata.${type}`).length;
    expect(valueOf(families, "nsm4home_ingest_events_read_total")).toBe(lines.length);
    for (const type of ["dns", "flow", "alert", "invalid"]) {
      const published = valueOf(families, "nsm4home_ingest_events_published_total", { event_type: type })!;
      const acked = valueOf(families, "nsm4home_ingest_events_acknowledged_total", { event_type: type })!;
      const duplicates = valueOf(families, "nsm4home_ingest_events_duplicate_total", { event_type: type })!;
      expect(acked, type).toBe(published);
      expect(acked - duplicates, type).toBe(storedOf(type));
    }
    expect(valueOf(families, "nsm4home_ingest_events_duplicate_total", { event_type: "flow" })).toBe(1);
    expect(valueOf(families, "nsm4home_ingest_events_invalid_total")).toBe(1);
    expect(valueOf(families, "nsm4home_ingest_in_flight_events")).toBe(0);
    expect(valueOf(families, "nsm4home_ingest_nats_connected")).toBe(1);
    expect(valueOf(families, "nsm4home_ingest_publish_latency_seconds_count")).toBe(lines.length);
    expect(valueOf(families, "nsm4home_ingest_publish_latency_seconds_sum")).toBeGreaterThan(0);
    expect(families.get("nsm4home_ingest_publish_latency_seconds")!.type).toBe("histogram");

    // Other paths and methods get a plain answer, not the metrics.
    expect((await fetch(url.replace("/metrics", "/other"))).status).toBe(404);
    expect((await fetch(url, { method: "POST" })).status).toBe(405);

    ingest.child.stdin!.end();
    const result = await ingest.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    // The port is let go of at exit.
    await expect(fetch(url)).rejects.toThrow();
  });

  it("a bad address is a usage error; a taken port is exit 1 with one line, before the source is read", async () => {
    const bad = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--metrics", "9464"], { env, input: event("dns", 9) });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual(["nsm4home: invalid --metrics '9464': give HOST:PORT to listen on, e.g. 127.0.0.1:9464 (or 0.0.0.0:9464 for every interface)"]);

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--metrics", `127.0.0.1:${port}`], { env, input: event("dns", 9) });
      expect(taken.code).toBe(1);
      expect(taken.stderr.trim().split("\n")).toEqual([`nsm4home: cannot serve --metrics on 127.0.0.1:${port}: the port is taken (another exporter or a second ingest?); choose another port`]);
    } finally {
      blocker.close();
    }
  });
});
