// tail through a nats-server restart: it keeps running, says reconnecting/reconnected on stderr, and shows what is
// published afterwards; a replaying tail continues from the stream without a duplicate or a gap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { isolatedEnv, startCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

const env = isolatedEnv();
let server: NatsServer;
let nc: NatsConnection;

const event = (n: number) => JSON.stringify({ timestamp: "2026-03-01T12:00:00.000000+0000", event_type: "dns", dns: { type: "query", rrname: `n${n}.example` }, n });
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

async function subscriptions(): Promise<number> {
  const res = await fetch(`${server.monitorUrl}/subsz`);
  return ((await res.json()) as { num_subscriptions: number }).num_subscriptions;
}

/** Publishes `n` until `seen()` says it arrived: after a restart the subscriber's interest comes back a little later. */
async function publishUntilSeen(subject: string, n: number, seen: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!seen()) {
    if (Date.now() > deadline) throw new Error(`event ${n} never arrived`);
    try {
      nc.publish(subject, event(n));
      await nc.flush();
    } catch {
      // still reconnecting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  server = await startNatsServer();
  const { connect } = await import("@nats-io/transport-node");
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
});

afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

describe("tail across a server restart", () => {
  it("live: keeps going, reports reconnecting and reconnected, receives messages published after", async () => {
    const before = await subscriptions();
    const tail = startCli(["-s", server.url, "tail", "--prefix", "live", "--json"], { env, timeoutMs: 60_000 });
    while ((await subscriptions()) < before + 1) await new Promise((r) => setTimeout(r, 20));
    nc.publish("live.dns", event(1));
    await tail.waitFor(/"n":1/);

    await server.restart();
    await tail.waitFor(/reconnected/, { stream: "stderr", timeoutMs: 20_000 });
    await publishUntilSeen("live.dns", 2, () => tail.stdout().includes('"n":2'));

    const r = await tail.stop("SIGINT");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/reconnecting to /);
    expect(r.stderr).toMatch(/reconnected to /);
    expect(r.stderr).toMatch(/received \d+, shown \d+/);
    expect(lines(r.stdout).map((l) => JSON.parse(l).n)[0]).toBe(1);
  });

  it("replay: the consumer is recreated after the restart and continues after the last message shown", async () => {
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "RESTART", subjects: ["rs.>"], storage: "file" as never });
    for (let i = 1; i <= 5; i++) nc.publish("rs.dns", event(i));
    await nc.flush();

    const tail = startCli(["-s", server.url, "tail", "--prefix", "rs", "--all", "--json"], { env, timeoutMs: 60_000 });
    await tail.waitFor((t) => lines(t).length === 5);
    await server.restart();
    await tail.waitFor(/reconnected/, { stream: "stderr", timeoutMs: 20_000 });
    // Stored while tail's consumer may not exist yet: the new consumer must start right after n=5.
    let published = false;
    // 2.15 can take a while to bring JetStream back on a loaded machine (seen at 20 s in the full matrix).
    const deadline = Date.now() + 45_000;
    while (!published) {
      try {
        await jsm.streams.info("RESTART");
        for (let i = 6; i <= 8; i++) nc.publish("rs.dns", event(i));
        await nc.flush();
        published = true;
      } catch {
        if (Date.now() > deadline) throw new Error("stream never came back");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await tail.waitFor((t) => lines(t).length >= 8, { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 300));
    const r = await tail.stop("SIGINT");
    expect(lines(r.stdout).map((l) => JSON.parse(l).n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }, 120_000);

  it("replay: a stream deleted and created again is read from its first message, and tail says so", async () => {
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(nc);
    const config = { name: "RECREATE", subjects: ["rc.>"], storage: "file" as never };
    await jsm.streams.add(config);
    for (let i = 1; i <= 30; i++) nc.publish("rc.dns", event(i));
    await nc.flush();

    const tail = startCli(["-s", server.url, "tail", "--prefix", "rc", "--all", "--json"], { env, timeoutMs: 60_000 });
    await tail.waitFor((t) => lines(t).length === 30);
    await jsm.streams.delete("RECREATE");
    await jsm.streams.add(config);
    // More than were shown before: a consumer started after the last sequence shown would skip the first 30.
    for (let i = 101; i <= 140; i++) nc.publish("rc.dns", event(i));
    await nc.flush();
    await tail.waitFor((t) => lines(t).length >= 70, { timeoutMs: 40_000 });
    await new Promise((r) => setTimeout(r, 300));
    const r = await tail.stop("SIGINT");
    const expected = [...Array.from({ length: 30 }, (_, i) => i + 1), ...Array.from({ length: 40 }, (_, i) => i + 101)];
    expect(lines(r.stdout).map((l) => JSON.parse(l).n)).toEqual(expected);
    expect(r.stderr).toMatch(/stream RECREATE was deleted and created again: reading the new stream from its first message/);
  });

  it("replay of several subjects (on 2.9 one consumer each, merged): a recreated stream is read from its first message", async () => {
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(nc);
    const config = { name: "RECREATE2", subjects: ["rc2.>"], storage: "file" as never };
    const typed = (n: number) => JSON.stringify({ event_type: n % 2 ? "tls" : "dns", n });
    const publishRange = async (from: number, to: number) => {
      for (let i = from; i <= to; i++) nc.publish(`rc2.${i % 2 ? "tls" : "dns"}`, typed(i));
      await nc.flush();
    };
    await jsm.streams.add(config);
    await publishRange(1, 30);

    const tail = startCli(["-s", server.url, "tail", "rc2.dns", "rc2.tls", "--all", "--json"], { env, timeoutMs: 60_000 });
    await tail.waitFor((t) => lines(t).length === 30);
    await jsm.streams.delete("RECREATE2");
    await jsm.streams.add(config);
    await publishRange(101, 140);
    await tail.waitFor((t) => lines(t).length >= 70, { timeoutMs: 40_000 });
    await new Promise((r) => setTimeout(r, 300));
    const r = await tail.stop("SIGINT");
    const expected = [...Array.from({ length: 30 }, (_, i) => i + 1), ...Array.from({ length: 40 }, (_, i) => i + 101)];
    expect(lines(r.stdout).map((l) => JSON.parse(l).n)).toEqual(expected);
    expect(r.stderr).toMatch(/stream RECREATE2 was deleted and created again: reading the new stream from its first message/);
  });
});
