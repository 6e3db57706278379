// Where a file follower stopped: the file's identity (device, inode), the byte offset just after the last line
// NATS acknowledged, and the bytes just before that offset (a copytruncate keeps the inode: only the content tells
// that the file was truncated and written again while ingest was stopped, and which rotated copy holds the rest).
// After rename rotations, the rotated files already read to their end are listed too, so a restart in the middle
// of a chain of them reads each once. Written atomically (temp file + rename) so a crash leaves the old or the new one, never half.
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { rename, unlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { makeDirectories } from "../directories.js";
import { RuntimeError } from "../errors.js";
import { isRunning } from "./pid.js";

export interface FileCheckpoint {
  path: string;
  dev: number;
  ino: number;
  offset: number;
  /** Base64 of up to 256 bytes just before `offset`; missing in checkpoints written before it was kept. */
  tail?: string;
  /**
   * Rotated files read to their end since the followed name last pointed to the checkpointed file's predecessors
   * (rename rotation): a restart must not read them again, even when their times tie with the next one's.
   */
  finished?: { dev: number; ino: number; mtimeMs: number }[];
  /** When the checkpoint was written (from its `updated` field; set by loadCheckpoint only). */
  savedAtMs?: number;
}

/** `$XDG_STATE_HOME/nsm4home/checkpoints/<the followed path, escaped>.json` (~/.local/state by default). */
export function defaultCheckpointPath(followedPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(stateHome, "nsm4home", "checkpoints", `${encodeURIComponent(resolve(followedPath))}.json`);
}

/** The stored checkpoint, or undefined when there is none (or it is unreadable: then the start is used). */
export function loadCheckpoint(file: string): FileCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<FileCheckpoint>;
    if (typeof v.path === "string" && typeof v.dev === "number" && typeof v.ino === "number" && typeof v.offset === "number" && v.offset >= 0) {
      const cp: FileCheckpoint = { path: v.path, dev: v.dev, ino: v.ino, offset: v.offset };
      if (typeof v.tail === "string" && v.tail.length > 0) cp.tail = v.tail;
      if (Array.isArray(v.finished)) {
        cp.finished = v.finished.filter((f) => typeof f?.dev === "number" && typeof f.ino === "number" && typeof f.mtimeMs === "number");
      }
      const updated = Date.parse(String((v as { updated?: unknown }).updated));
      if (!Number.isNaN(updated)) cp.savedAtMs = updated;
      return cp;
    }
  } catch {
    // fall through
  }
  return undefined;
}

/**
 * `<checkpoint>.lock` holding this process's id: two runs on one checkpoint would each send every line and move
 * the offset back and forth. A lock whose process is gone (killed -9) is taken over.
 */
function lockCheckpoint(file: string): string {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") return lock;
    }
    let holder: number;
    try {
      holder = Number.parseInt(readFileSync(lock, "utf8"), 10);
    } catch {
      continue; // released meanwhile
    }
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new RuntimeError(`another ingest (pid ${holder}) is using the checkpoint ${file}: stop it, or give this one its own --checkpoint`);
    }
    try {
      unlinkSync(lock);
    } catch {
      // taken over by another run meanwhile: the next attempt tells
    }
  }
  return lock;
}

/** Saves checkpoints in the background; a newer one replaces one not yet written (only the latest matters). */
export class CheckpointWriter {
  private latest: FileCheckpoint | undefined;
  private written: FileCheckpoint | undefined;
  private running: Promise<void> | undefined;
  private lastError: string | undefined;

  constructor(
    readonly file: string,
    private readonly onError: (message: string) => void,
  ) {
    // Before anything is read: a checkpoint that cannot be kept would have the next run send everything again.
    const probe = `${file}.${process.pid}.tmp`;
    try {
      makeDirectories(dirname(file));
      writeFileSync(probe, "");
      unlinkSync(probe);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new RuntimeError(`cannot write the checkpoint ${file} (${code}): give --checkpoint a path in a writable directory`);
    }
    this.lock = lockCheckpoint(file);
  }

  private readonly lock: string;

  /** Lets another run take the checkpoint (the lock file is removed). */
  release(): void {
    try {
      if (readFileSync(this.lock, "utf8").trim() === String(process.pid)) unlinkSync(this.lock);
    } catch {
      // already gone
    }
  }

  /** Why the last write failed, when it did: the run must not end as a success. */
  get failure(): string | undefined {
    return this.lastError;
  }

  save(cp: FileCheckpoint): void {
    this.latest = cp;
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /** Waits until the latest checkpoint is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.latest && this.latest !== this.written) await this.drain();
  }

  private async drain(): Promise<void> {
    while (this.latest && this.latest !== this.written) {
      const cp = this.latest;
      const tmp = `${this.file}.${process.pid}.tmp`;
      try {
        const { savedAtMs: _, ...stored } = cp;
        await writeFile(tmp, JSON.stringify({ ...stored, updated: new Date().toISOString() }) + "\n");
        await rename(tmp, this.file);
        this.written = cp;
        this.lastError = undefined;
      } catch (err) {
        // A full disk leaves an empty temp file behind (one per run, named by pid): not a checkpoint, remove it.
        await unlink(tmp).catch(() => undefined);
        const message = `cannot write the checkpoint ${this.file}: ${(err as Error).message}`;
        if (message !== this.lastError) this.onError(message);
        this.lastError = message;
        this.written = cp;
      }
    }
  }
}
