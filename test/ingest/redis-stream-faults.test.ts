// 60k events from a Redis stream (Suricata 8's redis stream output) in a consumer group while nats-server is
// killed (-9) and restarted on its store, and the ingester is killed (-9) and started again: the stream ends with
// each event exactly once, nothing is left pending in the group, and every re-send of an event already stored was
// dropped by JetStream's duplicate window and counted.
import { describe, expect, it } from "vitest";
import { createEventGenerator, serializeEvent } from "../../src/demo/sample-generator.js";
import { isolatedEnv, startCli, type CliProcess } from "../helpers/cli.js";
import { duplicatesOf, natsAndRedisForFile, readStream, settledCount, streamCount, waitForCount } from "./stream-helpers.js";

const TOTAL = 60_000;
const KEY = "eve";

describe("ingest from a Redis stream through crashes", () => {
  const servers = natsAndRedisForFile();
  const env = isolatedEnv();

  const ingest = (extra: string[] = []): CliProcess =>
    startCli(
      [
        ...["-s", servers.nats.url, "--timeout", "2s", "ingest", "--from", `redis-stream://127.0.0.1:${servers.redisServer.port}/${KEY}`],
        ...["--consumer", "p1", "--create-stream", "--progress", "1s", ...extra],
      ],
      { env, timeoutMs: 120_000 },
    );

  it("stores each of 60k events exactly once, leaves nothing pending, and counts every re-send as a duplicate", async () => {
    const generator = createEventGenerator({ seed: 7, startTime: new Date("2026-03-01T12:00:00Z") });
    const events = Array.from({ length: TOTAL }, () => serializeEvent(generator.next()));
    expect(new Set(events).size).toBe(TOTAL);
    for (let i = 0; i < TOTAL; i += 2000) {
      const p = servers.redis.pipeline();
      for (const e of events.slice(i, i + 2000)) p.xadd(KEY, "*", "eve", e);
      await p.exec();
    }

    const first = ingest();
    await waitForCount(servers.nc, (n) => n >= 10_000, 30_000);
    await servers.nats.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await servers.nats.restart();
    await waitForCount(servers.nc, (n) => n >= 30_000, 60_000);
    first.child.kill("SIGKILL");
    const firstResult = await first.exited;
    expect(firstResult.signal).toBe("SIGKILL");

    // Entries read by p1 and not acknowledged: some are in the stream already (stored, the kill came before XACK).
    await settledCount(servers.nc);
    const pending = (await servers.redis.xpending(KEY, "nsm4home", "-", "+", 100_000, "p1")) as Array<[string, string, number, number]>;
    expect(pending.length).toBeGreaterThan(0);
    const storedBefore = new Set((await readStream(servers.nc)).map((m) => m.data));
    let resent = 0;
    for (const [id] of pending) {
      const entry = (await servers.redis.xrange(KEY, id, id))[0]!;
      if (storedBefore.has(entry[1][1]!)) resent++;
    }

    const second = ingest(["--once"]);
    const secondResult = await second.exited;
    expect(secondResult.code, secondResult.stderr).toBe(0);
    expect(secondResult.stderr).toMatch(new RegExp(`re-published ${pending.length.toLocaleString("en-US")} entries left pending for consumer p1`));
    expect(duplicatesOf(secondResult.stderr)).toBe(resent);
    if (process.env.NSM4HOME_TEST_VERBOSE) process.stderr.write(`--- first run\n${firstResult.stderr}\n--- second run\n${secondResult.stderr}\n`);

    expect(await streamCount(servers.nc)).toBe(TOTAL);
    expect(((await servers.redis.xpending(KEY, "nsm4home")) as unknown[])[0]).toBe(0);
    const stored = await readStream(servers.nc);
    expect(new Set(stored.map((m) => m.data)).size).toBe(TOTAL);
    const sent = new Set(events);
    expect(stored.every((m) => sent.has(m.data))).toBe(true);
  }, 150_000);
});
