// Truncation of a followed eve.json (QA F8): logrotate's copytruncate (cp eve.json eve.json.N, then empty it while
// Suricata keeps appending) loses nothing, because the rest of the old content is read from the copy; a file
// emptied and written past the old offset between two reads is noticed by its content; without a copy the
// possible loss is said on stderr. The source alone first, then the CLI against a real nats-server while a writer
// appends thousands of events a second.
import { describe, expect, it } from "vitest";
import { appendFileSync, copyFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estimateLostBytes, FileFollowSource, type FileFollowOptions } from "../../src/ingest/sources/file-follow.js";
import { loadCheckpoint } from "../../src/ingest/checkpoint.js";
import { isolatedEnv, startCli } from "../helpers/cli.js";
import { removeDir } from "../helpers/processes.js";
import { natsWithClientForFile, readStream, waitForCount } from "./stream-helpers.js";
import { collect, followOptions, line, lines, range, tempDir, writeNumberedEvents } from "./file-follow-helpers.js";

describe("FileFollowSource and truncation", () => {
  let notices: string[] = [];
  const opts = (dir: string, extra: Partial<FileFollowOptions> = {}): FileFollowOptions => followOptions(dir, notices, extra);

  it("copytruncate between two reads: the unread rest comes from the copy, then the emptied file from 0", async () => {
    notices = [];
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 3));
    writeFileSync(`${eve}-20260301`, lines(100, 120)); // an older rotation: not the copy
    const source = new FileFollowSource(eve, opts(dir));
    expect(await collect(source, 3)).toEqual([1, 2, 3]);
    appendFileSync(eve, lines(4, 5)); // written after the last read
    copyFileSync(eve, `${eve}.1`);
    truncateSync(eve, 0);
    appendFileSync(eve, lines(6, 20)); // grows past the old offset before the next read
    expect(await collect(source, 17)).toEqual(range(4, 20));
    expect(notices.join("\n")).toMatch(/eve\.json was truncated at offset [\d,]+ \(copytruncate\): reading the rest of the old content from \S+eve\.json\.1 /);
    expect(notices.join("\n")).not.toMatch(/may be lost/);
    await source.close();
    const cp = loadCheckpoint(join(dir, "checkpoint.json"))!;
    expect(cp.offset).toBe(Buffer.byteLength(lines(6, 20)));
    expect(Buffer.from(cp.tail!, "base64").toString()).toBe(lines(6, 20).slice(-256));
    removeDir(dir);
  });

  for (const watch of [true, false]) {
    it(`a file emptied and written past the old offset between two reads is noticed (fs.watch ${watch ? "on" : "off: polling"}); without a copy the loss is said`, async () => {
      notices = [];
      const dir = tempDir("trunc");
      const eve = join(dir, "eve.json");
      writeFileSync(eve, lines(1, 3));
      writeFileSync(`${eve}.1.gz`, "\x1f\x8b not read");
      const source = new FileFollowSource(eve, opts(dir, { watch }));
      expect(await collect(source, 3)).toEqual([1, 2, 3]);
      const offset = Buffer.byteLength(lines(1, 3));
      truncateSync(eve, 0);
      appendFileSync(eve, lines(10, 30)); // 21 lines: far past the old offset
      expect(await collect(source, 21)).toEqual(range(10, 30));
      expect(notices.join("\n")).toMatch(
        new RegExp(
          `eve\\.json was truncated at offset ${offset.toLocaleString("en-US")}; (about [\\d,]+ bytes \\(~[\\d,]+ lines?\\)|an unknown number of bytes) ` +
            `written after the last read may be lost \\(no rotated copy found; compressed files are not read: eve\\.json\\.1\\.gz\\)`,
        ),
      );
      await source.close();
      expect(notices.at(-1)).toMatch(/eve\.json was truncated without a rotated copy once while followed: about [\d,]+ bytes may have been lost/);
      removeDir(dir);
    });
  }

  it("a copy taken in the middle of a line: whole lines from it, the cut line reported", async () => {
    notices = [];
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 2) + `{"event_type":"dns","n":`);
    const source = new FileFollowSource(eve, opts(dir));
    expect(await collect(source, 2)).toEqual([1, 2]);
    appendFileSync(eve, `3}\n${line(4)}\n{"event_type":"dns","n":5`);
    copyFileSync(eve, `${eve}.1`);
    truncateSync(eve, 0);
    appendFileSync(eve, `}\n${lines(6, 7)}`); // the end of line 5 went to the emptied file: not JSON on its own
    const got: string[] = [];
    const deadline = Date.now() + 5000;
    while (got.length < 5 && Date.now() < deadline) {
      const batch = await source.read(100);
      for (const item of batch!.items) got.push(Buffer.from(item).toString());
      await batch!.commit();
    }
    expect(got).toEqual([`{"event_type":"dns","n":3}`, line(4), "}", line(6), line(7)]);
    const cut = Buffer.byteLength(`{"event_type":"dns","n":5`);
    expect(notices.join("\n")).toMatch(new RegExp(`eve\\.json\\.1 ends in the middle of a line: skipped its last ${cut} bytes`));
    await source.close();
    removeDir(dir);
  });

  it("wakes up on fs.watch events long before the poll interval", async () => {
    notices = [];
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 1));
    const source = new FileFollowSource(eve, opts(dir, { pollMs: 10_000 }));
    expect(await collect(source, 1)).toEqual([1]);
    const pending = collect(source, 1, 3000);
    await new Promise((r) => setTimeout(r, 50)); // the source is waiting now
    const started = Date.now();
    appendFileSync(eve, lines(2, 2));
    expect(await pending).toEqual([2]);
    expect(Date.now() - started).toBeLessThan(2000);
    source.stop();
    await source.close();
    removeDir(dir);
  });

  it("resumes after a copytruncate while stopped: finishes the copy from the checkpoint, then the file from 0", async () => {
    notices = [];
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 3));
    const first = new FileFollowSource(eve, opts(dir, { once: true }));
    expect(await collect(first, 10)).toEqual([1, 2, 3]);
    await first.close();

    appendFileSync(eve, lines(4, 6));
    copyFileSync(eve, `${eve}.1`);
    truncateSync(eve, 0);
    appendFileSync(eve, lines(7, 40)); // longer than the checkpoint offset: the size alone would not tell
    const second = new FileFollowSource(eve, opts(dir));
    expect(await collect(second, 37)).toEqual(range(4, 40));
    expect(notices.join("\n")).toMatch(/eve\.json was truncated while stopped: finishing its copy \S+eve\.json\.1 from the checkpoint first/);
    await second.close();

    // Emptied and rewritten while stopped, no copy: said, and read from the start.
    notices = [];
    truncateSync(eve, 0);
    appendFileSync(eve, lines(50, 100));
    const third = new FileFollowSource(eve, opts(dir));
    expect(await collect(third, 51)).toEqual(range(50, 100));
    expect(notices.join("\n")).toMatch(
      /eve\.json was truncated while stopped \(the bytes before the checkpoint changed, offset [\d,]+\); lines written after the checkpoint may be lost \(no rotated copy found\): reading it from the start/,
    );
    await third.close();
    removeDir(dir);
  });

  it("stopped while reading the copy: a restart finishes the copy from the checkpoint, then the file", async () => {
    notices = [];
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, lines(1, 3));
    const first = new FileFollowSource(eve, opts(dir));
    expect(await collect(first, 3)).toEqual([1, 2, 3]);
    appendFileSync(eve, lines(4, 50));
    copyFileSync(eve, `${eve}.1`);
    truncateSync(eve, 0);
    appendFileSync(eve, lines(51, 60));
    let batch = await first.read(5);
    while (batch && batch.items.length === 0) batch = await first.read(5); // the first read finds the truncation
    expect(batch!.items).toHaveLength(5);
    await batch!.commit(); // 4..8 acknowledged, then the process stops
    await first.close();

    const second = new FileFollowSource(eve, opts(dir));
    expect(await collect(second, 52)).toEqual(range(9, 60));
    expect(notices.join("\n")).toMatch(/was rotated while stopped: finishing \S+eve\.json\.1 from its checkpoint first/);
    await second.close();
    removeDir(dir);
  });

  it("estimates the lost bytes from what was seen, or from the writer's rate", () => {
    const base = { pos: 1000, pendingBytes: 0, sizeSeen: 1000, caughtUp: { at: 0, pos: 1000 }, bytesPerMs: undefined, newSize: 0, now: 500 };
    expect(estimateLostBytes(base)).toBeUndefined();
    expect(estimateLostBytes({ ...base, sizeSeen: 1500, pendingBytes: 20 })).toBe(520);
    // 4 bytes/ms for 500 ms since the last read: 2,000 bytes written, 600 of them after the truncation.
    expect(estimateLostBytes({ ...base, bytesPerMs: 4, newSize: 600 })).toBe(1400);
    expect(estimateLostBytes({ ...base, bytesPerMs: 4, newSize: 5000 })).toBe(0);
  });
});

describe("ingest --from FILE while the file is copytruncated", () => {
  const servers = natsWithClientForFile();

  it("two copytruncates during continuous writing: the stream holds every event exactly once", async () => {
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, "");
    const ingest = startCli(["-s", servers.nats.url, "ingest", "--from", eve, "--checkpoint", join(dir, "ckpt"), "--create-stream", "--progress", "1s"], { env: isolatedEnv() });
    await ingest.waitFor(/read 0/, { stream: "stderr" });
    const copytruncate = (n: number) => () => {
      copyFileSync(eve, `${eve}.${n}`);
      truncateSync(eve, 0);
    };
    const total = 20_000;
    await writeNumberedEvents(eve, total, 4000, new Map([[6000, copytruncate(6000)], [13_000, copytruncate(13_000)]]));
    await waitForCount(servers.nc, (c) => c >= total, 20_000);
    const result = await ingest.stop("SIGTERM");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/\(copytruncate\): reading the rest/g)).toHaveLength(2);
    expect(result.stderr).not.toMatch(/may be lost/);
    expect(result.stderr).toMatch(/done: read 20,000, published 20,000, acked 20,000, duplicates 0/);

    const stored = await readStream(servers.nc);
    expect(stored).toHaveLength(total);
    const seen = stored.map((m) => (JSON.parse(m.data) as { n: number }).n);
    expect(new Set(seen).size).toBe(total);
    expect(seen.sort((a, b) => a - b)).toEqual(range(0, total - 1));
    removeDir(dir);
  });

  it("a truncation without a copy during continuous writing: the possible loss is said, everything after it arrives", async () => {
    const dir = tempDir("trunc");
    const eve = join(dir, "eve.json");
    writeFileSync(eve, "");
    const stream = "trunc";
    const ingest = startCli(
      ["-s", servers.nats.url, "ingest", "--from", eve, "--checkpoint", join(dir, "ckpt"), "--create-stream", "--prefix", stream, "--stream", stream, "--progress", "1s"],
      { env: isolatedEnv() },
    );
    await ingest.waitFor(/read 0/, { stream: "stderr" });
    const total = 8000;
    await writeNumberedEvents(eve, total, 4000, new Map([[5000, () => truncateSync(eve, 0)]]));
    // Everything written after the truncation arrives; before it, all but what the truncation took.
    const stored = async () => new Set((await readStream(servers.nc, stream)).map((m) => (JSON.parse(m.data) as { n: number }).n));
    let seen = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (!seen.has(total - 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await stored();
    }
    const result = await ingest.stop("SIGTERM");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /eve\.json was truncated at offset [\d,]+; (about [\d,]+ bytes \(~[\d,]+ lines?\)|an unknown number of bytes) written after the last read may be lost \(no rotated copy found\)/,
    );
    const messages = await readStream(servers.nc, stream);
    seen = new Set(messages.map((m) => (JSON.parse(m.data) as { n: number }).n));
    expect(seen.size).toBe(messages.length);
    expect(range(5000, total - 1).filter((n) => !seen.has(n))).toEqual([]);
    // What is missing is a run just before the truncation: the lines written after the last read.
    const missing = range(0, 4999).filter((n) => !seen.has(n));
    if (missing.length > 0) expect(missing).toEqual(range(missing[0]!, 4999));
    removeDir(dir);
  });
});
