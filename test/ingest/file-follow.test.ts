// Following an eve.json across rotation and truncation, and resuming from the checkpoint (also when the file was
// rotated while the follower was stopped). The source alone first, then the CLI against a real nats-server.
import { describe, expect, it } from "vitest";
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileFollowSource } from "../../src/ingest/sources/file-follow.js";
import { loadCheckpoint } from "../../src/ingest/checkpoint.js";
import type { IngestSource } from "../../src/ingest/types.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { removeDir, trackDir } from "../helpers/processes.js";
import { natsWithClientForFile, readStream, streamCount } from "./stream-helpers.js";

const line = (n: number, type = "dns") => JSON.stringify({ timestamp: `2026-03-01T12:00:${String(n % 60).padStart(2, "0")}.000000+0000`, event_type: type, n });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-follow-"));
  trackDir(dir);
  return dir;
}

/** Reads (committing each batch, as the pipeline does after PubAcks) until `count` items came or time is up. */
async function collect(source: IngestSource, count: number, timeoutMs = 5000): Promise<string[]> {
  const out: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const batch = await source.read(100);
    if (batch === null) break;
    for (const item of batch.items) out.push(Buffer.from(item).toString("utf8"));
    await batch.commit();
  }
  return out;
}

const nums = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { n: number }).n);

describe("FileFollowSource", () => {
  const notices: string[] = [];
  const opts = (dir: string) => ({
    checkpointFile: join(dir, "checkpoint.json"),
    startAt: "beginning" as const,
    pollMs: 20,
    rotationGraceMs: 150,
    notify: (l: string) => notices.push(l),
  });

  it("reads complete lines only, then follows appends", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    writeFileSync(eve, `${line(1)}\n${line(2)}\n{"event_type":"dns","n":3`);
    const source = new FileFollowSource(eve, opts(dir));
    expect(nums(await collect(source, 2))).toEqual([1, 2]);
    appendFileSync(eve, `}\n\n${line(4)}\r\n`);
    expect(nums(await collect(source, 2))).toEqual([3, 4]);
    await source.close();
    const cp = loadCheckpoint(join(dir, "checkpoint.json"));
    expect(cp?.offset).toBeGreaterThan(0);
    removeDir(dir);
  });

  it("finishes the old file after a rotation (including lines written after the rename), then reads the new one", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    writeFileSync(eve, `${line(1)}\n${line(2)}\n`);
    const source = new FileFollowSource(eve, opts(dir));
    expect(nums(await collect(source, 2))).toEqual([1, 2]);
    renameSync(eve, `${eve}.1`);
    // Suricata keeps writing the renamed file until it reopens: those lines must not be lost.
    appendFileSync(`${eve}.1`, `${line(3)}\n`);
    writeFileSync(eve, `${line(4)}\n`);
    appendFileSync(`${eve}.1`, `${line(5)}\n`);
    appendFileSync(eve, `${line(6)}\n`);
    expect(nums(await collect(source, 4))).toEqual([3, 5, 4, 6]);
    expect(notices.some((n) => /was rotated/.test(n))).toBe(true);
    await source.close();
    removeDir(dir);
  });

  it("starts again at 0 after a truncation", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    writeFileSync(eve, `${line(1)}\n${line(2)}\n${line(3)}\n`);
    const source = new FileFollowSource(eve, opts(dir));
    expect(nums(await collect(source, 3))).toEqual([1, 2, 3]);
    truncateSync(eve, 0);
    appendFileSync(eve, `${line(7)}\n`);
    expect(nums(await collect(source, 1))).toEqual([7]);
    expect(notices.some((n) => /was truncated/.test(n))).toBe(true);
    await source.close();
    removeDir(dir);
  });

  it("resumes from the checkpoint, finishing a file rotated while stopped", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    writeFileSync(eve, `${line(1)}\n${line(2)}\n`);
    const first = new FileFollowSource(eve, { ...opts(dir), once: true });
    expect(nums(await collect(first, 10))).toEqual([1, 2]);
    await first.close();

    appendFileSync(eve, `${line(3)}\n`);
    renameSync(eve, `${eve}.1`);
    writeFileSync(eve, `${line(4)}\n`);
    const second = new FileFollowSource(eve, opts(dir));
    expect(nums(await collect(second, 2))).toEqual([3, 4]);
    expect(notices.some((n) => /rotated while stopped/.test(n))).toBe(true);
    await second.close();

    // Truncated while stopped: the checkpoint is beyond the end, so it starts over.
    writeFileSync(eve, "");
    appendFileSync(eve, `{"n":9}\n`);
    const third = new FileFollowSource(eve, opts(dir));
    expect(nums(await collect(third, 1))).toEqual([9]);
    await third.close();
    removeDir(dir);
  });

  it("starts at the end without a checkpoint when asked", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    writeFileSync(eve, `${line(1)}\n`);
    const source = new FileFollowSource(eve, { ...opts(dir), startAt: "end" });
    expect(await collect(source, 1, 200)).toEqual([]);
    appendFileSync(eve, `${line(2)}\n`);
    expect(nums(await collect(source, 1))).toEqual([2]);
    await source.close();
    removeDir(dir);
  });
});

describe("ingest --from FILE", () => {
  const servers = natsWithClientForFile();

  it("resumes from its checkpoint without sending anything again", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    const checkpoint = join(dir, "eve.checkpoint");
    writeFileSync(eve, Array.from({ length: 1000 }, (_, i) => line(i)).join("\n") + "\n");
    const env = isolatedEnv();
    const args = ["-s", servers.nats.url, "ingest", "--from", eve, "--checkpoint", checkpoint, "--create-stream", "--once"];
    const first = await runCli(args, { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/done: read 1,000, published 1,000, acked 1,000, duplicates 0/);
    expect(await streamCount(servers.nc)).toBe(1000);

    appendFileSync(eve, Array.from({ length: 500 }, (_, i) => line(1000 + i, "flow")).join("\n") + "\n");
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/done: read 500, published 500, acked 500, duplicates 0/);
    expect(second.stderr).toMatch(/backlog 0 B/);

    const stored = await readStream(servers.nc);
    expect(stored).toHaveLength(1500);
    expect(stored.map((m) => (JSON.parse(m.data) as { n: number }).n)).toEqual(Array.from({ length: 1500 }, (_, i) => i));
    expect(stored[1200]!.subject).toBe("suricata.flow");
    removeDir(dir);
  });

  it("uses a default checkpoint under XDG_STATE_HOME", async () => {
    const dir = tempDir();
    const eve = join(dir, "eve.json");
    writeFileSync(eve, `${line(1)}\n`);
    const env = isolatedEnv();
    const result = await runCli(["-s", servers.nats.url, "ingest", "--from", eve, "--create-stream", "--once", "--prefix", "other", "--stream", "other"], { env });
    expect(result.code, result.stderr).toBe(0);
    const expected = join(env.HOME!, ".local", "state", "nsm4home", "checkpoints", `${encodeURIComponent(eve)}.json`);
    expect(loadCheckpoint(expected)?.offset).toBe(line(1).length + 1);
    removeDir(dir);
  });
});
