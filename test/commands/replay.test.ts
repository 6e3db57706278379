// `nsm4home replay FILE`: as fast as possible, at the events' own pace, at N a second, in a loop.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { NatsConnection } from "@nats-io/nats-core";
import { ReplayFileSource, lineTimestamp, parseReplayRate } from "../../src/ingest/sources/replay-file.js";
import { isolatedEnv, repoRoot, runCli, startCli } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { natsWithClientForFile, readStream, streamCount, waitForCount } from "../ingest/stream-helpers.js";

const fixture = join(repoRoot, "test", "fixtures", "eve", "surevego-2017-multi.eve.json");
const at = (ms: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, 0) + ms).toISOString().replace("Z", "000+0000");
const ev = (ms: number, n: number) => JSON.stringify({ timestamp: at(ms), event_type: "dns", n });

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-replay-"));
  trackDir(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function purge(nc: NatsConnection): Promise<void> {
  await nc.request("$JS.API.STREAM.PURGE.suricata", undefined, { timeout: 5000 });
}

describe("replay pacing (source alone)", () => {
  it("parses rates and timestamps", () => {
    expect(parseReplayRate("realtime")).toEqual({ kind: "realtime" });
    expect(parseReplayRate("250")).toEqual({ kind: "perSecond", perSecond: 250 });
    expect(parseReplayRate("MAX")).toEqual({ kind: "max" });
    expect(() => parseReplayRate("0")).toThrow(/invalid --rate/);
    expect(lineTimestamp(Buffer.from('{"timestamp":"2026-03-01T12:00:00.500000+0000","x":1}'))).toBe(Date.UTC(2026, 2, 1, 12, 0, 0, 500));
    expect(lineTimestamp(Buffer.from('{"x":1}'))).toBeUndefined();
  });

  it("shortens long gaps in realtime and loops", async () => {
    const text = [ev(0, 1), ev(3_600_000, 2)].join("\n") + "\n";
    const source = new ReplayFileSource("mem", {
      rate: { kind: "realtime" },
      loop: true,
      maxGapMs: 200,
      notify: () => undefined,
      open: () => Readable.from([Buffer.from(text)]),
    });
    const started = Date.now();
    const got: number[] = [];
    while (got.length < 4) {
      const batch = await source.read(10);
      for (const item of batch?.items ?? []) got.push((JSON.parse(Buffer.from(item).toString()) as { n: number }).n);
    }
    expect(got).toEqual([1, 2, 1, 2]);
    // Two capped gaps (1 h → 200 ms); going back in time at the loop is no wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(source.passesStarted).toBe(2);
    await source.close();
  });
});

describe("replay", () => {
  const servers = natsWithClientForFile();
  const env = isolatedEnv();

  it("--rate max publishes a real eve.json to <prefix>.<event_type>, in order", async () => {
    const lines = readFileSync(fixture, "utf8").split("\n").filter((l) => l.trim() !== "");
    const result = await runCli(["-s", servers.nats.url, "replay", fixture, "--rate", "max", "--create-stream"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`done: read ${lines.length}, published ${lines.length}, acked ${lines.length}`));
    const stored = await readStream(servers.nc);
    expect(stored.map((m) => m.data)).toEqual(lines);
    expect(stored.map((m) => m.subject)).toEqual(lines.map((l) => `suricata.${(JSON.parse(l) as { event_type: string }).event_type}`));
    // Replays repeat on purpose: no msg-ids, so a second run stores everything again.
    const again = await runCli(["-s", servers.nats.url, "replay", fixture, "--rate", "max"], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(await streamCount(servers.nc)).toBe(2 * lines.length);
  });

  it("--rate realtime keeps the events' spacing", async () => {
    await purge(servers.nc);
    const file = tempFile("eve.json", [ev(0, 1), ev(400, 2), ev(800, 3), ev(800, 4), ev(1200, 5)].join("\n") + "\n");
    const started = Date.now();
    const result = await runCli(["-s", servers.nats.url, "replay", file], { env });
    const elapsed = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(1200);
    expect(elapsed).toBeLessThan(5000);
    expect((await readStream(servers.nc)).map((m) => (JSON.parse(m.data) as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
  });

  it("--rate N --loop keeps going at N a second until SIGINT", async () => {
    await purge(servers.nc);
    const file = tempFile("eve.json", [1, 2, 3].map((n) => ev(n, n)).join("\n") + "\n");
    const proc = startCli(["-s", servers.nats.url, "replay", file, "--rate", "20", "--loop", "--progress", "0"], { env });
    await waitForCount(servers.nc, (n) => n >= 12, 10_000);
    const result = await proc.stop("SIGINT");
    expect(result.code, result.stderr).toBe(0);
    const stored = await streamCount(servers.nc);
    // Started after about 0.6 s at 20/s; a few more before the stop took effect, but nowhere near "max".
    expect(stored).toBeGreaterThanOrEqual(12);
    expect(stored).toBeLessThan(60);
    // Replay keeps no position and sends no msg-ids: it says so, and its summary has no always-zero duplicates count.
    expect(result.stderr).toContain("again to quit at once: unconfirmed events may not be stored, and replay keeps no position: a new run starts from the beginning");
    expect(result.stderr).not.toContain("sent on the next start");
    expect(result.stderr).toMatch(/replay: done: read [\d,]+, published [\d,]+, acked [\d,]+, invalid 0/);
    expect(result.stderr).not.toContain("duplicates");
  });

  it("rejects bad arguments", async () => {
    const badRate = await runCli(["replay", fixture, "--rate", "fast"], { env });
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toMatch(/invalid --rate 'fast': use realtime, max, or events per second/);
    const missing = await runCli(["-s", servers.nats.url, "replay", "/nonexistent/eve.json"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe("nsm4home: cannot replay /nonexistent/eve.json: no such file");
    const directory = await runCli(["-s", servers.nats.url, "replay", "/tmp"], { env });
    expect(directory.code).toBe(2);
    expect(directory.stderr.trim()).toBe("nsm4home: cannot replay /tmp: it is a directory; give the eve.json to replay, e.g. /tmp/eve.json");
    const loopStdin = await runCli(["replay", "-", "--loop"], { env });
    expect(loopStdin.code).toBe(2);
  });
});
