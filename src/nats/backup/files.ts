// A backup directory as natscli v0.5.0 (jsm.go v0.5.0) lays it out: backup.json ({config, state} from the snapshot
// response) beside one S2-compressed archive, stream.arc.s2 from nats-server 2.15+ or stream.tar.s2 from older ones.
// Writing goes through hidden temporary files renamed into place, backup.json last (natscli reads an empty or
// missing backup.json as "not finished"), so a failed or interrupted backup leaves nothing that looks complete.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { makeDirectories } from "../../directories.js";
import { join } from "node:path";
import { RuntimeError } from "../../errors.js";
import { isSafeText, sanitizeText } from "../../text/sanitize.js";
import { formatBytes } from "../../text/units.js";
import { versionAtLeast } from "../jetstream.js";

export const META_FILE = "backup.json";
/** The archive of nats-server 2.15 and newer (its first bytes, once decompressed, are NATSARC1). */
export const ARCHIVE_FILE = "stream.arc.s2";
/** The tar of the stream's store files that older servers send. */
export const LEGACY_FILE = "stream.tar.s2";

export type ArchiveFormat = "archive" | "tar";

/** A config is a few KiB: anything this large is not a backup.json. */
const MAX_META_BYTES = 16 * 1024 * 1024;

/** What jsm.go names the archive: by the version of the server that sends it. */
export function dataFileFor(serverVersion: string): string {
  return versionAtLeast(serverVersion, "2.15.0") ? ARCHIVE_FILE : LEGACY_FILE;
}

/** The state a backup recorded (the stream's at the start of the snapshot): what a restore is checked against. */
export interface RecordedState {
  messages: number;
  bytes: number;
  first_seq: number;
  last_seq: number;
  consumer_count?: number;
}

/** What `stream backup` and `stream restore` both report (their --json): the stream, its counts, the files. */
export interface TransferSummary {
  stream: string;
  dir: string;
  files: string[];
  messages: number;
  bytes: number;
  first_seq: number;
  last_seq: number;
  consumers: number;
  chunks: number;
  elapsed_ms: number;
}

export interface BackupMeta {
  /** The stream configuration as the server sent it (unknown fields kept, to go back to a server unchanged). */
  config: Record<string, unknown> & { name: string };
  /** The state object as written, with its checked numbers in `recorded`. */
  state: Record<string, unknown>;
  recorded: RecordedState;
}

export interface BackupDir {
  dir: string;
  meta: BackupMeta;
  dataFile: string;
  dataPath: string;
  dataBytes: number;
  format: ArchiveFormat;
}

const shown = (path: string) => sanitizeText(path);

/** Reads and checks a backup directory for a restore: every way it can be wrong is one line naming the file. */
export function readBackupDir(dir: string): BackupDir {
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    throw new RuntimeError(`cannot read backup directory ${shown(dir)} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  if (!st.isDirectory()) throw new RuntimeError(`${shown(dir)} is not a directory: give the directory 'stream backup' wrote (it holds ${META_FILE})`);
  const meta = readMeta(join(dir, META_FILE));
  const has = (file: string) => {
    try {
      return statSync(join(dir, file)).isFile();
    } catch {
      return false;
    }
  };
  const arc = has(ARCHIVE_FILE);
  const legacy = has(LEGACY_FILE);
  if (arc && legacy) throw new RuntimeError(`${shown(dir)} holds both ${ARCHIVE_FILE} and ${LEGACY_FILE}: keep the one that belongs to ${META_FILE}`);
  if (!arc && !legacy) throw new RuntimeError(`${shown(dir)} has no ${LEGACY_FILE} or ${ARCHIVE_FILE}: the backup is incomplete`);
  const dataFile = arc ? ARCHIVE_FILE : LEGACY_FILE;
  const dataPath = join(dir, dataFile);
  const format = sniffArchiveFormat(dataPath);
  if (format === undefined) throw new RuntimeError(`${shown(dataPath)} is not an S2-compressed snapshot: the backup is damaged`);
  return { dir, meta, dataFile, dataPath, dataBytes: statSync(dataPath).size, format };
}

function readMeta(path: string): BackupMeta {
  let text: string;
  try {
    if (statSync(path).size > MAX_META_BYTES) throw new RuntimeError(`${shown(path)} is larger than ${formatBytes(MAX_META_BYTES)}: not a backup.json`);
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new RuntimeError(`${shown(path)} is missing: not a backup directory, or a backup that did not finish`);
    throw new RuntimeError(`cannot read ${shown(path)} (${code ?? "unreadable"})`);
  }
  if (text.trim() === "") throw new RuntimeError(`${shown(path)} is empty: a backup that did not finish`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RuntimeError(`${shown(path)} is not valid JSON (${sanitizeText((err as Error).message)})`);
  }
  return parseMeta(value, path);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the parts of backup.json that nsm4home relies on; the rest goes to the server, which checks it. */
export function parseMeta(value: unknown, path = META_FILE): BackupMeta {
  const bad = (what: string) => new RuntimeError(`${shown(path)} is not a stream backup: ${what}`);
  if (!isObject(value)) throw bad("expected a JSON object with config and state");
  const { config, state } = value;
  if (!isObject(config)) throw bad('no "config" object');
  if (!isObject(state)) throw bad('no "state" object');
  const name = config.name;
  if (typeof name !== "string") throw bad('the config has no "name"');
  if (name === "" || /[\s.*>/\\]/u.test(name) || !isSafeText(name) || name.length > 255) {
    throw bad(`the stream name '${sanitizeText(name.slice(0, 300))}' is not one a server accepts`);
  }
  if (config.storage !== undefined && config.storage !== "file" && config.storage !== "memory") {
    throw bad(`storage '${sanitizeText(String(config.storage).slice(0, 100))}' is neither file nor memory`);
  }
  if (config.subjects !== undefined && !(Array.isArray(config.subjects) && config.subjects.every((s) => typeof s === "string"))) {
    throw bad('"subjects" is not a list of subjects');
  }
  const count = (key: string): number => {
    const v = state[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw bad(`state.${key} is not a count`);
    return v;
  };
  const recorded: RecordedState = { messages: count("messages"), bytes: count("bytes"), first_seq: count("first_seq"), last_seq: count("last_seq") };
  if (state.consumer_count !== undefined) recorded.consumer_count = count("consumer_count");
  return { config: config as BackupMeta["config"], state, recorded };
}

/** backup.json as jsm.go writes it: {config, state}, indented by two spaces. */
export function metaText(config: unknown, state: unknown): string {
  return JSON.stringify({ config, state }, null, 2);
}

// ---------------------------------------------------------------------------------------------------------
// Which format an archive holds, from its first bytes: an S2 stream (the Snappy framing with S2's identifier)
// whose first block starts with NATSARC1 is the 2.15 archive; any other S2 stream is taken for the older tar.

const S2_STREAM_ID = Buffer.from("\xff\x06\x00\x00S2sTwO", "latin1");
const SNAPPY_STREAM_ID = Buffer.from("\xff\x06\x00\x00sNaPpY", "latin1");
const ARCHIVE_MAGIC = Buffer.from("NATSARC1", "latin1");

/** "archive", "tar", or undefined when the bytes are no S2 stream at all. */
export function archiveFormatOf(head: Buffer): ArchiveFormat | undefined {
  if (head.length < 10) return undefined;
  const id = head.subarray(0, 10);
  if (!id.equals(S2_STREAM_ID) && !id.equals(SNAPPY_STREAM_ID)) return undefined;
  let p = 10;
  // Skip padding and skippable chunks (0x80-0xfe) before the first data chunk.
  while (p + 4 <= head.length && head[p]! >= 0x80) p += 4 + head.readUIntLE(p + 1, 3);
  if (p + 8 > head.length) return "tar";
  const type = head[p]!;
  p += 8; // chunk type, 3 bytes of length, 4 bytes of CRC
  let first: Buffer;
  if (type === 0x01) {
    first = head.subarray(p, p + ARCHIVE_MAGIC.length); // stored as it is
  } else if (type === 0x00) {
    // A block: the uvarint length of its output, then elements; the first is a literal (nothing to copy yet).
    while (p < head.length && head[p]! & 0x80) p++;
    p++;
    const tag = head[p];
    if (tag === undefined || (tag & 3) !== 0) return "tar";
    const n = tag >> 2;
    p += 1 + (n < 60 ? 0 : n - 59);
    first = head.subarray(p, p + ARCHIVE_MAGIC.length);
  } else {
    return undefined;
  }
  return first.equals(ARCHIVE_MAGIC) ? "archive" : "tar";
}

export function sniffArchiveFormat(path: string): ArchiveFormat | undefined {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(256);
    const n = readSyncFully(fd, head);
    return archiveFormatOf(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

function readSyncFully(fd: number, buf: Buffer): number {
  let n = 0;
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) break;
    n += got;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Writing a backup.

export interface BackupTarget {
  dir: string;
  dataFile: string;
  /** Appends a chunk of the archive. */
  write(chunk: Uint8Array): void;
  /** Moves the archive and then backup.json into place: the backup is complete. Returns the files written. */
  commit(meta: string): string[];
  /** Removes everything this backup wrote (and the directory, when it made it); returns what it could not remove. */
  abort(): string[];
}

/**
 * Opens DIR for a backup: made when missing; refused when it holds anything unless `force`, which replaces a
 * backup there (other files stay) only once the new one is complete.
 */
export function openBackupTarget(dir: string, dataFile: string, force: boolean): BackupTarget {
  let made: string | undefined;
  let entries: string[] | undefined;
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) throw new RuntimeError(`${shown(dir)} exists and is not a directory: give a new or empty directory`);
    entries = readdirSync(dir);
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new RuntimeError(`cannot use ${shown(dir)} for the backup (${code ?? "unreadable"})`);
  }
  if (entries !== undefined && entries.length > 0 && !force) {
    const list = entries.slice(0, 3).map(sanitizeText).join(", ") + (entries.length > 3 ? `, ... (${entries.length} entries)` : "");
    const what = entries.includes(META_FILE) ? "a backup" : "files";
    throw new RuntimeError(`${shown(dir)} already holds ${what} (${list}): give a new or empty directory, or --force to replace the backup in it`);
  }
  if (entries === undefined) {
    try {
      made = makeDirectories(dir, 0o700) ?? dir;
    } catch (err) {
      throw new RuntimeError(`cannot create ${shown(dir)} (${(err as NodeJS.ErrnoException).code ?? "failed"})`);
    }
  }
  const tempData = join(dir, `.${dataFile}.partial`);
  const tempMeta = join(dir, `.${META_FILE}.partial`);
  let fd: number | undefined;
  try {
    fd = openSync(tempData, "w", 0o600);
  } catch (err) {
    if (made) rmSync(made, { recursive: true, force: true });
    throw new RuntimeError(`cannot write in ${shown(dir)} (${(err as NodeJS.ErrnoException).code ?? "failed"})`);
  }
  const closeData = () => {
    if (fd === undefined) return;
    const f = fd;
    fd = undefined;
    closeSync(f);
  };
  return {
    dir,
    dataFile,
    write(chunk) {
      if (fd === undefined) throw new Error("backup target is closed");
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
    },
    commit(meta) {
      fsyncSync(fd!);
      closeData();
      const mfd = openSync(tempMeta, "w", 0o600);
      try {
        writeSync(mfd, meta);
        fsyncSync(mfd);
      } finally {
        closeSync(mfd);
      }
      // An older backup here (--force) may have its archive under the other name: a directory must hold one.
      for (const f of [META_FILE, ARCHIVE_FILE, LEGACY_FILE]) if (f !== dataFile) rmSync(join(dir, f), { force: true });
      renameSync(tempData, join(dir, dataFile));
      renameSync(tempMeta, join(dir, META_FILE));
      syncDir(dir);
      return [META_FILE, dataFile];
    },
    abort() {
      try {
        closeData();
      } catch {
        // the descriptor is gone either way
      }
      const left: string[] = [];
      const remove = (path: string) => {
        try {
          rmSync(path, { recursive: true, force: true });
        } catch {
          left.push(path);
        }
      };
      if (made) remove(made);
      else for (const p of [tempData, tempMeta]) remove(p);
      return left;
    },
  };
}

function syncDir(dir: string): void {
  try {
    const d = openSync(dir, "r");
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // not every file system lets a directory be synced; the renames are done either way
  }
}
