// Rename rotation more than once before the follower looks again (QA F9): the rotated generations in between are
// read in order (by their last write), each from 0, before the followed name; older unrelated rotations are left
// alone; a restart in the middle of the chain reads nothing twice. The source alone first, then the CLI against a
// real nats-server while a writer appends thousands of events a second and rotates like Suricata with logrotate.
import { describe, expect, it } from "vitest";
import { appendFileSync, copyFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileFollowSource, type FileFollowOptions } from "../../src/ingest/sources/file-follow.js";
import { loadCheckpoint } from "../../src/ingest/checkpoint.js";
import { isolatedEnv, startCli } from "../helpers/cli.js";
import { removeDir } from "../helpers/processes.js";
import { natsWithClientForFile, readStream, streamCount, waitForCount } from "./stream-helpers.js";
import { collect, followOptions, lines, range, tempDir, writeNumberedEvents, writtenAt } from "./file-follow-helpers.js";

describe("FileFollowSource and several rename rotations between two looks", () => {
  let notices: string[] = [];
  const opts = (dir: string, extra: Partial<FileFollowOptions> = {}): FileFollowOptions => followOptions(dir, notices, extra);

  it("reads every generation in between, oldest first, then the new file; older rotations are not read", async () => {
    notices = [];
    const dir = tempDir("rot");
    const eve = join(dir, "eve.json");
    writeFileSync(`${eve}-20260201`, lines(900, 910)); // an unrelated rotation from long ago
    writtenAt(`${eve}-20260201`, -86_400);
    writeFileSync(eve, lines(1, 3));
    const source = new FileFollowSource(eve, opts(dir));
    expect(await collect(source, 3)).toEqual([1, 2, 3]);
    // Three rotations before the next look; names do not tell the order (a date, then numbers), last writes do.
    writtenAt(eve, -30);
    renameSync(eve, `${eve}.b`);
    writeFileSync(eve, lines(4, 6));
    writtenAt(eve, -20);
    renameSync(eve, `${eve}.a`);
    writeFileSync(eve, lines(7, 9));
    writtenAt(eve, -10);
    renameSync(eve, `${eve}-20260301`);
    writeFileSync(eve, lines(10, 12));
    expect(await collect(source, 9)).toEqual(range(4, 12));
    expect(await collect(source, 1, 300)).toEqual([]); // nothing else: not the old rotation, nothing twice
    const said = notices.join("\n");
    expect(said).toMatch(/eve\.json was rotated more than once: finished the old file, reading the next rotated file \S+eve\.json\.a from its start/);
    expect(said).toMatch(/finished \S+eve\.json\.a, reading the next rotated file \S+eve\.json-20260301 from its start/);
    await source.close();
    removeDir(dir);
  });

  it("a restart in the middle of the chain goes on from the checkpoint and reads nothing twice, even with equal times", async () => {
    notices = [];
    const dir = tempDir("rot");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 3));
    const first = new FileFollowSource(eve, opts(dir));
    expect(await collect(first, 3)).toEqual([1, 2, 3]);
    renameSync(eve, `${eve}.1`);
    writeFileSync(eve, lines(4, 50));
    renameSync(eve, `${eve}.2`);
    writeFileSync(eve, lines(51, 60));
    // Coarse file-system clocks: the finished file and the next generations were last written in the same second.
    for (const name of [`${eve}.1`, `${eve}.2`]) writtenAt(name, -5);
    let batch = await first.read(5);
    while (batch && batch.items.length === 0) batch = await first.read(5);
    expect(batch!.items.map((i) => (JSON.parse(Buffer.from(i).toString()) as { n: number }).n)).toEqual([4, 5, 6, 7, 8]);
    await batch!.commit(); // 4..8 acknowledged, then the process stops
    await first.close();
    expect(loadCheckpoint(join(dir, "checkpoint.json"))!.finished).toHaveLength(1);

    const second = new FileFollowSource(eve, opts(dir));
    expect(await collect(second, 52)).toEqual(range(9, 60));
    expect(await collect(second, 1, 300)).toEqual([]);
    expect(notices.join("\n")).toMatch(/was rotated while stopped: finishing \S+eve\.json\.2 from its checkpoint first/);
    await second.close();
    removeDir(dir);
  });

  it("two copytruncates while stopped: the first copy from the checkpoint, the second from 0, then the file", async () => {
    notices = [];
    const dir = tempDir("rot");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 3));
    const first = new FileFollowSource(eve, opts(dir, { once: true }));
    expect(await collect(first, 10)).toEqual([1, 2, 3]);
    await first.close();
    appendFileSync(eve, lines(4, 6));
    copyFileSync(eve, `${eve}.2`);
    writtenAt(`${eve}.2`, -20);
    truncateSync(eve, 0);
    appendFileSync(eve, lines(7, 9));
    copyFileSync(eve, `${eve}.1`);
    writtenAt(`${eve}.1`, -10);
    truncateSync(eve, 0);
    appendFileSync(eve, lines(10, 12));
    const second = new FileFollowSource(eve, opts(dir));
    expect(await collect(second, 9)).toEqual(range(4, 12));
    expect(await collect(second, 1, 300)).toEqual([]);
    await second.close();
    removeDir(dir);
  });

  // The next file created often gets the deleted file's inode: the rotated one or the name, by creation order.
  for (const nameFirst of [false, true]) {
    it(`the checkpointed file is gone (${nameFirst ? "name" : "rotated file"} created first): said, then the generations rotated since the checkpoint, then the file`, async () => {
      notices = [];
      const dir = tempDir("rot");
      const eve = join(dir, "eve.json");
      writeFileSync(eve, lines(1, 3));
      const first = new FileFollowSource(eve, opts(dir, { once: true }));
      expect(await collect(first, 10)).toEqual([1, 2, 3]);
      await first.close();
      writeFileSync(`${eve}.9`, lines(900, 901)); // rotated before the checkpoint was written: not read
      writtenAt(`${eve}.9`, -60);
      renameSync(eve, `${eve}.2`);
      rmSync(`${eve}.2`); // deleted (rotate N) while stopped
      if (nameFirst) writeFileSync(eve, lines(7, 8));
      writeFileSync(`${eve}.1`, lines(4, 6));
      writtenAt(`${eve}.1`, 5); // last written after the checkpoint
      if (!nameFirst) writeFileSync(eve, lines(7, 8));
      const second = new FileFollowSource(eve, opts(dir));
      expect(await collect(second, 5)).toEqual(range(4, 8));
      expect(await collect(second, 1, 300)).toEqual([]);
      expect(notices.join("\n")).toMatch(/(is gone: lines written to it after the checkpoint may be missing|was truncated while stopped .* may be lost \(no rotated copy found\))[:;] reading the files rotated since, from \S+eve\.json\.1, then/);
      await second.close();
      removeDir(dir);
    });
  }

  it("a compressed generation in the chain is said, with its size, also after the summary; the rest is read", async () => {
    notices = [];
    const dir = tempDir("rot");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 2));
    const source = new FileFollowSource(eve, opts(dir));
    expect(await collect(source, 2)).toEqual([1, 2]);
    writtenAt(eve, -30);
    renameSync(eve, `${eve}.3`);
    writeFileSync(`${eve}.2.gz`, "\x1f\x8b compressed generation");
    writtenAt(`${eve}.2.gz`, -20);
    writeFileSync(`${eve}.1`, lines(5, 6));
    writtenAt(`${eve}.1`, -10);
    writeFileSync(eve, lines(7, 8));
    expect(await collect(source, 4)).toEqual([5, 6, 7, 8]);
    expect(notices.join("\n")).toMatch(/eve\.json\.2\.gz is a rotated file written after the last one read, but compressed: not read, its lines \(\d+ B compressed\) may be missing/);
    await source.close();
    expect(notices.at(-1)).toMatch(/^1 rotated file of \S+eve\.json could not be read \(compressed or deleted\): \d+ B of lines may be missing \(see above\)$/);
    removeDir(dir);
  });
});

describe("ingest --from FILE across several rename rotations", () => {
  const servers = natsWithClientForFile();

  const total = 20_000;

  async function expectEveryEventOnce(stream: string): Promise<void> {
    const stored = await readStream(servers.nc, stream);
    const seen = stored.map((m) => (JSON.parse(m.data) as { n: number }).n);
    expect(stored).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.sort((a, b) => a - b)).toEqual(range(0, total - 1));
  }

  function ingestArgs(eve: string, dir: string, stream: string): string[] {
    return ["-s", servers.nats.url, "ingest", "--from", eve, "--checkpoint", join(dir, "ckpt"), "--create-stream", "--prefix", stream, "--stream", stream, "--progress", "1s"];
  }

  it("down across three rotations (kill -9, restart later), nats-server killed -9 too: every event exactly once", async () => {
    const dir = tempDir("rot");
    const eve = join(dir, "eve.json");
    const stream = "rotrestart";
    writeFileSync(`${eve}.old`, lines(100_000, 100_099)); // an older rotation: never read
    writtenAt(`${eve}.old`, -3600);
    writeFileSync(eve, "");
    const env = isolatedEnv();
    const first = startCli(ingestArgs(eve, dir, stream), { env });
    await first.waitFor(/read 0/, { stream: "stderr" });
    let second: ReturnType<typeof startCli> | undefined;
    let storedBeforeSecond: Promise<number> | undefined;
    let serverBounce: Promise<void> | undefined;
    const hooks = new Map<number, () => void>([
      [2500, () => void first.stop("SIGKILL")], // before the rotation at 5000
      // After the one at 15,000; what the stream holds is counted before the second ingester starts.
      [
        16_000,
        () =>
          (storedBeforeSecond = streamCount(servers.nc, stream).then((n) => {
            second = startCli(ingestArgs(eve, dir, stream), { env });
            return n;
          })),
      ],
      // nats-server killed under the second ingester, and started again on its store.
      [
        18_000,
        () =>
          (serverBounce = (async () => {
            await servers.nats.kill();
            await new Promise((r) => setTimeout(r, 800));
            await servers.nats.restart();
          })()),
      ],
    ]);
    await writeNumberedEvents(eve, total, 4000, hooks, [5000, 9000, 15_000]);
    await serverBounce;
    // nats-server 2.15 can take tens of seconds to bring JetStream back from its store under the matrix's load.
    await waitForCount(servers.nc, (c) => c >= total, 60_000, stream).catch((err: Error) => {
      throw new Error(`${err.message}; the second ingester said:\n${second!.stderr()}`);
    });
    const result = await second!.stop("SIGTERM");
    expect(result.code, result.stderr).toBe(0);
    // Whatever the second ingester sent again (read past the checkpoint, or stored before an acknowledgement lost in
    // the crash) was dropped and counted: no publish it did not count as a duplicate made a second copy.
    const summary = /done: read [\d,]+, published ([\d,]+), acked [\d,]+, duplicates ([\d,]+)/.exec(result.stderr)!;
    const [published, duplicates] = [Number(summary[1]!.replace(/,/g, "")), Number(summary[2]!.replace(/,/g, ""))];
    const missingBeforeSecond = total - (await storedBeforeSecond!);
    expect(published - duplicates, result.stderr).toBeLessThanOrEqual(missingBeforeSecond);
    expect(published, result.stderr).toBeGreaterThanOrEqual(missingBeforeSecond);
    expect(result.stderr).toMatch(/was rotated while stopped: finishing \S+eve\.json\.5000 from its checkpoint first/);
    expect(result.stderr).toMatch(/reading the next rotated file \S+eve\.json\.9000/);
    expect(result.stderr).toMatch(/reading the next rotated file \S+eve\.json\.15000/);
    expect(result.stderr).not.toMatch(/may be (missing|lost)/);
    await expectEveryEventOnce(stream);
    removeDir(dir);
  }, 120_000);

  it("rotations faster than the follower looks (live): every event exactly once", async () => {
    const dir = tempDir("rot");
    const eve = join(dir, "eve.json");
    const stream = "rotlive";
    writeFileSync(`${eve}.old`, lines(100_000, 100_099));
    writtenAt(`${eve}.old`, -3600);
    writeFileSync(eve, "");
    const ingest = startCli(ingestArgs(eve, dir, stream), { env: isolatedEnv() });
    await ingest.waitFor(/read 0/, { stream: "stderr" });
    // 5000 → 9000 is one second (the rotation grace); 9000 → 9400 is a tenth of it.
    await writeNumberedEvents(eve, total, 4000, undefined, [5000, 9000, 9400, 15_000]);
    await waitForCount(servers.nc, (c) => c >= total, 20_000, stream);
    const result = await ingest.stop("SIGTERM");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/may be (missing|lost)/);
    expect(result.stderr).toMatch(/done: read 20,000, published 20,000, acked 20,000, duplicates 0/);
    await expectEveryEventOnce(stream);
    removeDir(dir);
  });
});
