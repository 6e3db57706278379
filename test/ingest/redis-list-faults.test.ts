// 100k events from a Redis list while nats-server is killed (-9) and restarted on its store, and the ingester is
// killed (-9) and started again: the stream ends with each event exactly once, and Redis with nothing left.
import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createEventGenerator, serializeEvent } from "../../src/demo/sample-generator.js";
import { isolatedEnv, startCli, type CliProcess } from "../helpers/cli.js";
import { duplicatesOf, natsAndRedisForFile, readStream, settledCount, streamCount, waitForCount } from "./stream-helpers.js";

const TOTAL = 100_000;

async function fillList(redis: Redis, key: string, events: string[]): Promise<void> {
  for (let i = 0; i < events.length; i += 2000) {
    const p = redis.pipeline();
    for (const e of events.slice(i, i + 2000)) p.lpush(key, e);
    await p.exec();
  }
}

describe("ingest from a Redis list through crashes", () => {
  const servers = natsAndRedisForFile();
  const env = isolatedEnv();

  const ingest = (extra: string[] = []): CliProcess =>
    startCli(["-s", servers.nats.url, "--timeout", "2s", "ingest", "--from", `${servers.redisServer.url}/suricata`, "--create-stream", "--progress", "1s", ...extra], {
      env,
      timeoutMs: 120_000,
    });

  it("stores exactly 100k events, no duplicates, and empties the list and the processing list", async () => {
    const generator = createEventGenerator({ seed: 42, startTime: new Date("2026-03-01T12:00:00Z") });
    const events = Array.from({ length: TOTAL }, () => serializeEvent(generator.next()));
    expect(new Set(events).size).toBe(TOTAL);
    await fillList(servers.redis, "suricata", events);

    const first = ingest();
    await waitForCount(servers.nc, (n) => n >= 15_000, 30_000);
    await servers.nats.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await servers.nats.restart();
    await waitForCount(servers.nc, (n) => n >= 55_000, 60_000);
    first.child.kill("SIGKILL");
    const firstResult = await first.exited;
    expect(firstResult.signal).toBe("SIGKILL");
    expect(firstResult.stderr).toMatch(/publish failed/);
    const leftInProcessing = await servers.redis.llen("suricata:processing");
    // Killed mid-run: events still waiting in the list, and taken ones not yet confirmed.
    expect(await servers.redis.llen("suricata")).toBeGreaterThan(0);
    expect(leftInProcessing).toBeGreaterThan(0);

    // Taken events the stream already holds (acknowledged, the kill came before they left the processing list):
    // the restart sends them again, and the stream's duplicate window must drop each one, counted.
    await settledCount(servers.nc);
    const storedBefore = new Set((await readStream(servers.nc)).map((m) => m.data));
    const resent = (await servers.redis.lrange("suricata:processing", 0, -1)).filter((e) => storedBefore.has(e)).length;

    const second = ingest(["--once"]);
    const secondResult = await second.exited;
    expect(secondResult.code, secondResult.stderr).toBe(0);
    if (leftInProcessing > 0) expect(secondResult.stderr).toMatch(new RegExp(`re-publishing ${leftInProcessing.toLocaleString("en-US")} events left in suricata:processing`));
    expect(duplicatesOf(secondResult.stderr)).toBe(resent);
    expect(secondResult.stderr).toMatch(/done: read/);
    if (process.env.NSM4HOME_TEST_VERBOSE) process.stderr.write(`--- first run\n${firstResult.stderr}\n--- second run\n${secondResult.stderr}\n`);

    expect(await streamCount(servers.nc)).toBe(TOTAL);
    expect(await servers.redis.llen("suricata")).toBe(0);
    expect(await servers.redis.llen("suricata:processing")).toBe(0);

    const stored = await readStream(servers.nc);
    expect(stored).toHaveLength(TOTAL);
    const ids = new Set(stored.map((m) => m.msgId));
    expect(ids.size).toBe(TOTAL);
    const contents = new Set(stored.map((m) => m.data));
    expect(contents.size).toBe(TOTAL);
    const sent = new Set(events);
    expect(stored.every((m) => sent.has(m.data))).toBe(true);
    // Subjects come from event_type.
    const dns = stored.find((m) => m.subject === "suricata.dns");
    expect(JSON.parse(dns!.data).event_type).toBe("dns");
  }, 150_000);
});
