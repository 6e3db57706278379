// What rotation leaves next to a followed file: the renamed file itself (found by its inode), or, after logrotate's
// copytruncate (the followed file keeps its inode and is emptied), the copy whose bytes just before an offset are
// the ones last read from the followed file. Rotated names start with the followed name: eve.json.1,
// eve.json-20261128, eve.json.6000. Compressed copies (eve.json.1.gz) cannot be read at an offset: they are skipped
// and named, so a loss message can say where the lines went.
import { readdir, stat, open, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const COMPRESSED_NAME = /\.(gz|bz2|xz|zst|lz4|lzma|lz|z|zip|br)$/i;

export function isCompressedName(name: string): boolean {
  return COMPRESSED_NAME.test(name);
}

export interface SiblingFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

async function statFile(path: string): Promise<SiblingFile | undefined> {
  try {
    const st = await stat(path);
    return st.isFile() ? { path, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function namesNextTo(path: string): Promise<string[]> {
  try {
    return await readdir(dirname(path));
  } catch {
    return [];
  }
}

/** The bytes [offset - n, offset) of an open file (fewer when it is shorter than that now). */
export async function bytesBefore(fh: FileHandle, offset: number, n: number): Promise<Buffer> {
  const from = Math.max(0, offset - n);
  const buf = Buffer.alloc(offset - from);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** True when the file holds exactly `tail` just before `offset`. */
export async function endsWithAt(fh: FileHandle, offset: number, tail: Buffer): Promise<boolean> {
  if (offset < tail.length) return false;
  const got = await bytesBefore(fh, offset, tail.length);
  return got.length === tail.length && got.equals(tail);
}

/** A file anywhere next to `path` with that inode (rotated names first: they are the likely ones). */
export async function findByInode(path: string, dev: number, ino: number): Promise<SiblingFile | undefined> {
  const dir = dirname(path);
  const base = basename(path);
  const names = await namesNextTo(path);
  names.sort((a, b) => Number(!a.startsWith(base)) - Number(!b.startsWith(base)));
  for (const name of names) {
    const found = await statFile(join(dir, name));
    if (found && found.ino === ino && found.dev === dev) return found;
  }
  return undefined;
}

export interface CopySearch {
  /** The rotated copy holding `tail` just before the offset (the newest, when several do). */
  found: SiblingFile | undefined;
  /** Compressed rotated files that were not looked into (for the loss message). */
  compressed: string[];
}

/**
 * The copytruncate copy of what was read up to `offset`: a file named like a rotation of `path`, at least `offset`
 * bytes long, whose bytes before `offset` are `tail`. `exclude` is the followed file itself (same inode).
 */
export async function findCopyEndingWith(path: string, offset: number, tail: Buffer, exclude?: { dev: number; ino: number }): Promise<CopySearch> {
  const dir = dirname(path);
  const base = basename(path);
  const compressed: string[] = [];
  const candidates: SiblingFile[] = [];
  for (const name of await namesNextTo(path)) {
    if (name === base || !name.startsWith(base)) continue;
    if (isCompressedName(name)) {
      compressed.push(name);
      continue;
    }
    const file = await statFile(join(dir, name));
    if (!file || file.size < offset) continue;
    if (exclude && file.dev === exclude.dev && file.ino === exclude.ino) continue;
    candidates.push(file);
  }
  if (tail.length === 0) return { found: undefined, compressed };
  candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const file of candidates) {
    let fh: FileHandle | undefined;
    try {
      fh = await open(file.path, "r");
      if (await endsWithAt(fh, offset, tail)) return { found: file, compressed };
    } catch {
      // gone meanwhile, or unreadable: not this one
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }
  return { found: undefined, compressed };
}

/** A file already read to its end: same identity and not written since (an inode can be reused by a new file). */
export interface ReadGeneration {
  dev: number;
  ino: number;
  mtimeMs: number;
}

export interface GenerationSearch {
  /** The oldest rotated generation written after the finished file (by last write, which orders rename rotation). */
  next: SiblingFile | undefined;
  /** Compressed generations written after it: they cannot be read, their lines may be missing. */
  compressed: SiblingFile[];
}

/**
 * The rotated generation to read after a finished file: named like a rotation of `path`, not compressed, last
 * written no earlier than the finished file (so older, unrelated rotations are left alone), and none of the files
 * in `exclude` (the finished one, the followed name, generations already read) nor paths `ignore` says to skip.
 */
export async function findNextGeneration(
  path: string,
  after: { mtimeMs: number },
  exclude: ReadGeneration[],
  ignore: (path: string) => boolean = () => false,
): Promise<GenerationSearch> {
  const dir = dirname(path);
  const base = basename(path);
  const candidates: SiblingFile[] = [];
  const compressed: SiblingFile[] = [];
  for (const name of await namesNextTo(path)) {
    if (name === base || !name.startsWith(base)) continue;
    const file = await statFile(join(dir, name));
    if (!file || ignore(file.path) || file.mtimeMs < after.mtimeMs) continue;
    if (exclude.some((r) => r.dev === file.dev && r.ino === file.ino && file.mtimeMs <= r.mtimeMs)) continue;
    (isCompressedName(name) ? compressed : candidates).push(file);
  }
  candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || a.ino - b.ino);
  return { next: candidates[0], compressed };
}
