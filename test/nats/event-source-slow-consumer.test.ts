// A live subscriber slower than its publishers, against a real nats-server (default max_pending). Without the
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
import { trackPid, untrackPid } from "../helpers/processes.js";

const PUBLISHERS = 4;
const PER_PUBLISHER = 7_500;
const PUBLISHED = PUBLISHERS * PER_PUBLISHER;
// Large payloads: the loopback socket buffers (tens of MiB) must overflow for the server to act.
const PAYLOAD_BYTES = 4000;

/**
 * Publishes PER_PUBLISHER messages as fast as one client can, from another process (our event loop is busy), and
 * resolves to the milliseconds the sending took inside that process: Node's start-up, which a loaded CI machine
 * stretches by seconds, is not part of it.
 */
function publishFlood(url: string, subject: string): Promise<number> {
  const script = `
    import { connect } from "@nats-io/transport-node";
    const nc = await connect({ servers: process.env.URL });
    const payload = new Uint8Array(${PAYLOAD_BYTES}).fill(120);
    const start = performance.now();
    for (let i = 0; i < ${PER_PUBLISHER}; i++) {
      nc.publish(process.env.SUBJECT, payload);
      if (i % 1000 === 999) await nc.flush();
    }
    await nc.flush();
    process.stdout.write(String(performance.now() - start));
    await nc.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: repoRoot,
    env: { ...process.env, URL: url, SUBJECT: subject },
    stdio: ["ignore", "pipe", "inherit"],
  });
  trackPid(child.pid);
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.once("close", (code) => {
      untrackPid(child.pid);
      if (code === 0) resolve(Number(out));
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
    // The server's default max_pending (64 MiB): 2.10+ holds a publisher back for a few milliseconds at most, so
    // with a smaller one even a subscriber that does nothing is cut off by four publishers on a loopback socket.
    server = await startNatsServer({ jetstream: false });
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
    // The slowest publisher's sending time: how long the server held publishers back, if it did.
    const publishMs = Math.max(...(await Promise.all(Array.from({ length: PUBLISHERS }, () => publishFlood(server.url, subject)))));
    // Until everything published was either delivered or dropped, or nothing more happens for a while.
    const handled = () => delivered + source.counts().dropped;
    let last = -1;
    let quietSince = Date.now();
    while (handled() < PUBLISHED && Date.now() - quietSince < 3000) {
      await new Promise((r) => setTimeout(r, 100));
      if (handled() !== last) {
        last = handled();
        quietSince = Date.now();
      }
    }
    await source.stop();
    const counts = source.counts();
    await nc.close();
    return { delivered, counts, reported: drops.reduce((a, b) => a + b, 0), statuses, publishMs };
  }

  it("drops and counts to keep up instead of holding the publishers back: delivered + reported = published", async () => {
    // Control: without the guard the server slows the publishers down to the subscriber's pace (2.9) or cuts the
    // subscriber off as a slow consumer and its messages vanish uncounted (2.10+ holds publishers back only
    // for milliseconds).
    const held = await run("slow.control", { maxLagBytes: Infinity, maxLagMs: Infinity });
    expect(held.counts.dropped).toBe(0);

    const guarded = await run("slow.guarded", {});
    expect(guarded.statuses).not.toContain("disconnect");
    expect(guarded.counts.received).toBe(PUBLISHED);
    expect(guarded.counts.dropped).toBeGreaterThan(0);
    expect(guarded.delivered + guarded.counts.dropped).toBe(PUBLISHED);
    expect(guarded.reported).toBe(guarded.counts.dropped);
    // It drops only what it must: a good part still gets through.
    expect(guarded.delivered).toBeGreaterThan(PUBLISHED / 20);
    const controlLostSome = held.statuses.includes("disconnect") && held.counts.received < PUBLISHED;
    const controlHeldPublishersBack = held.publishMs > guarded.publishMs * 2;
    const control = `control: sending took ${Math.round(held.publishMs)} ms against ${Math.round(guarded.publishMs)} ms guarded, received ${held.counts.received}, statuses ${held.statuses.join(",") || "none"}`;
    expect(controlLostSome || controlHeldPublishersBack, control).toBe(true);
  }, 120_000);
});
