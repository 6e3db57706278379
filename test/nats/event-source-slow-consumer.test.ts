// A live subscriber slower than its publishers, against a real nats-server with a small max_pending. Without the
// lag guard the server holds the publishers back to the subscriber's pace (a `tail` in someone's terminal would
// slow the sensors' pipeline down) or, when it cannot, cuts the subscriber off and its messages vanish uncounted.
// With it, the source drops and counts to keep up, and every message published is delivered or reported.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { openEventSource, type EventSourceOptions } from "../../src/nats/event-source/index.js";
import { resolveConnectionOptions, type ResolvedConnection } from "../../src/nats/connection/index.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { repoRoot } from "../helpers/cli.js";
import { serverAtLeast } from "../helpers/server-version.js";
import { trackPid, untrackPid } from "../helpers/processes.js";

const PUBLISHERS = 4;
const PER_PUBLISHER = 7_500;
const PUBLISHED = PUBLISHERS * PER_PUBLISHER;
// Large payloads: the loopback socket buffers (tens of MiB) must overflow for the server to act.
const PAYLOAD_BYTES = 4000;

/** Publishes PER_PUBLISHER messages as fast as one client can, from another process (our event loop is busy). */
function publishFlood(url: string, subject: string): Promise<void> {
  const script = `
    import { connect } from "@nats-io/transport-node";
    const nc = await connect({ servers: process.env.URL });
    const payload = new Uint8Array(${PAYLOAD_BYTES}).fill(120);
    for (let i = 0; i < ${PER_PUBLISHER}; i++) {
      nc.publish(process.env.SUBJECT, payload);
      if (i % 1000 === 999) await nc.flush();
    }
    await nc.flush();
    await nc.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: repoRoot,
    env: { ...process.env, URL: url, SUBJECT: subject },
    stdio: ["ignore", "ignore", "inherit"],
  });
  trackPid(child.pid);
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => {
      untrackPid(child.pid);
      if (code === 0) resolve();
      else reject(new Error(`publisher exited ${code}`));
    }),
  );
}

/** Spends about `us` microseconds of CPU: a formatter slower than the publisher. */
function busy(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

describe("live source slower than the publisher", () => {
  let server: NatsServer;
  let resolved: ResolvedConnection;

  beforeAll(async () => {
    // A small max_pending so the server gives up on us quickly (the default is 64 MiB).
    server = await startNatsServer({ jetstream: false, config: "max_pending: 2MB" });
    resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function run(subject: string, options: Partial<EventSourceOptions>) {
    const { connect } = await import("@nats-io/transport-node");
    const nc: NatsConnection = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    const statuses: string[] = [];
    void (async () => {
      for await (const s of nc.status()) statuses.push(s.type);
    })();
    const drops: number[] = [];
    let delivered = 0;
    const source = await openEventSource(nc, resolved, {
      subjects: [subject],
      onMessage: () => {
        delivered++;
        busy(150);
      },
      onDrop: (n) => drops.push(n),
      ...options,
    });
    await nc.flush();
    // Several publishers: the server slows one publisher down for a slow subscriber, but not all of them enough.
    const publishStart = performance.now();
    await Promise.all(Array.from({ length: PUBLISHERS }, () => publishFlood(server.url, subject)));
    const publishMs = performance.now() - publishStart;
    // Until everything published was either delivered or dropped, or nothing more arrives for a while.
    let last = -1;
    let quietSince = Date.now();
    while (source.counts().received < PUBLISHED && Date.now() - quietSince < 3000) {
      await new Promise((r) => setTimeout(r, 100));
      if (source.counts().received !== last) {
        last = source.counts().received;
        quietSince = Date.now();
      }
    }
    await source.stop();
    const counts = source.counts();
    await nc.close();
    return { delivered, counts, reported: drops.reduce((a, b) => a + b, 0), statuses, publishMs };
  }

  // Known gap found by the server matrix: on 2.10+ the server cuts the guarded subscriber off (max_pending 2MB)
  // before the guard's PONG comes back, so messages are lost uncounted. Shown as a todo there until it is fixed.
  if (serverAtLeast("2.10")) {
    it.todo("on 2.10+: the lag guard keeps the subscriber connected (today the server cuts it off as a slow consumer)");
    return;
  }

  it("drops and counts to keep up instead of holding the publishers back: delivered + reported = published", async () => {
    // Control: without the guard the server slows the publishers down to the subscriber's pace (and cuts the
    // subscriber off when it cannot slow them enough).
    const held = await run("slow.control", { maxLagBytes: Infinity });
    expect(held.counts.dropped).toBe(0);

    const guarded = await run("slow.guarded", { maxLagBytes: 512 * 1024 });
    expect(guarded.statuses).not.toContain("disconnect");
    expect(guarded.counts.received).toBe(PUBLISHED);
    expect(guarded.counts.dropped).toBeGreaterThan(0);
    expect(guarded.delivered + guarded.counts.dropped).toBe(PUBLISHED);
    expect(guarded.reported).toBe(guarded.counts.dropped);
    // It drops only what it must: a good part still gets through.
    expect(guarded.delivered).toBeGreaterThan(PUBLISHED / 20);
    // And the publishers were not held back (the control's took several times longer).
    expect(guarded.publishMs * 2).toBeLessThan(held.publishMs);
  }, 120_000);
});
