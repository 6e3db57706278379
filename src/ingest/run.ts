// Wires one ingest run together: the source from --from, a NATS connection (waiting for the server if it is
// down), the stream check (or --create-stream), the publisher, the pipeline, progress lines, signals, the summary.
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { NatsConnection } from "@nats-io/nats-core";
import { RuntimeError, UsageError } from "../errors.js";
import {
  ConnectError,
  connectNats,
  describeServers,
  resolveConnectionOptions,
  type ConnectErrorKind,
  type ConnectionFlags,
  type ResolvedConnection,
} from "../nats/connection/index.js";
import { openJetStreamManager, requireServerVersion } from "../nats/jetstream.js";
import { findStreamStoring } from "../nats/streams/admin.js";
import { createNsmStream } from "../nats/streams/nsm-stream.js";
import { checkPublishPrefix } from "../nats/subjects.js";
import { IngestPipeline, type IngestCounters } from "./pipeline.js";
import { formatProgress, formatSummary } from "./progress.js";
import { formatDuration, formatNanos } from "../text/units.js";
import { sanitizeText } from "../text/sanitize.js";
import { createCorePublisher, createJetStreamPublisher, type Publisher } from "./publisher.js";
import { ttlForSubject, type TtlPolicy } from "./ttl.js";
import { isRedisUrl, parseRedisLocation } from "./redis-location.js";
import { maskUrlCredentials } from "../text/credentials.js";
import { defaultCheckpointPath } from "./checkpoint.js";
import type { IngestSource, Notify } from "./types.js";
import type { ListenAddress, MetricsServer } from "../metrics/http.js";
import type { IngestMetrics } from "./metrics.js";

export interface IngestSettings {
  from: string;
  prefix: string;
  stream: string;
  createStream: boolean;
  core: boolean;
  dropInvalid: boolean;
  window: number;
  batch: number;
  processingKey?: string;
  group: string;
  consumer?: string;
  field: string;
  checkpoint?: string;
  startAt: "beginning" | "end";
  once: boolean;
  /** 0: no progress lines (the summary is still printed). */
  progressMs: number;
  /** --metrics: where to serve /metrics; absent, nothing is measured. */
  metrics?: ListenAddress;
  /** How long a stop waits for in-flight publishes (default DEFAULT_STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
  /** --ttl: a Nats-TTL per event type (nats-server 2.11+, a stream that allows per-message TTLs). */
  ttl?: TtlPolicy;
}

export const DEFAULT_STOP_TIMEOUT_MS = 5000;

export function checkSettings(s: IngestSettings): void {
  checkPublishPrefix(s.prefix, { example: "suricata" });
  if (s.window < 1) throw new UsageError("invalid --window: give at least 1 (unacknowledged publishes in flight)");
  if (s.batch < 1) throw new UsageError("invalid --batch: give at least 1 (items taken from the source per read)");
  if (s.ttl !== undefined && s.core) throw new UsageError("--ttl is a header JetStream reads on each stored event: leave out --core");
}

/** The source --from names: a Redis list or stream, stdin (`-`), or a file to follow. */
export async function openSource(s: IngestSettings, notify: Notify): Promise<IngestSource> {
  if (s.from === "-") {
    const { LineStreamSource } = await import("./sources/stdin.js");
    return new LineStreamSource(process.stdin, "stdin", notify);
  }
  if (isRedisUrl(s.from)) {
    const location = parseRedisLocation(s.from);
    if (location.kind === "list") {
      const { RedisListSource } = await import("./sources/redis-list.js");
      return new RedisListSource(location, { processingKey: s.processingKey, once: s.once, notify });
    }
    const { RedisStreamSource } = await import("./sources/redis-stream.js");
    return new RedisStreamSource(location, { group: s.group, consumer: s.consumer ?? hostname(), field: s.field, once: s.once, notify });
  }
  // Anything that looks like a URL (a misspelt scheme, one slash) is not a file name to follow.
  if (/^[a-z][a-z0-9+.-]*:\//i.test(s.from)) {
    throw new UsageError(`invalid --from '${maskUrlCredentials(s.from)}': use redis://HOST:6379/KEY, redis-stream://HOST:6379/KEY, a file path, or - for stdin`);
  }
  const { FileFollowSource } = await import("./sources/file-follow.js");
  return new FileFollowSource(s.from, {
    checkpointFile: s.checkpoint ?? defaultCheckpointPath(s.from),
    startAt: s.startAt,
    once: s.once,
    notify,
  });
}

// Failures that pass once the server is back (restarted, or the network was down: no route to the host is a
// sensor's network blipping, like refused); a refused login or a TLS mistake does not pass by waiting.
const RETRYABLE_CONNECT_KINDS: ReadonlySet<ConnectErrorKind> = new Set<ConnectErrorKind>(["refused", "timeout", "host-not-found", "unreachable", "closed"]);

export function isRetryableConnectError(err: unknown): boolean {
  return err instanceof ConnectError && RETRYABLE_CONNECT_KINDS.has(err.kind);
}

/** Connects, waiting with backoff while the server is unreachable (a sensor's ingester outlives restarts). */
export async function connectWithRetry(resolved: ResolvedConnection, notify: Notify, stopped: () => boolean): Promise<NatsConnection | undefined> {
  let backoff = 500;
  let announced = 0;
  for (;;) {
    try {
      const nc = await connectNats(resolved, { name: "nsm4home-ingest" });
      if (announced > 0) notify(`connected to ${describeServers(resolved)}`);
      return nc;
    } catch (err) {
      if (!isRetryableConnectError(err)) throw err;
      const now = Date.now();
      if (now - announced >= 30_000) {
        notify(`${(err as Error).message}; retrying with backoff (the source is left untouched)`);
        announced = now;
      }
    }
    for (let waited = 0; waited < backoff; waited += 100) {
      if (stopped()) return undefined;
      await sleep(100);
    }
    backoff = Math.min(backoff * 2, 10_000);
  }
}

/** Makes sure a stream stores `<prefix>.>`: finds it, or creates it with --create-stream. */
export async function ensureStream(nc: NatsConnection, resolved: ResolvedConnection, s: IngestSettings, notify: Notify): Promise<string> {
  // Before anything is created: an older server would store the events without their TTL, for the stream's max_age.
  if (s.ttl !== undefined) requireServerVersion(nc, "2.11.0", "--ttl (a Nats-TTL per event type)");
  const jsm = await openJetStreamManager(nc, resolved);
  const subjects = `${s.prefix}.>`;
  const found = await findStreamStoring(jsm, subjects);
  if (found !== undefined) {
    if (s.ttl !== undefined) {
      const info = await jsm.streams.info(found);
      if ((info.config as { allow_msg_ttl?: boolean }).allow_msg_ttl !== true) {
        throw new RuntimeError(
          `stream ${found} does not allow per-message TTLs, so --ttl cannot apply: run 'nsm4home stream edit ${found} --allow-msg-ttl' (it cannot be turned off again), then ingest`,
        );
      }
      notify(ttlNotice(s.ttl));
    }
    return found;
  }
  if (!s.createStream) {
    throw new RuntimeError(`no JetStream stream stores ${subjects}: add --create-stream, or run 'nsm4home stream add --defaults'`);
  }
  const config = await createNsmStream(jsm, s.stream, s.prefix, { allowMsgTtl: s.ttl !== undefined });
  notify(`created stream ${s.stream} for ${subjects} (${config.storage} storage, duplicate window ${formatNanos(config.duplicate_window)}${s.ttl ? ", per-message TTLs allowed" : ""})`);
  if (s.ttl !== undefined) notify(ttlNotice(s.ttl));
  return s.stream;
}

function ttlNotice(ttl: TtlPolicy): string {
  return `TTL per event type: ${ttl.summary}${ttl.byType.has("*") ? "" : " (other types: the stream's max_age)"}`;
}

export interface IngestRunOptions {
  notify?: Notify;
  /** A source built by the caller (replay) instead of the one --from names. */
  source?: IngestSource;
  /** Content msg-ids (default: in JetStream mode). Replay turns them off: a replayed file is meant to repeat. */
  msgIds?: boolean;
  /** Names the command in status lines (default "ingest"). */
  label?: string;
  /** Installs SIGINT/SIGTERM handlers (the command does; tests calling in-process may not). */
  handleSignals?: boolean;
}

export async function runIngest(flags: ConnectionFlags, s: IngestSettings, opts: IngestRunOptions = {}): Promise<IngestCounters> {
  checkSettings(s);
  const label = opts.label ?? "ingest";
  // Notices quote file names, Redis keys and server errors: escaped like event text.
  const notify: Notify = opts.notify ?? ((line) => process.stderr.write(`nsm4home: ${label}: ${sanitizeText(line)}\n`));
  const resolved = resolveConnectionOptions(flags);
  // Before the source is touched: a port that is taken stops the run with nothing read.
  let metrics: IngestMetrics | undefined;
  let metricsServer: MetricsServer | undefined;
  let pipeline: IngestPipeline | undefined;
  let publisher: Publisher | undefined;
  let opened: IngestSource | undefined;
  if (s.metrics) {
    const { IngestMetrics } = await import("./metrics.js");
    const { serveMetrics } = await import("../metrics/http.js");
    const m = (metrics = new IngestMetrics(s.prefix));
    metricsServer = await serveMetrics(s.metrics, async () =>
      m.render({
        counters: pipeline?.counters ?? emptyCounters(),
        inFlight: pipeline?.inFlight ?? 0,
        backlog: await opened?.backlog().catch(() => undefined),
        natsConnected: publisher?.connected() ?? false,
      }),
    );
    notify(`serving metrics on ${metricsServer.url}`);
  }
  let source: IngestSource;
  try {
    source = opened = opts.source ?? (await openSource(s, notify));
  } catch (err) {
    await metricsServer?.close();
    throw err;
  }

  let stopRequests = 0;
  // A stop waits for acknowledgements only so long: JetStream may refuse (stream or store full) or not answer.
  const stopTimeoutMs = s.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  let stopTimer: NodeJS.Timeout | undefined;
  let leftUnconfirmed = 0;
  const giveUp = (p: IngestPipeline, why: string) => {
    leftUnconfirmed = p.inFlight;
    if (leftUnconfirmed > 0) {
      const last = p.lastFailure ? ` (last answer: ${p.lastFailure})` : "";
      notify(`${leftUnconfirmed} ${leftUnconfirmed === 1 ? "publish" : "publishes"} still unacknowledged${why}${last}: left at the source, sent again on the next start`);
    }
    p.abandon();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopRequests++;
    if (!pipeline) return;
    const p = pipeline;
    if (stopRequests === 1) {
      const atOnce =
        source.resumes === false
          ? `unconfirmed events may not be stored, and ${label} keeps no position: a new run starts from the beginning`
          : "unconfirmed events stay at the source and are sent on the next start";
      notify(`${signal}: stopping; finishing ${p.inFlight} in-flight publishes (waiting up to ${formatDuration(stopTimeoutMs)}; again to quit at once: ${atOnce})`);
      p.stop();
      stopTimer = setTimeout(() => giveUp(p, ` after ${formatDuration(stopTimeoutMs)}`), stopTimeoutMs);
    } else {
      giveUp(p, "");
    }
  };
  if (opts.handleSignals !== false) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }

  const ttl = s.ttl;
  const ttlOption = ttl === undefined ? {} : { ttlFor: (subject: string) => ttlForSubject(ttl, subject) };
  let nc: NatsConnection | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    nc = await connectWithRetry(resolved, notify, () => stopRequests > 0);
    if (!nc) return emptyCounters();
    if (!s.core) {
      const stream = await ensureStream(nc, resolved, s, notify);
      notify(`${source.description} → stream ${stream} as ${s.prefix}.<event_type> (window ${s.window})`);
      publisher = await createJetStreamPublisher(nc, { timeoutMs: resolved.timeoutMs, inboxPrefix: resolved.inboxPrefix, ...ttlOption });
    } else {
      notify(`${source.description} → core NATS ${s.prefix}.<event_type> (at-most-once: nothing is stored or acknowledged)`);
      publisher = createCorePublisher(nc, { timeoutMs: resolved.timeoutMs });
    }
    const msgIds = opts.msgIds ?? !s.core;
    // JetStream can only call a publish a duplicate by its Nats-Msg-Id: without them the count would always be 0.
    const countsDuplicates = msgIds;
    pipeline = new IngestPipeline({
      source,
      publisher,
      prefix: s.prefix,
      window: s.window,
      batchSize: s.batch,
      dropInvalid: s.dropInvalid,
      ...ttlOption,
      msgIds,
      notify,
      observer: metrics,
    });
    if (stopRequests > 0) {
      const p = pipeline;
      p.stop();
      stopTimer = setTimeout(() => giveUp(p, ` after ${formatDuration(stopTimeoutMs)}`), stopTimeoutMs);
    }
    if (s.progressMs > 0) {
      let lastAcked = 0;
      let lastAt = Date.now();
      const p = pipeline;
      progressTimer = setInterval(() => {
        void source.backlog().then((backlog) => {
          const now = Date.now();
          const rate = ((p.counters.acked - lastAcked) * 1000) / Math.max(1, now - lastAt);
          lastAcked = p.counters.acked;
          lastAt = now;
          notify(formatProgress(p.counters, p.inFlight, backlog, rate, countsDuplicates));
        });
      }, s.progressMs);
    }
    const counters = await pipeline.run();
    clearTimeout(stopTimer);
    if (progressTimer) clearInterval(progressTimer);
    progressTimer = undefined;
    const backlog = await source.backlog();
    notify(`done: ${formatSummary(counters, Date.now() - started, backlog, countsDuplicates)}`);
    const refused = publisher?.refusals?.() ?? 0;
    if (refused > 0) {
      throw new RuntimeError(`the server refused ${refused} ${refused === 1 ? "publish" : "publishes"} (see above): the user needs permission to publish to ${s.prefix}.>`);
    }
    if (leftUnconfirmed > 0) {
      const where = source.resumes === false ? `${label} keeps no position: run it again to send them` : "left at the source for the next start";
      throw new RuntimeError(`stopped with ${leftUnconfirmed} ${leftUnconfirmed === 1 ? "event" : "events"} not acknowledged by JetStream; ${where}`);
    }
    return counters;
  } finally {
    clearTimeout(stopTimer);
    if (progressTimer) clearInterval(progressTimer);
    if (opts.handleSignals !== false) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    await source.close().catch(() => undefined);
    await publisher?.close().catch(() => undefined);
    if (nc) {
      // Flush what is buffered (core mode); never hang on a server that went away.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([nc.drain().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await nc.close().catch(() => undefined);
    }
    await metricsServer?.close();
  }
}

function emptyCounters(): IngestCounters {
  return { read: 0, published: 0, acked: 0, duplicates: 0, invalid: 0, unknownType: 0, rejected: 0, retries: 0 };
}
