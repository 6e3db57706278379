// Wires one ingest run together: the source from --from, a NATS connection (waiting for the server if it is
// down), the stream check (or --create-stream), the publisher, the pipeline, progress lines, signals, the summary.
import { statSync } from "node:fs";
import { hostname } from "node:os";
import { join as joinPath, resolve as resolvePath } from "node:path";
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
import { JetStreamUnavailableError, openJetStreamManager, requireServerVersion } from "../nats/jetstream.js";
import { findStream } from "../nats/streams/admin.js";
import { createNsmStream } from "../nats/streams/nsm-stream.js";
import { checkPublishPrefix } from "../nats/subjects.js";
import { IngestPipeline, type IngestCounters } from "./pipeline.js";
import { formatProgress, formatSummary } from "./progress.js";
import { formatDuration, formatNanos } from "../text/units.js";
import { sanitizeText } from "../text/sanitize.js";
import { createCorePublisher, createJetStreamPublisher, type Publisher } from "./publisher.js";
import { ttlForSubject, type TtlPolicy } from "./ttl.js";
import { describePartialStreams, streamsForPrefix } from "./stream-coverage.js";
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
      if (s.processingKey !== undefined && s.processingKey === location.key) {
        throw new UsageError(`--processing-key ${s.processingKey} is the list being read: taken items would go back where they came from; give another key`);
      }
      const { RedisListSource } = await import("./sources/redis-list.js");
      const source = new RedisListSource(location, { processingKey: s.processingKey, once: s.once, notify });
      await source.start().catch(async (err: unknown) => {
        await source.close();
        throw err;
      });
      return source;
    }
    const { RedisStreamSource } = await import("./sources/redis-stream.js");
    return new RedisStreamSource(location, { group: s.group, consumer: s.consumer ?? hostname(), field: s.field, once: s.once, notify });
  }
  // Anything that looks like a URL (a misspelt scheme, one slash) is not a file name to follow.
  if (/^[a-z][a-z0-9+.-]*:\//i.test(s.from)) {
    throw new UsageError(`invalid --from '${maskUrlCredentials(s.from)}': use redis://HOST:6379/KEY, redis-stream://HOST:6379/KEY, a file path, or - for stdin`);
  }
  const kind = fileKind(s.from);
  if (kind === "directory") {
    throw new UsageError(`--from ${s.from} is a directory: give the eve.json to follow, e.g. --from ${joinPath(s.from, "eve.json")}`);
  }
  // A pipe (--from <(zcat eve.json.gz), a FIFO) cannot be read at an offset: read it like stdin, to its end.
  if (kind === "pipe") {
    if (s.checkpoint !== undefined) throw new UsageError(`--from ${s.from} is a pipe: it keeps no position, leave out --checkpoint`);
    const { createReadStream } = await import("node:fs");
    const { LineStreamSource } = await import("./sources/stdin.js");
    return new LineStreamSource(createReadStream(s.from, { highWaterMark: 256 * 1024 }), s.from, notify);
  }
  const checkpointFile = s.checkpoint ?? defaultCheckpointPath(s.from);
  if (sameFile(checkpointFile, s.from)) {
    throw new UsageError(`--checkpoint ${checkpointFile} is the followed file itself: writing the position there would overwrite the events; give another path`);
  }
  const { FileFollowSource } = await import("./sources/file-follow.js");
  return new FileFollowSource(s.from, {
    checkpointFile,
    startAt: s.startAt,
    once: s.once,
    notify,
  });
}

function fileKind(path: string): "directory" | "pipe" | "other" {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "directory" : st.isFIFO() || st.isSocket() || st.isCharacterDevice() ? "pipe" : "other";
  } catch {
    return "other";
  }
}

/** The same path, or the same file by another name (a link, `..`): compared by device and inode when both exist. */
function sameFile(a: string, b: string): boolean {
  if (resolvePath(a) === resolvePath(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
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
  const notice = new RetryNotice(notify);
  for (;;) {
    try {
      const nc = await connectNats(resolved, { name: "nsm4home-ingest" });
      if (notice.said) notify(`connected to ${describeServers(resolved)}`);
      return nc;
    } catch (err) {
      if (!isRetryableConnectError(err)) throw err;
      notice.say(`${(err as Error).message}; retrying with backoff (the source is left untouched)`);
    }
    if (!(await pauseUnlessStopped(backoff, stopped))) return undefined;
    backoff = Math.min(backoff * 2, 10_000);
  }
}

/** A retry loop's notice: the first at once, then at most one every 30 s, so a long outage does not flood stderr. */
class RetryNotice {
  private lastAt = 0;

  constructor(private readonly notify: Notify) {}

  get said(): boolean {
    return this.lastAt > 0;
  }

  say(line: string): void {
    const now = Date.now();
    if (now - this.lastAt < 30_000) return;
    this.notify(line);
    this.lastAt = now;
  }
}

/** Waits `ms` in steps of 100 ms; false as soon as a stop is asked for. */
async function pauseUnlessStopped(ms: number, stopped: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (stopped()) return false;
    await sleep(100);
  }
  return true;
}

/**
 * ensureStream, asked again while the server restarts under it: a server that went away during the check (killed,
 * rebooted) brings JetStream back from its store only after it accepts connections, and until then the check
 * gets no answer. Without a restart, no answer is an error at once (is JetStream enabled?), and so is an answer
 * (no such stream, denied) with or without one.
 */
async function ensureStreamOutlivingRestarts(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  s: IngestSettings,
  notify: Notify,
  stopped: () => boolean,
): Promise<string | undefined> {
  let restarted = false;
  const statuses = nc.status();
  void (async () => {
    for await (const status of statuses) if (status.type === "disconnect" || status.type === "reconnect") restarted = true;
  })().catch(() => undefined);
  const notice = new RetryNotice(notify);
  try {
    for (;;) {
      try {
        return await ensureStream(nc, resolved, s, notify);
      } catch (err) {
        if (!restarted || nc.isClosed() || !(err instanceof JetStreamUnavailableError)) throw err;
        notice.say(`${err.message}; the server restarted during the stream check: asking again until JetStream answers`);
      }
      if (!(await pauseUnlessStopped(1000, stopped))) return undefined;
    }
  } finally {
    (statuses as { stop?: () => void }).stop?.();
  }
}

/** Makes sure a stream stores `<prefix>.>`: finds it, or creates it with --create-stream. */
export async function ensureStream(nc: NatsConnection, resolved: ResolvedConnection, s: IngestSettings, notify: Notify): Promise<string> {
  // Before anything is created: an older server would store the events without their TTL, for the stream's max_age.
  if (s.ttl !== undefined) requireServerVersion(nc, "2.11.0", "--ttl (a Nats-TTL per event type)");
  const jsm = await openJetStreamManager(nc, resolved);
  const subjects = `${s.prefix}.>`;
  const { covering, partial } = await streamsForPrefix(jsm, s.prefix);
  const found = covering?.config.name;
  if (found !== undefined) {
    if (s.ttl !== undefined) {
      if ((covering!.config as { allow_msg_ttl?: boolean }).allow_msg_ttl !== true) {
        throw new RuntimeError(
          `stream ${found} does not allow per-message TTLs, so --ttl cannot apply: run 'nsm4home stream edit ${found} --allow-msg-ttl' (it cannot be turned off again), then ingest`,
        );
      }
      notify(ttlNotice(s.ttl));
    }
    return found;
  }
  // A stream taking only some event types would refuse the others, and they would be retried forever.
  if (partial.length > 0) throw new RuntimeError(describePartialStreams(partial, s.prefix));
  const addCommand = s.prefix === "suricata" ? "nsm4home stream add --defaults" : `nsm4home stream add ${s.prefix.replace(/[^A-Za-z0-9_-]/g, "_")} --subjects '${subjects}' --defaults`;
  if (!s.createStream) {
    throw new RuntimeError(`no JetStream stream stores ${subjects}: add --create-stream, or run '${addCommand}'`);
  }
  const taken = await findStream(jsm, s.stream);
  if (taken !== undefined) {
    const stores = (taken.config.subjects ?? []).join(", ") || "no subjects of its own";
    throw new RuntimeError(`--create-stream: a stream named ${s.stream} already exists and stores ${stores}, not ${subjects}: give the new one another name with --stream NAME`);
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
  const run: RunState = {};
  // Before the source is touched: a port that is taken stops the run with nothing read.
  const metrics = s.metrics ? await serveIngestMetrics(s.metrics, s.prefix, run, notify) : undefined;
  let source: IngestSource;
  try {
    source = run.source = opts.source ?? (await openSource(s, notify));
  } catch (err) {
    await metrics?.server.close();
    throw err;
  }
  const stopping = new IngestStop(s.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS, source, label, notify);
  if (opts.handleSignals !== false) stopping.listen();

  const ttlOption = ttlOptionOf(s.ttl);
  let nc: NatsConnection | undefined;
  let stopProgress = () => undefined as void;
  const started = Date.now();
  try {
    nc = await connectWithRetry(resolved, notify, () => stopping.requested);
    if (!nc) return emptyCounters();
    run.publisher = await openPublisher(nc, resolved, s, source, notify, () => stopping.requested);
    if (!run.publisher) return emptyCounters();
    const msgIds = opts.msgIds ?? !s.core;
    // JetStream can only call a publish a duplicate by its Nats-Msg-Id: without them the count would always be 0.
    const countsDuplicates = msgIds;
    const pipeline = (run.pipeline = new IngestPipeline({
      source,
      publisher: run.publisher,
      prefix: s.prefix,
      window: s.window,
      batchSize: s.batch,
      dropInvalid: s.dropInvalid,
      ...ttlOption,
      msgIds,
      notify,
      observer: metrics?.metrics,
    }));
    stopping.attach(pipeline);
    if (s.progressMs > 0) stopProgress = reportProgress(pipeline, source, s.progressMs, countsDuplicates, notify);
    const counters = await pipeline.run();
    stopping.done();
    stopProgress();
    const backlog = await source.backlog();
    notify(`done: ${formatSummary(counters, Date.now() - started, backlog, countsDuplicates)}`);
    checkEverythingStored(run.publisher, stopping.leftUnconfirmed, source, s.prefix, label);
    await source.finish?.();
    return counters;
  } finally {
    stopping.done();
    stopProgress();
    if (opts.handleSignals !== false) stopping.unlisten();
    await source.close().catch(() => undefined);
    await run.publisher?.close().catch(() => undefined);
    if (nc) await drainAndClose(nc);
    await metrics?.server.close();
  }
}

/** What the metrics endpoint reads while the run is being set up and runs. */
interface RunState {
  source?: IngestSource;
  publisher?: Publisher;
  pipeline?: IngestPipeline;
}

async function serveIngestMetrics(
  listen: ListenAddress,
  prefix: string,
  run: RunState,
  notify: Notify,
): Promise<{ metrics: IngestMetrics; server: MetricsServer }> {
  const { IngestMetrics } = await import("./metrics.js");
  const { serveMetrics } = await import("../metrics/http.js");
  const metrics = new IngestMetrics(prefix);
  const server = await serveMetrics(listen, async () =>
    metrics.render({
      counters: run.pipeline?.counters ?? emptyCounters(),
      inFlight: run.pipeline?.inFlight ?? 0,
      backlog: await run.source?.backlog().catch(() => undefined),
      natsConnected: run.publisher?.connected() ?? false,
    }),
  );
  notify(`serving metrics on ${server.url}`);
  return { metrics, server };
}

function ttlOptionOf(ttl: TtlPolicy | undefined): { ttlFor?: (subject: string) => string | undefined } {
  return ttl === undefined ? {} : { ttlFor: (subject: string) => ttlForSubject(ttl, subject) };
}

/** JetStream (the stream checked or created first) or core NATS, said in one line. */
async function openPublisher(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  s: IngestSettings,
  source: IngestSource,
  notify: Notify,
  stopped: () => boolean,
): Promise<Publisher | undefined> {
  if (s.core) {
    notify(`${source.description} → core NATS ${s.prefix}.<event_type> (at-most-once: nothing is stored or acknowledged)`);
    return createCorePublisher(nc, { timeoutMs: resolved.timeoutMs });
  }
  const stream = await ensureStreamOutlivingRestarts(nc, resolved, s, notify, stopped);
  if (stream === undefined) return undefined;
  notify(`${source.description} → stream ${stream} as ${s.prefix}.<event_type> (window ${s.window})`);
  return createJetStreamPublisher(nc, { timeoutMs: resolved.timeoutMs, inboxPrefix: resolved.inboxPrefix, ...ttlOptionOf(s.ttl) });
}

/**
 * SIGINT/SIGTERM: the first finishes the in-flight publishes (waiting up to the stop timeout), the second gives
 * up at once. Unconfirmed publishes are left at the source (or, for a source that keeps no position, said).
 */
class IngestStop {
  private requests = 0;
  private pipeline: IngestPipeline | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Publishes still unacknowledged when the run gave up on them. */
  leftUnconfirmed = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly source: IngestSource,
    private readonly label: string,
    private readonly notify: Notify,
  ) {}

  get requested(): boolean {
    return this.requests > 0;
  }

  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.requests++;
    const p = this.pipeline;
    if (!p) return;
    if (this.requests > 1) {
      this.giveUp(p, "");
      return;
    }
    const atOnce =
      this.source.resumes === false
        ? `unconfirmed events may not be stored, and ${this.label} keeps no position: a new run starts from the beginning`
        : "unconfirmed events stay at the source and are sent on the next start";
    this.notify(`${signal}: stopping; finishing ${p.inFlight} in-flight publishes (waiting up to ${formatDuration(this.timeoutMs)}; again to quit at once: ${atOnce})`);
    this.stopWithin(p);
  };

  listen(): void {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  unlisten(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }

  /** The pipeline is running: a stop asked for while connecting takes effect now. */
  attach(p: IngestPipeline): void {
    this.pipeline = p;
    if (this.requested) this.stopWithin(p);
  }

  done(): void {
    clearTimeout(this.timer);
  }

  private stopWithin(p: IngestPipeline): void {
    p.stop();
    // A stop waits for acknowledgements only so long: JetStream may refuse (stream or store full) or not answer.
    this.timer = setTimeout(() => this.giveUp(p, ` after ${formatDuration(this.timeoutMs)}`), this.timeoutMs);
  }

  private giveUp(p: IngestPipeline, why: string): void {
    this.leftUnconfirmed = p.inFlight;
    if (this.leftUnconfirmed > 0) {
      const last = p.lastFailure ? ` (last answer: ${p.lastFailure})` : "";
      const publishes = this.leftUnconfirmed === 1 ? "publish" : "publishes";
      this.notify(`${this.leftUnconfirmed} ${publishes} still unacknowledged${why}${last}: left at the source, sent again on the next start`);
    }
    p.abandon();
  }
}

/** A progress line every `everyMs`: counts, in flight, the source's backlog and the acknowledged rate. */
function reportProgress(p: IngestPipeline, source: IngestSource, everyMs: number, countsDuplicates: boolean, notify: Notify): () => void {
  let lastAcked = 0;
  let lastAt = Date.now();
  const timer = setInterval(() => {
    void source.backlog().then((backlog) => {
      const now = Date.now();
      const rate = ((p.counters.acked - lastAcked) * 1000) / Math.max(1, now - lastAt);
      lastAcked = p.counters.acked;
      lastAt = now;
      notify(formatProgress(p.counters, p.inFlight, backlog, rate, countsDuplicates));
    });
  }, everyMs);
  return () => clearInterval(timer);
}

/** A run that ended with refused or unacknowledged publishes is a failure (exit 1), said with what to do. */
function checkEverythingStored(publisher: Publisher, leftUnconfirmed: number, source: IngestSource, prefix: string, label: string): void {
  const refused = publisher.refusals?.() ?? 0;
  if (refused > 0) {
    throw new RuntimeError(`the server refused ${refused} ${refused === 1 ? "publish" : "publishes"} (see above): the user needs permission to publish to ${prefix}.>`);
  }
  if (leftUnconfirmed > 0) {
    const where = source.resumes === false ? `${label} keeps no position: run it again to send them` : "left at the source for the next start";
    throw new RuntimeError(`stopped with ${leftUnconfirmed} ${leftUnconfirmed === 1 ? "event" : "events"} not acknowledged by JetStream; ${where}`);
  }
}

/** Flushes what is buffered (core mode); never hangs on a server that went away. */
async function drainAndClose(nc: NatsConnection): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([nc.drain().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
  clearTimeout(timer);
  await nc.close().catch(() => undefined);
}

function emptyCounters(): IngestCounters {
  return { read: 0, published: 0, acked: 0, duplicates: 0, invalid: 0, unknownType: 0, rejected: 0, retries: 0 };
}
