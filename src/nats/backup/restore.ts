// `stream restore`: JetStream's restore API as jsm.go v0.5.0 drives it. A request to
// $JS.API.STREAM.RESTORE.<name> with backup.json's {config, state} is answered with a subject to send the archive
// to, in 64 KiB requests the server acks one by one; an empty request ends it, and the answer to that one is the
// stream's create response (its config and state, or why the restore failed). The restored state is then
// checked against the state backup.json recorded.
import { closeSync, openSync, readSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { sanitizeText } from "../../text/sanitize.js";
import { formatBytes, formatCount, formatNanos } from "../../text/units.js";
import { describeJetStreamError, serverVersion, versionAtLeast } from "../jetstream.js";
import { deleteStream, findStream, listStreams } from "../streams/admin.js";
import { apiRequest, apiSubject, parseApiResponse, watchInterruptions } from "./api.js";
import { ARCHIVE_FILE, LEGACY_FILE, META_FILE, type BackupDir, type RecordedState, type TransferSummary } from "./files.js";

export const RESTORE_CHUNK = 64 * 1024;
/** The server rebuilds the stream before it answers the last request: as long as jsm.go waits. */
const FINAL_ANSWER_MS = 60 * 60_000;

export interface RestoreOptions {
  /** Restore under another name (archives of nats-server 2.15+ only: older ones carry the name in their files). */
  name?: string;
  subjects?: string[];
  replicas?: number;
  chunkSize?: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onStart?: (start: { stream: string; bytes: number; chunks: number }) => void;
  onProgress?: (progress: { chunks: number; bytes: number }) => void;
  /** The server has all the data and is rebuilding the stream. */
  onSent?: () => void;
}

export interface RestoreCheck {
  /** The restored stream holds what backup.json recorded. */
  same: boolean;
  /** More messages at the end than recorded: taken while the backup ran, which an older server's archive keeps. */
  grew: boolean;
  differences: string[];
}

export interface RestoreResult extends TransferSummary {
  /** The name the backup was taken of. */
  from: string;
  recorded: RecordedState;
  check: RestoreCheck;
}

/** The configuration the restore sends: backup.json's, with what the flags change. */
export function restoreConfig(backup: BackupDir, opts: Pick<RestoreOptions, "name" | "subjects" | "replicas">): Record<string, unknown> & { name: string } {
  const config = { ...backup.meta.config };
  if (opts.name !== undefined) config.name = opts.name;
  if (opts.subjects !== undefined) config.subjects = opts.subjects;
  if (opts.replicas !== undefined) config.num_replicas = opts.replicas;
  return config;
}

export async function restoreBackup(nc: NatsConnection, jsm: JetStreamManager, backup: BackupDir, opts: RestoreOptions): Promise<RestoreResult> {
  const from = backup.meta.config.name;
  const config = restoreConfig(backup, opts);
  const name = config.name;
  const what = `stream restore ${name}`;
  await refuseImpossible(nc, jsm, backup, config);

  const started = Date.now();
  const chunkSize = opts.chunkSize ?? RESTORE_CHUNK;
  const total = Math.max(1, Math.ceil(backup.dataBytes / chunkSize));
  let chunks = 0;
  let sent = 0;
  const progressText = () => `${formatCount(chunks)} of ${formatCount(total)} chunks (${formatBytes(sent)} of ${formatBytes(backup.dataBytes)})`;
  const watch = watchInterruptions(nc, opts.signal, () => `${what} stopped after ${progressText()}`);
  const race = <T>(p: Promise<T>) => Promise.race([p, watch.failed]);
  let deliver: string | undefined;
  let answered = false;
  try {
    const response = await race(
      apiRequest(nc, apiSubject(jsm, `STREAM.RESTORE.${name}`), { config, state: backup.meta.state }, opts.timeoutMs, what),
    );
    if (typeof response.deliver_subject !== "string" || response.deliver_subject === "") {
      throw new RuntimeError(`${what}: the server gave no subject to send the backup to`);
    }
    deliver = response.deliver_subject;
    opts.onStart?.({ stream: name, bytes: backup.dataBytes, chunks: total });
    const fd = openSync(backup.dataPath, "r");
    try {
      const buf = Buffer.alloc(chunkSize);
      for (;;) {
        const n = readSync(fd, buf, 0, chunkSize, null);
        if (n === 0) break;
        const answer = await race(nc.request(deliver, buf.subarray(0, n), { timeout: opts.timeoutMs })).catch((err: unknown) => {
          throw err instanceof RuntimeError ? err : describeJetStreamError(err, `${what} stopped after ${progressText()}`);
        });
        // An empty answer is the ack; anything else is the server saying why it stopped.
        if (answer.data.length > 0) parseApiResponse(answer.string(), `${what} stopped after ${progressText()}`);
        chunks++;
        sent += n;
        opts.onProgress?.({ chunks, bytes: sent });
      }
    } finally {
      closeSync(fd);
    }
    opts.onSent?.();
    const final = await race(nc.request(deliver, new Uint8Array(0), { timeout: FINAL_ANSWER_MS })).catch((err: unknown) => {
      throw err instanceof RuntimeError ? err : describeJetStreamError(err, `${what}: all ${formatBytes(sent)} sent, but the server did not say how the restore ended`);
    });
    answered = true;
    const created = parseApiResponse(final.string(), what);
    const state = (created.state ?? {}) as Partial<RecordedState>;
    const restored: RecordedState = {
      messages: Number(state.messages ?? 0),
      bytes: Number(state.bytes ?? 0),
      first_seq: Number(state.first_seq ?? 0),
      last_seq: Number(state.last_seq ?? 0),
    };
    const consumers = Number((created.state as { consumer_count?: unknown } | undefined)?.consumer_count ?? 0);
    return {
      stream: name,
      from,
      dir: backup.dir,
      files: [META_FILE, backup.dataFile],
      ...restored,
      consumers,
      recorded: backup.meta.recorded,
      check: compareRestored(backup.meta.recorded, restored, config),
      chunks,
      elapsed_ms: Date.now() - started,
    };
  } catch (err) {
    throw await cleanUpAfterFailure(nc, jsm, err, { name, deliver, answered, connected: !nc.isClosed() && !watch.disconnected() });
  } finally {
    watch.stop();
  }
}

/** What the server would refuse only after the whole archive was sent, refused before a byte goes. */
async function refuseImpossible(nc: NatsConnection, jsm: JetStreamManager, backup: BackupDir, config: Record<string, unknown> & { name: string }): Promise<void> {
  const name = config.name;
  const from = backup.meta.config.name;
  const version = serverVersion(nc);
  if (config.storage === "memory") {
    throw new RuntimeError(`stream restore ${name}: the backup is of a memory stream; restores are for file storage (natscli refuses them too)`);
  }
  if (backup.format === "archive" && !versionAtLeast(version, "2.15.0")) {
    throw new RuntimeError(
      `stream restore ${name}: this backup (${ARCHIVE_FILE}) is in the archive format of nats-server 2.15 and newer, which nats-server ${version} cannot read: restore it on 2.15 or newer`,
    );
  }
  if (name !== from && backup.format === "tar") {
    throw new RuntimeError(
      `stream restore: --name needs a backup taken from nats-server 2.15 or newer (${ARCHIVE_FILE}); in this one (${LEGACY_FILE}) the stream's files carry the name '${from}' and the server refuses another: restore it as '${from}' (on another server, or after 'nsm4home stream rm ${from}')`,
    );
  }
  const existing = await findStream(jsm, name);
  if (existing) {
    const other = backup.format === "archive" ? `, or restore a copy beside it: --name ${name}_copy --subjects '${name}_copy.>'` : "";
    throw new RuntimeError(`stream restore: stream '${name}' already exists: remove it first (nsm4home stream rm ${name})${other}`);
  }
  const subjects = Array.isArray(config.subjects) ? (config.subjects as string[]) : [];
  for (const subject of subjects) {
    let overlapping;
    try {
      overlapping = await listStreams(jsm, subject);
    } catch {
      return; // a subject the server will not even look up: it says why at the end
    }
    if (overlapping.length > 0) {
      const stream = overlapping[0]!.config.name;
      const fix = `give the restored stream other subjects (--subjects '${name}.>')${stream === from ? "" : ` or remove stream '${stream}'`}`;
      throw new RuntimeError(`stream restore ${name}: its subject '${subject}' overlaps stream '${stream}' (${(overlapping[0]!.config.subjects ?? []).join(", ")}): ${fix}`);
    }
  }
}

/**
 * After a failed restore: end the server's side (an empty request), and remove the stream it may have made
 * from part of the archive (there was none of that name before). The error says what was done or is left.
 */
async function cleanUpAfterFailure(
  nc: NatsConnection,
  jsm: JetStreamManager,
  err: unknown,
  at: { name: string; deliver?: string; answered: boolean; connected: boolean },
): Promise<RuntimeError> {
  const base = err instanceof RuntimeError ? err : describeJetStreamError(err, `stream restore ${at.name}`);
  if (at.deliver === undefined) return base;
  const say = (tail: string) => new RuntimeError(`${base.message}; ${tail}`, base.exitCode);
  if (!at.connected) {
    return say(`the server may keep part of it: once it is back, 'nsm4home stream info ${at.name}' shows whether stream '${at.name}' exists (remove it with 'nsm4home stream rm ${at.name} -f')`);
  }
  try {
    if (!at.answered) await nc.request(at.deliver, new Uint8Array(0), { timeout: 10_000 }).catch(() => undefined);
    if (await findStream(jsm, at.name)) {
      await deleteStream(jsm, at.name);
      return say(`removed the partial stream '${at.name}'`);
    }
    return say("nothing was restored");
  } catch {
    return say(`check whether stream '${at.name}' exists (nsm4home stream info ${at.name}) and remove it if it does`);
  }
}

/** Messages, bytes and the first and last sequence, as restored against as recorded. */
export function compareRestored(recorded: RecordedState, restored: RecordedState, config: Record<string, unknown> = {}): RestoreCheck {
  const keys = ["messages", "bytes", "first_seq", "last_seq"] as const;
  const labels = { messages: "messages", bytes: "bytes", first_seq: "first sequence", last_seq: "last sequence" };
  const differences = keys
    .filter((k) => recorded[k] !== restored[k])
    .map((k) => `${labels[k]} ${k === "bytes" ? formatBytes(restored[k]) : formatCount(restored[k])} where backup.json recorded ${k === "bytes" ? formatBytes(recorded[k]) : formatCount(recorded[k])}`);
  const grew =
    differences.length > 0 &&
    restored.first_seq === recorded.first_seq &&
    restored.last_seq > recorded.last_seq &&
    restored.messages > recorded.messages &&
    restored.bytes > recorded.bytes;
  const maxAge = typeof config.max_age === "number" ? config.max_age : 0;
  if (!grew && maxAge > 0 && restored.first_seq > recorded.first_seq) {
    differences.push(`the stream's max_age (${formatNanos(maxAge)}) removes messages older than that as they arrive`);
  }
  return { same: differences.length === 0, grew, differences };
}
