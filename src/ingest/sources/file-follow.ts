// Follows an eve.json like `tail -F`: reads whole lines, survives rotation (the name now points to a new file:
// finish the old one, then read the new one from its start) and truncation (start again at 0), and keeps the
// offset behind the last acknowledged line in a checkpoint file, so a restart resumes there, even when the file
// was rotated meanwhile (the checkpointed inode is looked for next to it, e.g. eve.json.1).
import { readdir, stat, open, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Backlog, IngestSource, Notify, SourceBatch } from "../types.js";
import { CheckpointWriter, loadCheckpoint, type FileCheckpoint } from "../checkpoint.js";
import { LineSplitter } from "../lines.js";
import { formatBytes } from "../../render/units.js";
import { RuntimeError } from "../../errors.js";
import { sleep } from "./redis-session.js";

export interface FileFollowOptions {
  checkpointFile: string;
  /** Where to start without a checkpoint: the first line (nothing missed) or the current end. */
  startAt: "beginning" | "end";
  /** End at the end of the file instead of waiting for more lines (--once). */
  once?: boolean;
  pollMs?: number;
  /** After the name points to a new file, how long the old one may still grow (the writer reopens on SIGHUP). */
  rotationGraceMs?: number;
  notify: Notify;
}

const EMPTY: SourceBatch = { items: [], commit: async () => undefined };
const CHUNK_BYTES = 256 * 1024;

interface OpenFile {
  fh: FileHandle;
  dev: number;
  ino: number;
  /** Next byte to read. */
  pos: number;
  /** Set when this is a rotated file found at start: switch to the followed name as soon as it is read. */
  rotatedAway: boolean;
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

export class FileFollowSource implements IngestSource {
  readonly description: string;
  private readonly path: string;
  private readonly checkpoints: CheckpointWriter;
  private file: OpenFile | undefined;
  private readonly splitter: LineSplitter;
  private queue: Buffer[] = [];
  private queueEnds: number[] = [];
  private queueHead = 0;
  private rotationSeenAt: number | undefined;
  private announcedWaiting = false;
  private started = false;

  constructor(
    path: string,
    private readonly opts: FileFollowOptions,
  ) {
    this.path = resolve(path);
    this.description = path;
    this.checkpoints = new CheckpointWriter(opts.checkpointFile, opts.notify);
    this.splitter = new LineSplitter(0, undefined, (bytes) =>
      opts.notify(`skipping a line longer than ${formatBytes(bytes)} in ${this.description} (no newline)`),
    );
  }

  get checkpointFile(): string {
    return this.checkpoints.file;
  }

  async read(max: number): Promise<SourceBatch | null> {
    if (!this.file) {
      const opened = await this.openAtStart();
      if (!opened) {
        if (this.opts.once) return null;
        await sleep(this.opts.pollMs ?? 250);
        return EMPTY;
      }
    }
    if (this.queueHead < this.queue.length) return this.takeQueued(max);
    const file = this.file!;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await file.fh.read(chunk, 0, CHUNK_BYTES, file.pos);
    if (bytesRead > 0) {
      file.pos += bytesRead;
      this.splitter.push(chunk.subarray(0, bytesRead), (line, end) => {
        this.queue.push(line);
        this.queueEnds.push(end);
      });
      return this.queueHead < this.queue.length ? this.takeQueued(max) : EMPTY;
    }
    return this.atEndOfFile();
  }

  private takeQueued(max: number): SourceBatch {
    const file = this.file!;
    const from = this.queueHead;
    const to = Math.min(this.queue.length, from + max);
    const items = this.queue.slice(from, to);
    const checkpoint: FileCheckpoint = { path: this.path, dev: file.dev, ino: file.ino, offset: this.queueEnds[to - 1]! };
    this.queueHead = to;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueEnds = [];
      this.queueHead = 0;
    }
    return { items, commit: async () => this.checkpoints.save(checkpoint) };
  }

  private async atEndOfFile(): Promise<SourceBatch | null> {
    const file = this.file!;
    const named = await statOrUndefined(this.path);
    if (named && (named.ino !== file.ino || named.dev !== file.dev)) {
      const now = Date.now();
      this.rotationSeenAt ??= now;
      if (file.rotatedAway || now - this.rotationSeenAt >= (this.opts.rotationGraceMs ?? 1000)) {
        // The old file will not grow any more: an unterminated last line is all there is of it.
        this.splitter.flush((line, end) => {
          this.queue.push(line);
          this.queueEnds.push(end);
        });
        const leftover = this.queueHead < this.queue.length ? this.takeQueued(Number.MAX_SAFE_INTEGER) : undefined;
        const switched = await this.switchToNamedFile();
        if (switched && !file.rotatedAway) this.opts.notify(`${this.description} was rotated: finished the old file, reading the new one from its start`);
        if (leftover) return leftover;
        return EMPTY;
      }
    } else {
      this.rotationSeenAt = undefined;
      const size = (await file.fh.stat()).size;
      if (size < file.pos) {
        this.opts.notify(`${this.description} was truncated (${formatBytes(size)} < offset ${formatBytes(file.pos)}): reading it from the start`);
        file.pos = 0;
        this.splitter.reset(0);
        return EMPTY;
      }
      if (this.opts.once) return null;
    }
    await sleep(this.opts.pollMs ?? 250);
    return EMPTY;
  }

  private async switchToNamedFile(): Promise<boolean> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, "r");
    } catch {
      return false; // renamed away and not created again yet: keep the old one and look again
    }
    const st = await fh.stat();
    await this.file?.fh.close().catch(() => undefined);
    this.file = { fh, dev: st.dev, ino: st.ino, pos: 0, rotatedAway: false };
    this.splitter.reset(0);
    this.rotationSeenAt = undefined;
    return true;
  }

  /** Opens where the checkpoint says (possibly a rotated file next to the name), else at the chosen start. */
  private async openAtStart(): Promise<boolean> {
    const named = await statOrUndefined(this.path);
    if (!named) {
      if (this.opts.once) throw new RuntimeError(`${this.description} does not exist`);
      if (!this.announcedWaiting) this.opts.notify(`${this.description} does not exist yet; waiting for it`);
      this.announcedWaiting = true;
      return false;
    }
    const cp = this.started ? undefined : loadCheckpoint(this.checkpoints.file);
    this.started = true;
    let target = { path: this.path, dev: named.dev, ino: named.ino, offset: 0, rotatedAway: false };
    if (cp && cp.path === this.path) {
      if (cp.dev === named.dev && cp.ino === named.ino) {
        if (named.size >= cp.offset) target.offset = cp.offset;
        else this.opts.notify(`${this.description} is shorter than its checkpoint (truncated while stopped): reading it from the start`);
      } else {
        const rotated = await this.findByInode(cp.dev, cp.ino);
        if (rotated && rotated.size > cp.offset) {
          this.opts.notify(`${this.description} was rotated while stopped: finishing ${rotated.path} from its checkpoint first`);
          target = { path: rotated.path, dev: cp.dev, ino: cp.ino, offset: cp.offset, rotatedAway: true };
        } else if (!rotated) {
          this.opts.notify(`the checkpointed file (inode ${cp.ino}) is gone: reading ${this.description} from the start`);
        }
      }
    } else if (this.opts.startAt === "end") {
      target.offset = named.size;
    }
    let fh: FileHandle;
    try {
      fh = await open(target.path, "r");
    } catch (err) {
      this.opts.notify(`cannot open ${target.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return false;
    }
    const st = await fh.stat();
    if (st.ino !== target.ino || st.dev !== target.dev) {
      // Replaced between stat and open: start over with what the name holds now.
      await fh.close();
      this.started = false;
      return false;
    }
    this.file = { fh, dev: st.dev, ino: st.ino, pos: target.offset, rotatedAway: target.rotatedAway };
    this.splitter.reset(target.offset);
    this.announcedWaiting = false;
    return true;
  }

  private async findByInode(dev: number, ino: number): Promise<{ path: string; size: number } | undefined> {
    const dir = dirname(this.path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return undefined;
    }
    // Rotated names usually start with the followed name (eve.json.1, eve.json-20260101): look at those first.
    const base = basename(this.path);
    names.sort((a, b) => Number(!a.startsWith(base)) - Number(!b.startsWith(base)));
    for (const name of names) {
      const st = await statOrUndefined(join(dir, name));
      if (st && st.isFile() && st.ino === ino && st.dev === dev) return { path: join(dir, name), size: st.size };
    }
    return undefined;
  }

  async backlog(): Promise<Backlog | undefined> {
    const file = this.file;
    if (!file) return undefined;
    try {
      const size = (await file.fh.stat()).size;
      return { count: Math.max(0, size - file.pos), unit: "bytes" };
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.checkpoints.flush();
    await this.file?.fh.close().catch(() => undefined);
    this.file = undefined;
  }
}
