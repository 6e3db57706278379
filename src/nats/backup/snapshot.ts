// `stream backup`: JetStream's snapshot API as jsm.go v0.5.0 drives it. A request to
// $JS.API.STREAM.SNAPSHOT.<name> names an inbox; the server answers with the stream's config and state, then
// sends the S2-compressed archive there in chunks, each with a reply subject to ack (its flow control), and ends
// with an empty message (status 204, or an error status such as 408 No Flow Response; 2.9 sends no header).
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { sanitizeText } from "../../text/sanitize.js";
import { formatBytes, formatCount, formatDuration } from "../../text/units.js";
import { serverVersion } from "../jetstream.js";
import { streamInfo } from "../streams/admin.js";
import { apiRequest, apiSubject, watchInterruptions } from "./api.js";
import { dataFileFor, metaText, openBackupTarget, parseMeta, type ArchiveFormat, type TransferSummary } from "./files.js";
import { deferredDone } from "../event-source/delivery.js";

export const DEFAULT_SNAPSHOT_CHUNK = 128 * 1024;

export interface BackupOptions {
  dir: string;
  /** Replace a backup already in DIR (only once the new one is complete). */
  force?: boolean;
  /** Consumers' configuration and state too (natscli's default). */
  consumers?: boolean;
  /** Ask the server to check every message's checksum first (natscli's --check). */
  check?: boolean;
  chunkSize?: number;
  timeoutMs: number;
  inboxPrefix?: string;
  signal?: AbortSignal;
  onStart?: (start: { stream: string; messages: number; bytes: number; dataFile: string }) => void;
  onProgress?: (progress: { chunks: number; bytes: number }) => void;
}

export interface BackupResult extends TransferSummary {
  /** The archive's size on disk (compressed); it came in `chunks`. */
  archive_bytes: number;
  format: ArchiveFormat;
}

export async function backupStream(nc: NatsConnection, jsm: JetStreamManager, name: string, opts: BackupOptions): Promise<BackupResult> {
  const what = `stream backup ${name}`;
  const info = await streamInfo(jsm, name);
  if (info.config.storage === "memory") {
    throw new RuntimeError(`${what}: the stream keeps its messages in memory; snapshots are for file storage (natscli refuses them too)`);
  }
  const dataFile = dataFileFor(serverVersion(nc));
  const target = openBackupTarget(opts.dir, dataFile, opts.force === true);
  const started = Date.now();
  let chunks = 0;
  let received = 0;
  try {
    const { createInbox } = await import("@nats-io/nats-core");
    const inbox = createInbox(opts.inboxPrefix);
    // natscli's rule: no chunk for max(5 s, --timeout) and the backup has stalled (2.15 gives up after 5 s too).
    const idleMs = Math.max(5000, opts.timeoutMs);
    // The event source's deferred end: settled once, a rejection nobody awaits yet is not unhandled.
    const end = deferredDone();
    const finish = end.resolve;
    const fail = (err: Error) => end.reject(err);
    const ended = end.promise;
    let idle: NodeJS.Timeout | undefined;
    let answered = false;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => fail(new RuntimeError(`${what}: no data from the server for ${formatDuration(idleMs)} after ${progressText()}`)), idleMs);
    };
    const progressText = () => `${formatCount(chunks)} ${chunks === 1 ? "chunk" : "chunks"} (${formatBytes(received)})`;
    const sub = nc.subscribe(inbox, {
      callback: (err, m) => {
        if (err) return fail(new RuntimeError(`${what}: ${sanitizeText(err.message)}`));
        if (m.data.length === 0) {
          const code = m.headers?.code ?? 0;
          if (code !== 0 && code !== 204) {
            const description = m.headers?.description ? ` ${m.headers.description}` : "";
            fail(new RuntimeError(`${what}: the server stopped the snapshot after ${progressText()}: ${code}${sanitizeText(description)}`));
          } else finish();
          return;
        }
        // Ack first, as jsm.go does: the chunk is in memory, and a slow disk must not look like a stalled reader.
        if (m.reply) m.respond();
        try {
          target.write(m.data);
        } catch (e) {
          return fail(new RuntimeError(`${what}: cannot write ${sanitizeText(opts.dir)}/${dataFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`));
        }
        chunks++;
        received += m.data.length;
        armIdle();
        // Chunks can overtake the API's answer (the server sends them from another queue): progress after the start.
        if (answered) opts.onProgress?.({ chunks, bytes: received });
      },
    });
    const watch = watchInterruptions(nc, opts.signal, () => `${what} stopped after ${progressText()}`);
    try {
      const request: Record<string, unknown> = { deliver_subject: inbox, chunk_size: opts.chunkSize ?? DEFAULT_SNAPSHOT_CHUNK };
      if (opts.consumers === false) request.no_consumers = true;
      if (opts.check) request.jsck = true;
      // The check runs before the server answers: give it time on a large stream.
      const timeout = opts.check ? Math.max(opts.timeoutMs, 10 * 60_000) : opts.timeoutMs;
      const response = await Promise.race([apiRequest(nc, apiSubject(jsm, `STREAM.SNAPSHOT.${name}`), request, timeout, what), watch.failed]);
      // What backup.json will hold; checked as a restore will check it, so nsm4home never writes one it refuses.
      const meta = parseMeta({ config: response.config, state: response.state }, `the snapshot response for ${name}`);
      opts.onStart?.({ stream: name, messages: meta.recorded.messages, bytes: meta.recorded.bytes, dataFile });
      answered = true;
      // Chunks that overtook the answer (all of a small stream's, on a busy machine) are shown now.
      if (chunks > 0) opts.onProgress?.({ chunks, bytes: received });
      armIdle();
      await Promise.race([ended, watch.failed]);
      const files = target.commit(metaText(response.config, response.state));
      return {
        stream: name,
        dir: opts.dir,
        files,
        messages: meta.recorded.messages,
        bytes: meta.recorded.bytes,
        first_seq: meta.recorded.first_seq,
        last_seq: meta.recorded.last_seq,
        consumers: opts.consumers === false ? 0 : (meta.recorded.consumer_count ?? 0),
        archive_bytes: received,
        chunks,
        format: dataFile.endsWith(".arc.s2") ? "archive" : "tar",
        elapsed_ms: Date.now() - started,
      };
    } finally {
      clearTimeout(idle);
      watch.stop();
      sub.unsubscribe();
    }
  } catch (err) {
    const left = target.abort();
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof RuntimeError ? err.exitCode : 1;
    const after = left.length > 0 ? `; could not remove the partial backup: ${left.map(sanitizeText).join(", ")}` : "; the partial backup was removed";
    throw new RuntimeError(message + after, code);
  }
}
