// JetStream consumer administration: flags -> ConsumerConfig, idempotent add, edit with a diff, info/list/rm,
// and reading through a consumer (`next` for a fixed count, `sub` until interrupted), acking as messages are shown.
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConsumerConfig, ConsumerInfo, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { RuntimeError, UsageError } from "../errors.js";
import { formatCount, formatDuration, parseCount, parseDuration } from "../text/units.js";
import { sanitizeText } from "../text/sanitize.js";
import { booleanEditFlag, diffConfig, type ConfigFieldSchema, editCommandText, editFlagsFor, shellQuote, type ConfigChange, type EditFlag, type EditFlags } from "./config-diff.js";
import { apiErrorCode, describeJetStreamError, requireServerVersion } from "./jetstream.js";
import { parseStartTime } from "./replay-start.js";
import { applyMetadataFlags, checkApiName, checkSubject, checkStreamName, countFlagText, NS_PER_MS, oneOf, parseDurationNs, parsePositiveDurationNs, readConfigFile, streamInfo, durationFlagText } from "./streams.js";
import type { PromptField } from "../prompt/fields.js";

export interface ConsumerFlags {
  target?: string;
  deliverGroup?: string;
  heartbeat?: string;
  flowControl?: boolean;
  deliver?: string;
  ack?: string;
  replay?: string;
  filter?: string[];
  maxDeliver?: string;
  maxPending?: string;
  wait?: string;
  maxWaiting?: string;
  inactiveThreshold?: string;
  description?: string;
  /** key=value, repeatable (2.10+); `key=` removes a key. */
  metadata?: string[];
  /** A duration from now (1h) or an RFC 3339 time (2.11+). */
  pauseUntil?: string;
}

export function checkConsumerName(name: string): string {
  return checkApiName(name, "consumer name");
}

export const parseAck = (text: string): ConsumerConfig["ack_policy"] =>
  oneOf(text, "--ack", { explicit: "explicit", none: "none", all: "all" } as const, "explicit, none or all");

export const parseReplay = (text: string): ConsumerConfig["replay_policy"] =>
  oneOf(text, "--replay", { instant: "instant", original: "original" } as const, "instant or original");

export interface DeliverChoice {
  deliver_policy: ConsumerConfig["deliver_policy"];
  opt_start_seq?: number;
  opt_start_time?: string;
  /** A start time computed from "now" (--deliver 1h): different on every run, so not compared by idempotent add. */
  relative: boolean;
}

const DELIVER_ACCEPTED = "all, new, last, last-per-subject, a sequence (1000), a duration (1h) or an RFC 3339 time";

/** --deliver all|new|last|last-per-subject|<sequence>|<duration like 1h>|<RFC 3339 time>. */
export function parseDeliver(text: string, now = Date.now()): DeliverChoice {
  const v = text.trim().toLowerCase();
  switch (v) {
    case "all":
    case "new":
    case "last":
      return { deliver_policy: v, relative: false };
    case "last-per-subject":
    case "last_per_subject":
    case "subject":
      return { deliver_policy: "last_per_subject", relative: false };
  }
  if (/^\d+$/.test(v)) {
    const seq = Number(v);
    if (seq < 1) throw new UsageError(`invalid --deliver '${text}': sequences start at 1`);
    return { deliver_policy: "by_start_sequence", opt_start_seq: seq, relative: false };
  }
  try {
    const relative = !/^\d{4}-\d{2}-\d{2}/.test(v);
    return { deliver_policy: "by_start_time", opt_start_time: parseStartTime(text, "--deliver", now).toISOString(), relative };
  } catch {
    throw new UsageError(`invalid --deliver '${text}': use ${DELIVER_ACCEPTED}`);
  }
}

export interface BuiltConsumerConfig {
  config: Partial<ConsumerConfig>;
  /** Fields that idempotent add must not compare (a relative start time). */
  ignore: string[];
}

/** Overlays the given flags on `base`; checks that push-only and pull-only settings fit the consumer's kind. */
export function applyConsumerFlags(base: Partial<ConsumerConfig>, flags: ConsumerFlags, now = Date.now()): BuiltConsumerConfig {
  const cfg: Partial<ConsumerConfig> = { ...base };
  const ignore: string[] = [];
  if (flags.target !== undefined) {
    if (flags.target === "") delete cfg.deliver_subject;
    else cfg.deliver_subject = checkSubject(flags.target, "--target");
  }
  if (flags.deliverGroup !== undefined) cfg.deliver_group = checkApiName(flags.deliverGroup, "--deliver-group");
  if (flags.heartbeat !== undefined) cfg.idle_heartbeat = parsePositiveDurationNs(flags.heartbeat, "--heartbeat");
  if (flags.flowControl !== undefined) cfg.flow_control = flags.flowControl;
  if (flags.deliver !== undefined) {
    const d = parseDeliver(flags.deliver, now);
    cfg.deliver_policy = d.deliver_policy;
    delete cfg.opt_start_seq;
    delete cfg.opt_start_time;
    if (d.opt_start_seq !== undefined) cfg.opt_start_seq = d.opt_start_seq;
    if (d.opt_start_time !== undefined) cfg.opt_start_time = d.opt_start_time;
    if (d.relative) ignore.push("opt_start_time");
  }
  if (flags.ack !== undefined) cfg.ack_policy = parseAck(flags.ack);
  if (flags.replay !== undefined) cfg.replay_policy = parseReplay(flags.replay);
  if (flags.filter !== undefined) {
    const subjects = flags.filter.map((s) => checkSubject(s, "--filter"));
    delete cfg.filter_subject;
    delete cfg.filter_subjects;
    if (subjects.length === 1) cfg.filter_subject = subjects[0]!;
    else if (subjects.length > 1) cfg.filter_subjects = subjects;
  }
  if (flags.maxDeliver !== undefined) {
    const n = parseCount(flags.maxDeliver, "--max-deliver", true);
    if (n === 0) throw new UsageError(`invalid --max-deliver '${flags.maxDeliver}': use 1 or more, or unlimited`);
    cfg.max_deliver = n;
  }
  if (flags.maxPending !== undefined) cfg.max_ack_pending = parseCount(flags.maxPending, "--max-pending", true);
  if (flags.wait !== undefined) cfg.ack_wait = parsePositiveDurationNs(flags.wait, "--wait");
  if (flags.maxWaiting !== undefined) cfg.max_waiting = parseCount(flags.maxWaiting, "--max-waiting");
  if (flags.inactiveThreshold !== undefined) cfg.inactive_threshold = parseDurationNs(flags.inactiveThreshold, "--inactive-threshold");
  if (flags.description !== undefined) cfg.description = flags.description;
  if (flags.metadata !== undefined) cfg.metadata = applyMetadataFlags(cfg.metadata, flags.metadata);
  if (flags.pauseUntil !== undefined) {
    (cfg as Record<string, unknown>).pause_until = parsePauseUntil(flags.pauseUntil, "--pause-until", now).toISOString();
    // A moment in the future is not a setting idempotent add can compare from one run to the next.
    ignore.push("pause_until");
  }

  const push = typeof cfg.deliver_subject === "string" && cfg.deliver_subject !== "";
  if (!push) {
    const pushOnly = [
      [flags.deliverGroup, "--deliver-group"],
      [flags.heartbeat, "--heartbeat"],
      [flags.flowControl ? true : undefined, "--flow-control"],
    ].filter(([v]) => v !== undefined);
    if (pushOnly.length > 0) throw new UsageError(`${pushOnly.map(([, f]) => f).join(", ")} need --target SUBJECT (a push consumer)`);
  } else {
    if (flags.maxWaiting !== undefined) throw new UsageError("--max-waiting is for pull consumers; drop it or drop --target");
    if (cfg.flow_control && !cfg.idle_heartbeat) throw new UsageError("--flow-control needs --heartbeat (e.g. --heartbeat 5s)");
    if (cfg.deliver_group && (cfg.flow_control || cfg.idle_heartbeat)) {
      throw new UsageError("--deliver-group does not go with --heartbeat or --flow-control (the server refuses queue groups with them)");
    }
  }
  return { config: cfg, ignore };
}

/** When a paused consumer resumes: a duration from now (30m, 2h) or an RFC 3339 time in the future. */
export function parsePauseUntil(text: string, flag: string, now = Date.now()): Date {
  const t = text.trim();
  let until: Date;
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) until = new Date(t);
  else {
    try {
      until = new Date(now + parseDuration(t, flag));
    } catch {
      until = new Date(NaN);
    }
  }
  if (Number.isNaN(until.getTime()) || until.getTime() <= now) {
    throw new UsageError(`invalid ${flag} '${sanitizeText(text)}': use a duration from now (30m, 2h) or a future RFC 3339 time (2030-01-01T00:00:00Z)`);
  }
  return until;
}

/** The defaults: a pull consumer reading everything, explicit acks, instant replay. */
/** ConsumerConfig as nats.js 3.3 types it (servers 2.9 to 2.12), with the kind of value each field holds. */
export const CONSUMER_CONFIG_SCHEMA: ConfigFieldSchema = {
  fields: {
    name: "string", durable_name: "string", description: "string", deliver_subject: "string", deliver_group: "string",
    deliver_policy: { oneOf: ["all", "last", "new", "by_start_sequence", "by_start_time", "last_per_subject"] },
    opt_start_seq: "int", opt_start_time: "string", ack_policy: { oneOf: ["none", "all", "explicit"] },
    ack_wait: "nanos", max_deliver: "int", backoff: "nanosList", filter_subject: "string", filter_subjects: "strings",
    replay_policy: { oneOf: ["instant", "original"] }, rate_limit_bps: "int", sample_freq: "string",
    max_waiting: "int", max_ack_pending: "int", idle_heartbeat: "nanos", flow_control: "bool", headers_only: "bool",
    max_batch: "int", max_expires: "nanos", max_bytes: "int", inactive_threshold: "nanos", num_replicas: "int",
    mem_storage: "bool", metadata: "object", pause_until: "string", priority_groups: "strings",
    priority_policy: "string", priority_timeout: "nanos", pinned_ttl: "nanos",
  },
  flagHints: {
    ack_wait: "--wait 30s", idle_heartbeat: "--heartbeat 5s", inactive_threshold: "--inactive-threshold 1h",
    max_deliver: "--max-deliver 5", max_ack_pending: "--max-pending 1000", max_waiting: "--max-waiting 512",
    deliver_policy: "--deliver all", ack_policy: "--ack explicit", replay_policy: "--replay instant",
    filter_subject: "--filter SUBJECT", filter_subjects: "--filter SUBJECT (repeated)",
  },
};

/** A consumer --config file: the API's ConsumerConfig, or a `consumer info --json` document. */
export function readConsumerConfigFile(path: string, flag = "--config"): Record<string, unknown> {
  return readConfigFile(path, flag, CONSUMER_CONFIG_SCHEMA);
}

export function defaultConsumerConfig(): Partial<ConsumerConfig> {
  return { ack_policy: "explicit", deliver_policy: "all", replay_policy: "instant" };
}

/** The questions `consumer add` asks on a terminal; each names the flag that answers it. */
export function consumerPromptFields(): PromptField[] {
  return [
    { key: "target", flag: "--target", label: "Push delivery subject, empty for a pull consumer", defaultText: "", check: (t) => void checkSubject(t, "--target") },
    { key: "deliver", flag: "--deliver", label: "Start with", hint: "all|new|last|last-per-subject|1h|<seq>|<time>", defaultText: "all", check: (t) => void parseDeliver(t) },
    { key: "ack", flag: "--ack", label: "Acknowledgement", hint: "explicit|none|all", defaultText: "explicit", check: parseAck },
    { key: "filter", flag: "--filter", label: "Only subjects", hint: "comma separated, empty for all", defaultText: "", list: true, check: (t) => t.split(/[\s,]+/).filter(Boolean).forEach((s) => checkSubject(s, "--filter")) },
    { key: "maxDeliver", flag: "--max-deliver", label: "Maximum deliveries of a message", hint: "e.g. 5, unlimited", defaultText: "unlimited", check: (t) => void parseCount(t, "--max-deliver", true) },
  ];
}

/** Consumer settings nats-server 2.9 does not have: refused by name, never replaced by something else. */
export function requireConsumerFeatures(nc: NatsConnection, cfg: Partial<ConsumerConfig>): void {
  if (Array.isArray(cfg.filter_subjects) && cfg.filter_subjects.length > 0) {
    requireServerVersion(nc, "2.10.0", `several --filter subjects (filter_subjects: ${cfg.filter_subjects.join(", ")})`);
  }
  if (cfg.metadata && Object.keys(cfg.metadata).length > 0) requireServerVersion(nc, "2.10.0", "consumer metadata");
  if ((cfg as Record<string, unknown>).pause_until) requireServerVersion(nc, "2.11.0", "pausing a consumer (--pause-until)");
}

// ---------------------------------------------------------------------------------------------------------
// Values shown to people and flags that reproduce them.

const NANOS_FIELDS = new Set(["ack_wait", "idle_heartbeat", "inactive_threshold", "max_expires"]);
const UNLIMITED_FIELDS = new Set(["max_deliver", "max_ack_pending"]);

export function showConsumerValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return "(unset)";
  if (typeof value === "number") {
    if (NANOS_FIELDS.has(field)) return value <= 0 ? "none" : formatDuration(value / NS_PER_MS);
    if (UNLIMITED_FIELDS.has(field)) return value < 0 ? "unlimited" : formatCount(value);
    return formatCount(value);
  }
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** deliver_policy as its --deliver value: by_start_* take the start from the change to opt_start_seq/_time. */
function deliverFlagText(policy: unknown, changed: ReadonlyMap<string, unknown>): string {
  if (policy === "by_start_sequence") return String(changed.get("opt_start_seq"));
  if (policy === "by_start_time") return String(changed.get("opt_start_time"));
  return policy === "last_per_subject" ? "last-per-subject" : String(policy);
}

/** A start sequence or time is the --deliver value, unless deliver_policy changed too and its flag says it. */
const startEditFlag: EditFlag = (to, changed) => (changed.has("deliver_policy") ? [] : ["--deliver", shellQuote(String(to))]);

const CONSUMER_EDIT_FLAGS: Record<string, EditFlag> = {
  ack_wait: (to) => ["--wait", durationFlagText(to as number)],
  idle_heartbeat: (to) => ["--heartbeat", durationFlagText(to as number)],
  inactive_threshold: (to) => ["--inactive-threshold", durationFlagText(to as number)],
  max_deliver: (to) => ["--max-deliver", countFlagText(to as number)],
  max_ack_pending: (to) => ["--max-pending", countFlagText(to as number)],
  max_waiting: (to) => ["--max-waiting", String(to)],
  description: (to) => ["--description", shellQuote(String(to ?? ""))],
  filter_subject: (to) => ["--filter", shellQuote(String(to))],
  filter_subjects: (to) => (to as string[]).flatMap((subject) => ["--filter", shellQuote(subject)]),
  ack_policy: (to) => ["--ack", String(to)],
  replay_policy: (to) => ["--replay", String(to)],
  deliver_subject: (to) => ["--target", shellQuote(String(to))],
  deliver_group: (to) => ["--deliver-group", shellQuote(String(to))],
  flow_control: booleanEditFlag("flow-control"),
  deliver_policy: (to, changed) => ["--deliver", shellQuote(deliverFlagText(to, changed))],
  metadata: (to) => Object.entries((to ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith("_nats.")).flatMap(([k, v]) => ["--metadata", shellQuote(`${k}=${v}`)]),
  pause_until: (to) => ["--pause-until", shellQuote(String(to))],
  opt_start_seq: startEditFlag,
  opt_start_time: startEditFlag,
};

/** The `consumer edit` flags that would apply `changes`; fields without a flag are returned apart. */
export function consumerEditFlags(changes: ConfigChange[]): EditFlags {
  return editFlagsFor(changes, CONSUMER_EDIT_FLAGS);
}

export function consumerEditCommand(stream: string, name: string, changes: ConfigChange[], configFile?: string): string {
  return editCommandText(["consumer", "edit", stream, name], consumerEditFlags(changes), configFile);
}

// ---------------------------------------------------------------------------------------------------------
// Talking to JetStream.

export const ERR_CONSUMER_NOT_FOUND = 10014;

export function isConsumerNotFound(err: unknown): boolean {
  return (err as Error)?.name === "ConsumerNotFoundError" || apiErrorCode(err) === ERR_CONSUMER_NOT_FOUND;
}

async function findConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (err) {
    if (isConsumerNotFound(err)) return undefined;
    throw describeJetStreamError(err, `consumer info ${stream} ${name}`);
  }
}

/** Consumer info; a missing stream or consumer is one line with its err_code and how to list what exists. */
export async function consumerInfo(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo> {
  checkStreamName(stream);
  checkConsumerName(name);
  await streamInfo(jsm, stream);
  const ci = await findConsumer(jsm, stream, name);
  if (!ci) {
    throw new RuntimeError(`consumer '${name}' not found on stream '${stream}' (err_code ${ERR_CONSUMER_NOT_FOUND}); 'nsm4home consumer ls ${stream}' lists them`);
  }
  return ci;
}

export type AddConsumerOutcome =
  | { kind: "created"; info: ConsumerInfo }
  | { kind: "same"; info: ConsumerInfo }
  | { kind: "different"; info: ConsumerInfo; changes: ConfigChange[] };

/** Creates the consumer (durable unless `ephemeral`), or compares with the one of the same name. */
export async function addConsumer(
  jsm: JetStreamManager,
  stream: string,
  wanted: Partial<ConsumerConfig>,
  opts: { name?: string; ephemeral?: boolean; ignore?: string[] },
): Promise<AddConsumerOutcome> {
  checkStreamName(stream);
  await streamInfo(jsm, stream);
  const cfg: Partial<ConsumerConfig> = { ...wanted };
  if (opts.name !== undefined) {
    checkConsumerName(opts.name);
    if (opts.ephemeral) cfg.name = opts.name;
    else cfg.durable_name = opts.name;
    const existing = await findConsumer(jsm, stream, opts.name);
    if (existing) {
      const changes = diffConfig(existing.config, cfg, ["name", "durable_name", ...(opts.ignore ?? [])]);
      return changes.length === 0 ? { kind: "same", info: existing } : { kind: "different", info: existing, changes };
    }
  }
  try {
    return { kind: "created", info: await jsm.consumers.add(stream, cfg) };
  } catch (err) {
    throw describeJetStreamError(err, `consumer add ${stream}${opts.name ? " " + opts.name : ""}`);
  }
}

/** nats-server's JSConsumerStartTimeErr (a consumer's opt_start_time can not change). */
const ERR_START_TIME_NOT_UPDATABLE = 10012;

/** Sends `cfg` (the changed fields) as an update; `current`, the consumer's config, explains a refusal. */
export async function updateConsumer(jsm: JetStreamManager, stream: string, name: string, cfg: Partial<ConsumerConfig>, current: Partial<ConsumerConfig> = {}): Promise<ConsumerInfo> {
  try {
    return await jsm.consumers.update(stream, name, cfg);
  } catch (err) {
    const start = { ...current, ...cfg };
    if (apiErrorCode(err) === ERR_START_TIME_NOT_UPDATABLE && start.deliver_policy === "by_start_time" && cfg.opt_start_time === undefined) {
      // nats-server 2.9 compares the start time it holds with the one sent back unchanged, and never finds them equal.
      throw new RuntimeError(
        `consumer edit ${stream} ${name}: the server says "start time can not be updated" (err_code 10012) although the ` +
          `start time was left as it is: nats-server before 2.10 refuses every edit of a consumer that starts at a time ` +
          `(--deliver 1h or a time). Upgrade nats-server, or remove the consumer and add it again with the new settings ` +
          `and --deliver ${start.opt_start_time ?? "<time>"}`,
      );
    }
    throw describeJetStreamError(err, `consumer edit ${stream} ${name}`);
  }
}

export async function listConsumers(jsm: JetStreamManager, stream: string): Promise<ConsumerInfo[]> {
  checkStreamName(stream);
  await streamInfo(jsm, stream);
  const out: ConsumerInfo[] = [];
  try {
    for await (const ci of jsm.consumers.list(stream)) out.push(ci);
  } catch (err) {
    throw describeJetStreamError(err, `consumer ls ${stream}`);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function deleteConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  await consumerInfo(jsm, stream, name);
  try {
    await jsm.consumers.delete(stream, name);
  } catch (err) {
    throw describeJetStreamError(err, `consumer rm ${stream} ${name}`);
  }
}

/** What to do with each message once it has been written out. */
export type AckAction = "ack" | "nak" | "term" | "none";

async function settle(m: JsMsg, action: AckAction, policy: ConsumerConfig["ack_policy"]): Promise<void> {
  if (policy === "none" || action === "none") return;
  if (action === "nak") m.nak();
  else if (action === "term") m.term();
  // Wait for the server to confirm, so "exit 0" means the acks were taken.
  else await m.ackAck();
}

export interface NextOptions {
  count: number;
  waitMs: number;
  action: AckAction;
}

/** Pulls `count` messages one at a time; each is handed to `onMessage` (which writes it) and then settled. */
export async function nextMessages(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  opts: NextOptions,
  onMessage: (m: JsMsg, info: ConsumerInfo) => Promise<void>,
): Promise<number> {
  const ci = await consumerInfo(jsm, stream, name);
  if (ci.config.deliver_subject) {
    throw new RuntimeError(
      `consumer '${name}' is a push consumer (it delivers to ${ci.config.deliver_subject}); 'consumer next' reads pull consumers: use 'nsm4home consumer sub ${stream} ${name}'`,
    );
  }
  const consumer = jsm.jetstream().consumers.getConsumerFromInfo(ci);
  for (let received = 0; received < opts.count; received++) {
    let m: JsMsg | null;
    try {
      // The client asks the server for at least a second; shorter --wait values are rounded up to it.
      m = await consumer.next({ expires: Math.max(1000, opts.waitMs) });
    } catch (err) {
      throw describeJetStreamError(err, `consumer next ${stream} ${name}`);
    }
    if (m === null) {
      throw new RuntimeError(
        `no message from consumer '${name}' within ${formatDuration(Math.max(1000, opts.waitMs))} (received ${received} of ${opts.count}); raise --wait or check 'nsm4home consumer info ${stream} ${name}'`,
      );
    }
    await onMessage(m, ci);
    await settle(m, opts.action, ci.config.ack_policy);
  }
  return opts.count;
}

export interface FollowOptions {
  count?: number;
  action: AckAction;
  signal: AbortSignal;
  /** A first delivery of a stream sequence already shown (a server that lost its consumer state on a crash). */
  onReplay?: (streamSequence: number) => void;
}

/**
 * Remembers the stream sequences shown in this session. A server killed before it stored the consumer's acks
 * delivers those messages again as first deliveries (delivery count 1, same stream sequence): scripts counting
 * `consumer sub` output would count them twice. A real redelivery (count > 1) is still shown: it says so itself.
 */
export class ReplayGuard {
  private readonly seen = new Set<number>();
  private readonly order: number[] = [];

  constructor(private readonly limit = 100_000) {}

  isReplay(streamSequence: number, deliveryCount: number): boolean {
    if (this.seen.has(streamSequence)) return deliveryCount <= 1;
    this.seen.add(streamSequence);
    this.order.push(streamSequence);
    if (this.order.length > this.limit) this.seen.delete(this.order.shift()!);
    return false;
  }
}

/** Follows a pull or push consumer until `signal` aborts (or `count` messages), settling each after it is shown. */
export async function followConsumer(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  opts: FollowOptions,
  onMessage: (m: JsMsg, info: ConsumerInfo) => Promise<void>,
): Promise<number> {
  const ci = await consumerInfo(jsm, stream, name);
  const js = jsm.jetstream();
  let messages;
  try {
    if (ci.config.deliver_subject) {
      const push = await js.consumers.getPushConsumer(stream, name);
      messages = await push.consume();
    } else {
      messages = await js.consumers.getConsumerFromInfo(ci).consume({ max_messages: 100 });
    }
  } catch (err) {
    throw describeJetStreamError(err, `consumer sub ${stream} ${name}`);
  }
  const stop = () => void messages.close();
  if (opts.signal.aborted) stop();
  opts.signal.addEventListener("abort", stop, { once: true });
  let received = 0;
  const replays = new ReplayGuard();
  try {
    for await (const m of messages) {
      if (replays.isReplay(m.info.streamSequence, m.info.deliveryCount)) {
        // Already shown and settled in this session: settle again so the server moves on, print nothing.
        await settle(m, opts.action, ci.config.ack_policy);
        opts.onReplay?.(m.info.streamSequence);
        continue;
      }
      await onMessage(m, ci);
      await settle(m, opts.action, ci.config.ack_policy);
      received++;
      if (opts.count !== undefined && received >= opts.count) break;
    }
  } finally {
    opts.signal.removeEventListener("abort", stop);
    await messages.close().catch(() => undefined);
  }
  return received;
}

/** Pauses a consumer until `until` (nats-server 2.11+): it delivers nothing until then, or until resumed. */
export async function pauseConsumer(jsm: JetStreamManager, nc: NatsConnection, stream: string, name: string, until: Date): Promise<{ paused: boolean; pause_until?: string }> {
  requireServerVersion(nc, "2.11.0", "consumer pause");
  await consumerInfo(jsm, stream, name);
  try {
    return await jsm.consumers.pause(stream, name, until);
  } catch (err) {
    throw describeJetStreamError(err, `consumer pause ${stream} ${name}`);
  }
}

/** Resumes a paused consumer now (nats-server 2.11+). */
export async function resumeConsumer(jsm: JetStreamManager, nc: NatsConnection, stream: string, name: string): Promise<{ paused: boolean }> {
  requireServerVersion(nc, "2.11.0", "consumer resume");
  await consumerInfo(jsm, stream, name);
  try {
    return await jsm.consumers.resume(stream, name);
  } catch (err) {
    throw describeJetStreamError(err, `consumer resume ${stream} ${name}`);
  }
}
