// Follows an eve.json like `tail -F`: reads whole lines, survives rotation (the name now points to a new file:
// finish the old one, then read the new one from its start) and truncation, and keeps the offset behind the last
// acknowledged line in a checkpoint file, so a restart resumes there, even when the file was rotated meanwhile
// (the checkpointed inode is looked for next to it, e.g. eve.json.1). When the name was rotated more than once
// before the next look (a burst of rotations, or several while stopped), the rotated generations in between are
// read in the order of their last write (which is the order of rename rotation), each from 0, before the name;
// only those last written no earlier than the finished file, so older rotations lying around are not read again.
//
// Truncation is told by content, not by size: every read starts a few hundred bytes before the offset and checks
// that those bytes are still the ones read last time, so a file emptied and written past the old offset between
// two reads is caught too. logrotate's copytruncate empties the file after copying it: the rest of the old content
// (written after the last read) is then read from the copy whose bytes before the offset match, before the file
// is followed again from 0. Without such a copy the possible loss is reported, with an estimate of its size.
import { watch, type FSWatcher } from "node:fs";
import { stat, open, type FileHandle } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { type Backlog, EMPTY_BATCH, type IngestSource, type Notify, type SourceBatch } from "../types.js";
import { CheckpointWriter, loadCheckpoint, type FileCheckpoint } from "../checkpoint.js";
import { LineSplitter, type LineSink } from "../lines.js";
import { formatBytes, formatCount } from "../../text/units.js";
import { RuntimeError } from "../../errors.js";
import { bytesBefore, findByInode, findCopyEndingWith, findNextGeneration, type CopySearch, type ReadGeneration, type SiblingFile } from "./file-rotated.js";

export interface FileFollowOptions {
  checkpointFile: string;
  /** Where to start without a checkpoint: the first line (nothing missed) or the current end. */
  startAt: "beginning" | "end";
  /** End at the end of the file instead of waiting for more lines (--once). */
  once?: boolean;
  /** How often to look at the file when fs.watch says nothing (or cannot watch there: NFS, some FUSE). */
  pollMs?: number;
  /** After the name points to a new file, how long the old one may still grow (the writer reopens on SIGHUP). */
  rotationGraceMs?: number;
  /** Also wake up on fs.watch events of the file's directory (default true); polling stays the fallback. */
  watch?: boolean;
  notify: Notify;
}

const CHUNK_BYTES = 256 * 1024;
/** Bytes before the offset that must be unchanged: a line's tail, with its ids, counters and times. */
export const FINGERPRINT_BYTES = 256;
/** After a watch event, wait this long for the writer's next lines so reads are not one line each. */
const WATCH_SETTLE_MS = 5;
/** Rotated files remembered as read (in the checkpoint too): more than a chain of rotations between two looks. */
const FINISHED_KEPT = 32;
/** While the followed name points to another file, how often to list the directory for rotated generations. */
const GENERATION_SEARCH_MS = 100;
/** Shortest span over which the writer's rate is measured (for the loss estimate). */
const RATE_SPAN_MS = 1000;

interface OpenFile {
  fh: FileHandle;
  path: string;
  dev: number;
  ino: number;
  /** Next byte to read. */
  pos: number;
  /** The bytes just before `pos` (up to FINGERPRINT_BYTES): when they change, the file was truncated or rewritten. */
  tail: Buffer;
  /** The bytes of the last read, from file offset `windowStart`: every queued line ends inside them. */
  window: Buffer;
  windowStart: number;
  /** Rotated away (found at start, or a copytruncate copy): switch to the followed name as soon as it is read. */
  rotatedAway: boolean;
  /** A copytruncate copy: an unterminated last line in it was cut by the copy, its end is lost. */
  isCopy: boolean;
  /** Largest size seen (backlog, end of file), for the loss estimate. */
  sizeSeen: number;
  /** The last read that reached the end of the file: where and when. */
  caughtUp: { at: number; pos: number } | undefined;
  /** Start of the span the writer's rate is being measured over. */
  rateFrom: { at: number; pos: number } | undefined;
}

export interface TruncationLossInput {
  /** Offset the follower had read to. */
  pos: number;
  /** Bytes of an unterminated line before `pos`: its end is lost with the rest. */
  pendingBytes: number;
  /** Largest size the old content was seen to have. */
  sizeSeen: number;
  caughtUp: { at: number; pos: number } | undefined;
  /** The writer's rate, measured while the file was followed. */
  bytesPerMs: number | undefined;
  /** Size of the file now (written since the truncation). */
  newSize: number;
  now: number;
}

/**
 * Bytes of the old content that nobody read: what was seen but not read yet, or (with a measured write rate) what
 * the writer wrote between the last caught-up read and the truncation, i.e. in the time since then minus what the
 * new content holds. Undefined when there is nothing to go on.
 */
export function estimateLostBytes(i: TruncationLossInput): number | undefined {
  let end = Math.max(i.pos, i.sizeSeen);
  if (i.caughtUp && i.bytesPerMs !== undefined) {
    end = Math.max(end, i.caughtUp.pos + i.bytesPerMs * Math.max(0, i.now - i.caughtUp.at) - i.newSize);
  }
  const lost = Math.round(end - i.pos) + i.pendingBytes;
  return lost > 0 || i.bytesPerMs !== undefined ? lost : undefined;
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

interface OpenedFile {
  fh: FileHandle;
  dev: number;
  ino: number;
}

/** Opens `path` and checks it is still the file with that identity (it may be replaced between stat and open). */
async function openIdentified(path: string, dev?: number, ino?: number): Promise<OpenedFile | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch {
    return undefined;
  }
  const st = await fh.stat();
  if ((dev !== undefined && st.dev !== dev) || (ino !== undefined && st.ino !== ino)) {
    await fh.close().catch(() => undefined);
    return undefined;
  }
  return { fh, dev: st.dev, ino: st.ino };
}

export class FileFollowSource implements IngestSource {
  readonly description: string;
  private readonly path: string;
  private readonly checkpoints: CheckpointWriter;
  private file: OpenFile | undefined;
  private readonly splitter: LineSplitter;
  private readonly queueLine: LineSink;
  private queue: Buffer[] = [];
  private queueEnds: number[] = [];
  private queueHead = 0;
  private rotationSeenAt: number | undefined;
  private announcedWaiting = false;
  private started = false;
  private stopped = false;
  /** Bytes and lines read, for the average line length in loss messages. */
  private bytesSeen = 0;
  private linesSeen = 0;
  /** The writer's rate: a property of the writer, so it outlives the file it was measured on. */
  private bytesPerMs: number | undefined;
  private truncationsWithLoss = 0;
  private lostBytesEstimate = 0;
  private watcher: FSWatcher | undefined;
  private watchTried = false;
  private changed = false;
  private wakeUp: (() => void) | undefined;
  /** Rotated files read to their end (rename rotation), newest last: never read again. */
  private finished: ReadGeneration[] = [];
  /** --once ended before an unterminated last line: said once. */
  private saidUnterminated = false;
  /** Generations already reported as unreadable (compressed, gone): said once. */
  private reportedMissing = new Set<string>();
  private lastGenerationSearch: { file: OpenFile; at: number } | undefined;
  private missingGenerations = 0;
  private missingGenerationBytes = 0;

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
    this.queueLine = (line, end) => {
      this.queue.push(line);
      this.queueEnds.push(end);
      this.linesSeen++;
    };
  }

  get checkpointFile(): string {
    return this.checkpoints.file;
  }

  async read(max: number): Promise<SourceBatch | null> {
    if (!this.file) {
      const opened = await this.openAtStart();
      if (!opened) {
        if (this.opts.once) return null;
        await this.waitForChange();
        return EMPTY_BATCH;
      }
      this.startWatching();
    }
    if (this.queueHead < this.queue.length) return this.takeQueued(max);
    const file = this.file!;
    // Read from a little before the offset: those bytes must be the ones read last time, else the file was
    // truncated (it may have grown past the offset again since).
    const keep = file.tail.length;
    const buf = Buffer.allocUnsafe(keep + CHUNK_BYTES);
    this.changed = false;
    const { bytesRead } = await file.fh.read(buf, 0, buf.length, file.pos - keep);
    if (bytesRead < keep || !buf.subarray(0, keep).equals(file.tail)) return this.onTruncated();
    const fresh = bytesRead - keep;
    file.window = buf.subarray(0, bytesRead);
    file.windowStart = file.pos - keep;
    if (fresh > 0) {
      file.pos += fresh;
      this.bytesSeen += fresh;
      file.tail = Buffer.from(buf.subarray(Math.max(0, bytesRead - FINGERPRINT_BYTES), bytesRead));
      if (fresh < CHUNK_BYTES) this.caughtUp(file);
      this.splitter.push(buf.subarray(keep, bytesRead), this.queueLine);
      return this.queueHead < this.queue.length ? this.takeQueued(max) : EMPTY_BATCH;
    }
    this.caughtUp(file);
    return this.atEndOfFile();
  }

  /** A read reached the end: the file's size is known for this moment, which measures the writer's rate. */
  private caughtUp(file: OpenFile): void {
    const now = Date.now();
    file.caughtUp = { at: now, pos: file.pos };
    file.sizeSeen = Math.max(file.sizeSeen, file.pos);
    if (!file.rateFrom) file.rateFrom = { at: now, pos: file.pos };
    else if (now - file.rateFrom.at >= RATE_SPAN_MS) {
      this.bytesPerMs = (file.pos - file.rateFrom.pos) / (now - file.rateFrom.at);
      file.rateFrom = { at: now, pos: file.pos };
    }
  }

  private takeQueued(max: number): SourceBatch {
    const file = this.file!;
    const from = this.queueHead;
    const to = Math.min(this.queue.length, from + max);
    const items = this.queue.slice(from, to);
    const offset = this.queueEnds[to - 1]!;
    const checkpoint: FileCheckpoint = { path: this.path, dev: file.dev, ino: file.ino, offset };
    const tail = this.fingerprintBefore(file, offset);
    if (tail) checkpoint.tail = tail.toString("base64");
    if (this.finished.length > 0) checkpoint.finished = [...this.finished];
    this.queueHead = to;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueEnds = [];
      this.queueHead = 0;
    }
    return { items, commit: async () => this.checkpoints.save(checkpoint) };
  }

  /** The bytes before `offset` from the last read (queued lines end inside it), copied: the chunk is large. */
  private fingerprintBefore(file: OpenFile, offset: number): Buffer | undefined {
    const end = offset - file.windowStart;
    if (end < 0 || end > file.window.length) return undefined;
    return Buffer.from(file.window.subarray(Math.max(0, end - FINGERPRINT_BYTES), end));
  }

  /** The bytes before the offset changed: finish the old content from its rotated copy, or report what is lost. */
  private async onTruncated(): Promise<SourceBatch> {
    const file = this.file!;
    const offset = file.pos;
    const search = await findCopyEndingWith(this.path, offset, file.tail, file);
    const copy = search.found ? await openIdentified(search.found.path, search.found.dev, search.found.ino) : undefined;
    if (copy) {
      this.opts.notify(
        `${this.description} was truncated at offset ${formatCount(offset)} (copytruncate): reading the rest of the old content ` +
          `from ${search.found!.path} (${formatBytes(search.found!.size - offset)}), then ${this.description} from its start`,
      );
      await file.fh.close().catch(() => undefined);
      // The splitter goes on: a line cut at `offset` continues in the copy, at the same offsets.
      this.file = this.openFile(copy, search.found!.path, offset, file.tail, { rotatedAway: true, isCopy: true });
      return EMPTY_BATCH;
    }
    const newSize = (await file.fh.stat()).size;
    const lost = estimateLostBytes({
      pos: offset,
      pendingBytes: this.splitter.pendingBytes,
      sizeSeen: file.sizeSeen,
      caughtUp: file.caughtUp,
      bytesPerMs: this.bytesPerMs,
      newSize,
      now: Date.now(),
    });
    this.truncationsWithLoss++;
    this.lostBytesEstimate += lost ?? 0;
    this.opts.notify(`${this.description} was truncated at offset ${formatCount(offset)}; ${this.describeLoss(lost)} written after the last read may be lost (${this.noCopyReason(search)})`);
    file.pos = 0;
    file.tail = Buffer.alloc(0);
    file.window = file.tail;
    file.windowStart = 0;
    file.sizeSeen = 0;
    file.caughtUp = undefined;
    file.rateFrom = undefined;
    this.splitter.reset(0);
    return EMPTY_BATCH;
  }

  private describeLoss(bytes: number | undefined): string {
    if (bytes === undefined) return "an unknown number of bytes";
    const lines = this.linesSeen > 0 && bytes > 0 ? Math.max(1, Math.round(bytes / (this.bytesSeen / this.linesSeen))) : 0;
    return `about ${formatCount(bytes)} bytes (~${formatCount(lines)} line${lines === 1 ? "" : "s"})`;
  }

  private noCopyReason(search: CopySearch): string {
    if (search.compressed.length === 0) return "no rotated copy found";
    const shown = search.compressed.slice(0, 3).join(", ");
    return `no rotated copy found; compressed files are not read: ${shown}${search.compressed.length > 3 ? ", …" : ""}`;
  }

  private async atEndOfFile(): Promise<SourceBatch | null> {
    const file = this.file!;
    const named = await statOrUndefined(this.path);
    if (named && (named.ino !== file.ino || named.dev !== file.dev)) {
      const now = Date.now();
      this.rotationSeenAt ??= now;
      // Rotated more than once since the last look: the generations in between come before the named file (also
      // copies of later copytruncates). A newer generation means the writer has left this file: no grace period.
      const graceOver = file.rotatedAway || now - this.rotationSeenAt >= (this.opts.rotationGraceMs ?? 1000);
      const next = await this.nextGenerationThrottled(file, named, now, graceOver);
      if (next || graceOver) {
        if (file.isCopy && this.splitter.pendingBytes > 0) {
          // The copy was taken in the middle of a line: its end went to the file before it was emptied.
          this.opts.notify(`${file.path} ends in the middle of a line: skipped its last ${formatCount(this.splitter.pendingBytes)} bytes (the rest of that line was lost in the copytruncate)`);
        } else {
          // The old file will not grow any more: an unterminated last line is all there is of it.
          this.splitter.flush(this.queueLine);
        }
        const leftover = this.queueHead < this.queue.length ? this.takeQueued(Number.MAX_SAFE_INTEGER) : undefined;
        this.rememberFinished(file.dev, file.ino, (await file.fh.stat()).mtimeMs);
        // The named file as stat'ed before the search: if it was rotated since, the next look finds it as a generation.
        const switched = next ? await this.switchToGeneration(next) : await this.switchToNamedFile(named);
        if (switched && next) {
          this.opts.notify(`${this.description} was rotated more than once: finished ${file.path === this.path ? "the old file" : file.path}, reading the next rotated file ${next.path} from its start`);
        } else if (switched && !file.rotatedAway) {
          this.opts.notify(`${this.description} was rotated: finished the old file, reading the new one from its start`);
        }
        if (leftover) return leftover;
        return EMPTY_BATCH;
      }
    } else {
      this.rotationSeenAt = undefined;
      if (this.opts.once) {
        // --once: a file is read as it is now, and an unterminated last line may still be being written (unlike
        // the end of stdin): it stays unread, before the checkpoint, for the next run to read whole.
        const pending = this.splitter.pendingBytes;
        if (pending > 0 && !this.saidUnterminated) {
          this.saidUnterminated = true;
          this.opts.notify(`left 1 unterminated line (${formatCount(pending)} bytes) at the end of ${this.description} for the next run`);
        }
        return this.queueHead < this.queue.length ? this.takeQueued(Number.MAX_SAFE_INTEGER) : null;
      }
    }
    await this.waitForChange();
    return EMPTY_BATCH;
  }

  private openFile(
    opened: OpenedFile,
    path: string,
    pos: number,
    tail: Buffer,
    kind: { rotatedAway: boolean; isCopy: boolean },
  ): OpenFile {
    return {
      fh: opened.fh,
      path,
      dev: opened.dev,
      ino: opened.ino,
      pos,
      tail,
      window: tail,
      windowStart: pos - tail.length,
      ...kind,
      sizeSeen: pos,
      caughtUp: undefined,
      rateFrom: undefined,
    };
  }

  private rememberFinished(dev: number, ino: number, mtimeMs: number): void {
    this.finished = this.finished.filter((f) => f.dev !== dev || f.ino !== ino);
    this.finished.push({ dev, ino, mtimeMs });
    if (this.finished.length > FINISHED_KEPT) this.finished.splice(0, this.finished.length - FINISHED_KEPT);
  }

  /**
   * The oldest rotated generation last written after `after` (a finished file, or the checkpoint's time when its
   * file is gone) and not read yet; compressed ones in between are reported, they cannot be read.
   */
  private async nextGeneration(after: { dev: number; ino: number; fh?: FileHandle; mtimeMs?: number }, named: { dev: number; ino: number }): Promise<SiblingFile | undefined> {
    let mtimeMs = after.mtimeMs;
    if (after.fh) mtimeMs = (await after.fh.stat()).mtimeMs;
    // A gone file's inode may have been reused by a later generation: that one is excluded only by an open file.
    const exclude = [...this.finished, { dev: after.dev, ino: after.ino, mtimeMs: after.fh ? Infinity : (mtimeMs ?? 0) }, { dev: named.dev, ino: named.ino, mtimeMs: Infinity }];
    const checkpoint = this.checkpoints.file;
    const search = await findNextGeneration(this.path, { mtimeMs: mtimeMs ?? 0 }, exclude, (p) => p === checkpoint || p.startsWith(`${checkpoint}.`));
    for (const c of search.compressed) {
      if (!this.markReported(c)) continue;
      this.opts.notify(`${c.path} is a rotated file written after the last one read, but compressed: not read, its lines (${formatBytes(c.size)} compressed) may be missing`);
    }
    return search.next;
  }

  /**
   * At the end of a file, once per file and then at most every GENERATION_SEARCH_MS (a directory listing each);
   * always right before leaving the file, so a rotation during the grace period is not missed.
   */
  private async nextGenerationThrottled(file: OpenFile, named: { dev: number; ino: number }, now: number, force: boolean): Promise<SiblingFile | undefined> {
    const last = this.lastGenerationSearch;
    if (!force && last && last.file === file && now - last.at < GENERATION_SEARCH_MS) return undefined;
    this.lastGenerationSearch = { file, at: now };
    return this.nextGeneration(file, named);
  }

  /** True the first time a generation is reported as unreadable (counted for the summary at the end). */
  private markReported(f: SiblingFile): boolean {
    const key = `${f.dev}:${f.ino}:${f.mtimeMs}`;
    if (this.reportedMissing.has(key)) return false;
    this.reportedMissing.add(key);
    this.missingGenerations++;
    this.missingGenerationBytes += f.size;
    return true;
  }

  /** Reads a rotated generation from its start; when it vanished meanwhile, says so (the next look moves on). */
  private async switchToGeneration(next: SiblingFile): Promise<boolean> {
    const opened = await openIdentified(next.path, next.dev, next.ino);
    if (!opened) {
      if (this.markReported(next)) this.opts.notify(`${next.path} disappeared before it was read: its lines (${formatBytes(next.size)}) may be missing`);
      this.rememberFinished(next.dev, next.ino, next.mtimeMs);
      return false;
    }
    await this.file?.fh.close().catch(() => undefined);
    // Not rotatedAway: the newest generation gets the grace period (the writer may not have reopened yet).
    this.file = this.openFile(opened, next.path, 0, Buffer.alloc(0), { rotatedAway: false, isCopy: false });
    this.splitter.reset(0);
    this.rotationSeenAt = undefined;
    return true;
  }

  private async switchToNamedFile(expected: { dev: number; ino: number }): Promise<boolean> {
    const opened = await openIdentified(this.path, expected.dev, expected.ino);
    if (!opened) return false; // renamed away and not created again yet: keep the old one and look again
    await this.file?.fh.close().catch(() => undefined);
    this.file = this.openFile(opened, this.path, 0, Buffer.alloc(0), { rotatedAway: false, isCopy: false });
    this.splitter.reset(0);
    this.rotationSeenAt = undefined;
    return true;
  }

  /** Opens where the checkpoint says (possibly a rotated file or copy next to the name), else at the chosen start. */
  private async openAtStart(): Promise<boolean> {
    const namedStat = await statOrUndefined(this.path);
    if (!namedStat) {
      if (this.opts.once) throw new RuntimeError(`${this.description} does not exist`);
      if (!this.announcedWaiting) this.opts.notify(`${this.description} does not exist yet; waiting for it`);
      this.announcedWaiting = true;
      return false;
    }
    const cp = this.started ? undefined : loadCheckpoint(this.checkpoints.file);
    if (cp?.path === this.path && cp.finished) this.finished = cp.finished.slice(-FINISHED_KEPT);
    this.started = true;
    const named = await openIdentified(this.path, namedStat.dev, namedStat.ino);
    if (!named) {
      // Replaced between stat and open: start over with what the name holds now.
      this.started = false;
      return false;
    }
    const resumed = await this.resumeFrom(cp, named);
    if (this.file?.fh !== named.fh) await named.fh.close().catch(() => undefined);
    if (!resumed) {
      this.file = undefined;
      this.started = false;
      return false;
    }
    this.splitter.reset(this.file!.pos);
    this.announcedWaiting = false;
    return true;
  }

  /**
   * Sets this.file from the checkpoint: the followed file at the offset when the bytes before it are unchanged,
   * else the rotated file (by inode) or copytruncate copy (by those bytes) to finish first, else the start.
   * False when a file vanished meanwhile (look again).
   */
  private async resumeFrom(cp: FileCheckpoint | undefined, named: OpenedFile): Promise<boolean> {
    const fresh = { rotatedAway: false, isCopy: false };
    if (!cp || cp.path !== this.path) {
      const pos = this.opts.startAt === "end" ? (await named.fh.stat()).size : 0;
      this.file = this.openFile(named, this.path, pos, await bytesBefore(named.fh, pos, FINGERPRINT_BYTES), fresh);
      return true;
    }
    const cpTail = Buffer.from(cp.tail ?? "", "base64");
    if (cp.dev === named.dev && cp.ino === named.ino) {
      const before = await bytesBefore(named.fh, cp.offset, FINGERPRINT_BYTES);
      const intact = before.length === Math.min(cp.offset, FINGERPRINT_BYTES) && before.subarray(before.length - cpTail.length).equals(cpTail);
      if (intact) {
        this.file = this.openFile(named, this.path, cp.offset, before, fresh);
        return true;
      }
      if (await this.openCopy(cp.offset, cpTail, named)) {
        this.opts.notify(`${this.description} was truncated while stopped: finishing its copy ${this.file!.path} from the checkpoint first`);
        return true;
      }
      const what = cpTail.length > 0 && before.length >= cpTail.length ? "the bytes before the checkpoint changed" : "it is shorter than its checkpoint";
      // Or deleted and the name created again on its inode: files rotated since the checkpoint come first then.
      const next = await this.generationSinceCheckpoint(cp, named);
      this.opts.notify(
        `${this.description} was truncated while stopped (${what}, offset ${formatCount(cp.offset)}); ` +
          `lines written after the checkpoint may be lost (no rotated copy found): ` +
          (next ? `reading the files rotated since, from ${next.path}, then it from the start` : "reading it from the start"),
      );
      if (!next) this.file = this.openFile(named, this.path, 0, Buffer.alloc(0), fresh);
      return true;
    }
    const rotated = await findByInode(this.path, cp.dev, cp.ino);
    if (rotated && rotated.size >= cp.offset) {
      // Finished from the checkpoint; at its end, the rotated files written after it follow (atEndOfFile).
      const opened = await openIdentified(rotated.path, cp.dev, cp.ino);
      if (!opened) return false;
      const tail = await bytesBefore(opened.fh, cp.offset, FINGERPRINT_BYTES);
      // A deleted file's inode is soon reused by a new one: only the bytes before the offset tell it is the same.
      if (tail.subarray(tail.length - cpTail.length).equals(cpTail)) {
        const what = rotated.size > cp.offset ? "finishing" : "looking for files rotated after";
        this.opts.notify(`${this.description} was rotated while stopped: ${what} ${rotated.path} from its checkpoint first`);
        this.file = this.openFile(opened, rotated.path, cp.offset, tail, { rotatedAway: true, isCopy: false });
        return true;
      }
      await opened.fh.close().catch(() => undefined);
    }
    // The checkpointed inode is gone; a copy of it may still hold the rest.
    if (await this.openCopy(cp.offset, cpTail, named)) {
      this.opts.notify(`the checkpointed file (inode ${cp.ino}) is gone: finishing its copy ${this.file!.path} from the checkpoint first`);
      return true;
    }
    const next = await this.generationSinceCheckpoint(cp, named);
    if (next) {
      this.opts.notify(
        `the checkpointed file (inode ${cp.ino}) is gone: lines written to it after the checkpoint may be missing; ` +
          `reading the files rotated since, from ${next.path}, then ${this.description}`,
      );
      return true;
    }
    this.opts.notify(`the checkpointed file (inode ${cp.ino}) is gone: lines written to it after the checkpoint may be missing; reading ${this.description} from the start`);
    this.file = this.openFile(named, this.path, 0, Buffer.alloc(0), fresh);
    return true;
  }

  /**
   * When the checkpointed file is gone, opens the oldest file rotated since the checkpoint was written (its time
   * bounds them, without the file's last write time) as this.file, from 0.
   */
  private async generationSinceCheckpoint(cp: FileCheckpoint, named: OpenedFile): Promise<SiblingFile | undefined> {
    if (cp.savedAtMs === undefined) return undefined;
    const next = await this.nextGeneration({ dev: cp.dev, ino: cp.ino, mtimeMs: cp.savedAtMs }, named);
    return next && (await this.switchToGeneration(next)) ? next : undefined;
  }

  /** Opens the rotated copy holding `tail` before `offset` as this.file, at `offset`. */
  private async openCopy(offset: number, tail: Buffer, named: OpenedFile): Promise<boolean> {
    if (tail.length === 0) return false;
    const { found } = await findCopyEndingWith(this.path, offset, tail, named);
    const opened = found ? await openIdentified(found.path, found.dev, found.ino) : undefined;
    if (!opened) return false;
    this.file = this.openFile(opened, found!.path, offset, tail, { rotatedAway: true, isCopy: true });
    return true;
  }

  /** fs.watch on the directory (it also sees renames and new files); where it cannot watch, polling does. */
  private startWatching(): void {
    if (this.watchTried || this.opts.watch === false || this.opts.once) return;
    this.watchTried = true;
    const base = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, name) => {
        if (name === null || String(name).startsWith(base)) this.poke();
      });
      this.watcher.on("error", () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private poke(): void {
    this.changed = true;
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  /** Until the directory changes (then a moment for the writer to finish its lines) or the poll interval passes. */
  private async waitForChange(): Promise<void> {
    if (this.stopped) return;
    if (!this.changed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wakeUp = undefined;
          resolve();
        }, this.opts.pollMs ?? 250);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.changed && !this.stopped) await new Promise((r) => setTimeout(r, WATCH_SETTLE_MS));
    this.changed = false;
  }

  stop(): void {
    this.stopped = true;
    this.poke();
  }

  async backlog(): Promise<Backlog | undefined> {
    const file = this.file;
    if (!file) return undefined;
    try {
      const size = (await file.fh.stat()).size;
      file.sizeSeen = Math.max(file.sizeSeen, size);
      // An unterminated last line was read from the file but is not an item yet: it is still waiting.
      return { count: Math.max(0, size - file.pos + this.splitter.pendingBytes), unit: "bytes" };
    } catch {
      return undefined;
    }
  }

  async finish(): Promise<void> {
    await this.checkpoints.flush();
    const failure = this.checkpoints.failure;
    if (failure !== undefined) {
      throw new RuntimeError(`${failure}: every event was stored, but the next run starts from the last checkpoint written and may send some again`);
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    await this.checkpoints.flush();
    this.checkpoints.release();
    await this.file?.fh.close().catch(() => undefined);
    this.file = undefined;
    if (this.truncationsWithLoss > 0) {
      const times = this.truncationsWithLoss === 1 ? "once" : `${this.truncationsWithLoss} times`;
      this.opts.notify(
        `${this.description} was truncated without a rotated copy ${times} while followed: about ${formatCount(this.lostBytesEstimate)} bytes may have been lost (see above)`,
      );
    }
    if (this.missingGenerations > 0) {
      const files = this.missingGenerations === 1 ? "1 rotated file" : `${formatCount(this.missingGenerations)} rotated files`;
      this.opts.notify(`${files} of ${this.description} could not be read (compressed or deleted): ${formatBytes(this.missingGenerationBytes)} of lines may be missing (see above)`);
    }
  }
}
