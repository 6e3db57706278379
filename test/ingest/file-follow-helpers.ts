// What the file-follow suites share: numbered eve.json lines, temp dirs, reading a source as the pipeline does,
// and the follower options they all start from.
import { closeSync, mkdtempSync, openSync, renameSync, utimesSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileFollowOptions } from "../../src/ingest/sources/file-follow.js";
import type { IngestSource } from "../../src/ingest/types.js";
import { trackDir } from "../helpers/processes.js";

/** One DNS event carrying its number `n`, so a test can check every one arrived exactly once. */
export const line = (n: number) =>
  JSON.stringify({ timestamp: `2026-03-01T12:00:${String(n % 60).padStart(2, "0")}.${String(n).padStart(6, "0")}+0000`, event_type: "dns", flow_id: 1e12 + n, n });
export const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i) + "\n").join("");
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `nsm4home-${prefix}-`));
  trackDir(dir);
  return dir;
}

/** Sets a file's last write time, seconds from now (negative: in the past). */
export function writtenAt(path: string, secondsFromNow: number): void {
  const t = new Date(Date.now() + secondsFromNow * 1000);
  utimesSync(path, t, t);
}

/** Reads (committing each batch, as the pipeline does after PubAcks) until `count` items came or time is up. */
export async function collect(source: IngestSource, count: number, timeoutMs = 5000): Promise<number[]> {
  const out: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const batch = await source.read(100);
    if (batch === null) break;
    for (const item of batch.items) out.push((JSON.parse(Buffer.from(item).toString("utf8")) as { n: number }).n);
    await batch.commit();
  }
  return out;
}

/** Follower options for tests: fast polls, a short rotation grace, notices collected into `notices`. */
export function followOptions(dir: string, notices: string[], extra: Partial<FileFollowOptions> = {}): FileFollowOptions {
  return {
    checkpointFile: join(dir, "checkpoint.json"),
    startAt: "beginning",
    pollMs: 20,
    rotationGraceMs: 150,
    notify: (l: string) => notices.push(l),
    ...extra,
  };
}

/**
 * Appends numbered events at `perSecond` as Suricata does. Before event n, `at.get(n)` runs (a copytruncate, a
 * restart), and for n in `rotateAt` the file is renamed to `<path>.<n>` and the name reopened (rename rotation).
 */
export async function writeNumberedEvents(
  path: string,
  total: number,
  perSecond: number,
  at = new Map<number, () => void>(),
  rotateAt: number[] = [],
): Promise<void> {
  let fd = openSync(path, "a");
  const started = Date.now();
  let n = 0;
  try {
    while (n < total) {
      const due = Math.min(total, Math.ceil(((Date.now() - started) * perSecond) / 1000) + 1);
      let chunk = "";
      for (; n < due; n++) {
        if (rotateAt.includes(n) || at.has(n)) {
          if (chunk) writeSync(fd, chunk);
          chunk = "";
          at.get(n)?.();
          if (rotateAt.includes(n)) {
            renameSync(path, `${path}.${n}`);
            closeSync(fd);
            fd = openSync(path, "a");
          }
        }
        chunk += line(n) + "\n";
      }
      if (chunk) writeSync(fd, chunk);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    closeSync(fd);
  }
}
