// JetStream stream administration: flags -> StreamConfig, idempotent add, edit with a diff, info/list/rm/purge,
// per-subject counts, single messages, and replaying a range of messages (`stream view`).
import { readFileSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager, PurgeOpts, PurgeResponse, StoredMsg, StreamConfig, StreamInfo } from "@nats-io/jetstream";
import { RuntimeError, UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";
import { parseCount, parseDuration, parseSize, formatBytes, formatCount, formatDuration } from "../text/units.js";
import { booleanEditFlag, checkConfigFields, diffConfig, editCommandText, editFlagsFor, shellQuote, type ConfigChange, type ConfigFieldSchema, type EditFlag, type EditFlags } from "./config-diff.js";
import { apiErrorCode, describeJetStreamError, requireServerVersion } from "./jetstream.js";
import { nsmStreamConfig } from "./stream-defaults.js";
import type { PromptField } from "../prompt/fields.js";

/** The stream flags as commander hands them over: text, parsed here so errors name the flag. */
export interface StreamFlags {
  subjects?: string[];
  storage?: string;
  retention?: string;
  discard?: string;
  maxAge?: string;
  maxBytes?: string;
  maxMsgs?: string;
  maxMsgsPerSubject?: string;
  maxMsgSize?: string;
  dupeWindow?: string;
  replicas?: string;
  description?: string;
  allowDirect?: boolean;
  denyDelete?: boolean;
  denyPurge?: boolean;
  /** key=value, repeatable (2.10+); `key=` removes a key. */
  metadata?: string[];
  compression?: string;
  transformSource?: string;
  transformDestination?: string;
  allowMsgTtl?: boolean;
  subjectDelMarkersTtl?: string;
}

export type WantedStreamConfig = Partial<StreamConfig> & { name: string };

export const NS_PER_MS = 1_000_000;

/** One of a fixed set of words (case-insensitive), or a UsageError naming the flag and what it takes. */
export function oneOf<T extends string>(text: string, flag: string, table: Record<string, T>, accepted: string): T {
  const value = table[text.trim().toLowerCase()];
  if (value === undefined) throw new UsageError(`invalid ${flag} '${text}': use ${accepted}`);
  return value;
}

export const parseStorage = (text: string) =>
  oneOf(text, "--storage", { file: "file", f: "file", memory: "memory", m: "memory" } as const, "file or memory");

export const parseRetention = (text: string) =>
  oneOf(
    text,
    "--retention",
    { limits: "limits", interest: "interest", work: "workqueue", workq: "workqueue", workqueue: "workqueue" } as const,
    "limits, interest or work",
  );

export const parseDiscard = (text: string) => oneOf(text, "--discard", { old: "old", new: "new" } as const, "old or new");

export const parseCompression = (text: string) => oneOf(text, "--compression", { none: "none", s2: "s2" } as const, "none or s2");

/** Metadata keys nats-server 2.11+ writes itself (`_nats.ver`, `_nats.level`...): not ours to compare or show. */
export const isServerMetadataKey = (key: string) => key.startsWith("_nats.");

/** `--metadata key=value` items laid over `current` (an edit keeps the keys it does not name); `key=` removes one. */
export function applyMetadataFlags(current: Record<string, string> | undefined, items: string[], flag = "--metadata"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (!isServerMetadataKey(k)) out[k] = v;
  for (const item of items) {
    const eq = item.indexOf("=");
    const key = eq > 0 ? item.slice(0, eq).trim() : "";
    if (key === "" || !isSafeText(item)) throw new UsageError(`invalid ${flag} '${sanitizeText(item)}': use key=value, e.g. ${flag} owner=lab`);
    if (isServerMetadataKey(key)) throw new UsageError(`invalid ${flag} '${sanitizeText(item)}': keys starting with _nats. belong to the server`);
    const value = item.slice(eq + 1);
    if (value === "") delete out[key];
    else out[key] = value;
  }
  return out;
}

function isUnlimited(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === "unlimited" || t === "-1" || t === "0" || t === "none";
}

/** Limits where 0 means "no limit" in the API (max_age): "unlimited", -1 or 0, else a duration. */
export function parseLimitDurationNs(text: string, flag: string): number {
  if (isUnlimited(text)) return 0;
  return parseDurationNs(text, flag);
}

/** A duration flag in nanoseconds, as the JetStream API takes it. */
export function parseDurationNs(text: string, flag: string): number {
  return Math.round(parseDuration(text, flag) * NS_PER_MS);
}

/** A duration that must be positive (duplicate window, ack wait), in nanoseconds. */
export function parsePositiveDurationNs(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms <= 0) throw new UsageError(`invalid ${flag} '${text}': use a duration above zero, e.g. 2m`);
  return Math.round(ms * NS_PER_MS);
}

/** The server keeps max_msg_size in a Go int32: anything larger is refused as "invalid JSON". */
export const MAX_MSG_SIZE_LIMIT = 2 ** 31 - 1;

export function parseMaxMsgSize(text: string): number {
  const bytes = parseSize(text, "--max-msg-size");
  if (bytes > MAX_MSG_SIZE_LIMIT) {
    throw new UsageError(`invalid --max-msg-size '${text}': at most ${MAX_MSG_SIZE_LIMIT} bytes (2GiB less one byte, a 32-bit field), or unlimited`);
  }
  return bytes;
}

export function parseReplicas(text: string): number {
  // "-1" is a whole number, just not a replica count: say the range rather than "use a whole number".
  const n = /^\s*-\d+\s*$/.test(text) ? -1 : parseCount(text, "--replicas");
  if (n < 1 || n > 5) throw new UsageError(`invalid --replicas '${text}': use 1 to 5 (and no more than the servers in the cluster)`);
  return n;
}

/** NATS subjects: dot-separated tokens, no spaces, wildcards `*` and a final `>`. */
export function checkSubject(subject: string, flag: string): string {
  const tokens = subject.split(".");
  const bad =
    subject === "" ||
    /\s/u.test(subject) ||
    !isSafeText(subject) ||
    tokens.some((t, i) => t === "" || (t.includes(">") && (t !== ">" || i !== tokens.length - 1)) || (t.includes("*") && t !== "*"));
  if (bad) throw new UsageError(`invalid ${flag} '${sanitizeText(subject)}': use a NATS subject such as suricata.> or suricata.dns`);
  return subject;
}

/**
 * Stream and consumer names as nats-server and natscli allow them: no whitespace, `.`, `*`, `>`, path separators,
 * and (stricter than the server, which takes them) no control, bidi or invisible characters, which would make the
 * name rewrite the terminal of whoever lists it. The rejected name is shown escaped.
 */
export function checkApiName(name: string, what: string): string {
  if (name === "" || /[\s.*>/\\]/u.test(name) || !isSafeText(name) || name.length > 255) {
    throw new UsageError(
      `invalid ${what} '${sanitizeText(name)}': use letters, digits, - and _, at most 255 characters ` +
        "(no whitespace, dots, *, >, slashes, control or invisible characters)",
    );
  }
  return name;
}

export function checkStreamName(name: string): string {
  return checkApiName(name, "stream name");
}

/** Overlays the flags that were given on `base`; fields not given keep the base's value. */
export function applyStreamFlags<T extends Partial<StreamConfig>>(base: T, flags: StreamFlags): T {
  const cfg: Partial<StreamConfig> = { ...base };
  if (flags.subjects !== undefined) {
    if (flags.subjects.length === 0) throw new UsageError("invalid --subjects: give at least one subject, e.g. --subjects 'suricata.>'");
    cfg.subjects = flags.subjects.map((s) => checkSubject(s, "--subjects"));
  }
  if (flags.storage !== undefined) cfg.storage = parseStorage(flags.storage);
  if (flags.retention !== undefined) cfg.retention = parseRetention(flags.retention);
  if (flags.discard !== undefined) cfg.discard = parseDiscard(flags.discard);
  if (flags.maxAge !== undefined) cfg.max_age = parseLimitDurationNs(flags.maxAge, "--max-age");
  if (flags.maxBytes !== undefined) cfg.max_bytes = parseSize(flags.maxBytes, "--max-bytes");
  if (flags.maxMsgs !== undefined) cfg.max_msgs = parseCount(flags.maxMsgs, "--max-msgs", true);
  if (flags.maxMsgsPerSubject !== undefined) cfg.max_msgs_per_subject = parseCount(flags.maxMsgsPerSubject, "--max-msgs-per-subject", true);
  if (flags.maxMsgSize !== undefined) cfg.max_msg_size = parseMaxMsgSize(flags.maxMsgSize);
  if (flags.dupeWindow !== undefined) cfg.duplicate_window = parsePositiveDurationNs(flags.dupeWindow, "--dupe-window");
  if (flags.replicas !== undefined) cfg.num_replicas = parseReplicas(flags.replicas);
  if (flags.description !== undefined) cfg.description = flags.description;
  if (flags.allowDirect !== undefined) cfg.allow_direct = flags.allowDirect;
  if (flags.denyDelete !== undefined) cfg.deny_delete = flags.denyDelete;
  if (flags.denyPurge !== undefined) cfg.deny_purge = flags.denyPurge;
  if (flags.metadata !== undefined) cfg.metadata = applyMetadataFlags(cfg.metadata, flags.metadata);
  if (flags.compression !== undefined) cfg.compression = parseCompression(flags.compression) as StreamConfig["compression"];
  if (flags.transformSource !== undefined || flags.transformDestination !== undefined) {
    const dest = flags.transformDestination ?? "";
    if (dest === "" || !isSafeText(dest) || /\s/u.test(dest.replace(/\{\{[^}]*\}\}/g, ""))) {
      throw new UsageError(`invalid --transform-destination '${sanitizeText(dest)}': give the subject stored messages get, e.g. --transform-source 'dns.>' --transform-destination 'suricata.dns.>'`);
    }
    cfg.subject_transform = { src: checkSubject(flags.transformSource ?? ">", "--transform-source"), dest };
  }
  const extra = cfg as Record<string, unknown>;
  if (flags.allowMsgTtl !== undefined) extra.allow_msg_ttl = flags.allowMsgTtl;
  if (flags.subjectDelMarkersTtl !== undefined) extra.subject_delete_marker_ttl = parseLimitDurationNs(flags.subjectDelMarkersTtl, "--subject-del-markers-ttl");
  return cfg as T;
}

/** The questions `stream add` asks on a terminal; defaults are the NSM pipeline's (src/nats/stream-defaults.ts). */
export function streamPromptFields(): PromptField[] {
  const d = nsmStreamConfig();
  const unlimited = (n: number) => (n < 0 || n === 0 ? "unlimited" : String(n));
  return [
    { key: "subjects", flag: "--subjects", label: "Subjects", hint: "comma separated", defaultText: d.subjects.join(","), list: true, check: (t) => t.split(/[\s,]+/).filter(Boolean).forEach((s) => checkSubject(s, "--subjects")) },
    { key: "storage", flag: "--storage", label: "Storage", hint: "file|memory", defaultText: d.storage, check: parseStorage },
    { key: "retention", flag: "--retention", label: "Retention", hint: "limits|interest|work", defaultText: d.retention, check: parseRetention },
    { key: "discard", flag: "--discard", label: "Discard policy", hint: "old|new", defaultText: d.discard, check: parseDiscard },
    { key: "maxAge", flag: "--max-age", label: "Maximum age", hint: "e.g. 7d, 90d, unlimited", defaultText: unlimited(d.max_age), check: (t) => parseLimitDurationNs(t, "--max-age") },
    { key: "maxBytes", flag: "--max-bytes", label: "Maximum bytes", hint: "e.g. 10GiB, unlimited", defaultText: unlimited(d.max_bytes), check: (t) => parseSize(t, "--max-bytes") },
    { key: "maxMsgs", flag: "--max-msgs", label: "Maximum messages", hint: "e.g. 1000000, unlimited", defaultText: unlimited(d.max_msgs), check: (t) => parseCount(t, "--max-msgs", true) },
    { key: "maxMsgsPerSubject", flag: "--max-msgs-per-subject", label: "Maximum messages per subject", defaultText: unlimited(d.max_msgs_per_subject), check: (t) => parseCount(t, "--max-msgs-per-subject", true) },
    { key: "maxMsgSize", flag: "--max-msg-size", label: "Maximum message size", hint: "e.g. 1MiB, unlimited", defaultText: unlimited(d.max_msg_size), check: parseMaxMsgSize },
    { key: "dupeWindow", flag: "--dupe-window", label: "Duplicate window", hint: "e.g. 2m", defaultText: durationFlagText(d.duplicate_window), check: (t) => parsePositiveDurationNs(t, "--dupe-window") },
    { key: "replicas", flag: "--replicas", label: "Replicas", hint: "1-5", defaultText: String(d.num_replicas), check: parseReplicas },
  ];
}

/** StreamConfig as nats.js 3.3 types it (servers 2.9 to 2.12), with the kind of value each field holds. */
export const STREAM_CONFIG_SCHEMA: ConfigFieldSchema = {
  fields: {
    name: "string", description: "string", subjects: "strings",
    retention: { oneOf: ["limits", "interest", "workqueue"] }, storage: { oneOf: ["file", "memory"] },
    discard: { oneOf: ["old", "new"] }, discard_new_per_subject: "bool",
    max_consumers: "int", max_msgs: "int", max_msgs_per_subject: "int", max_bytes: "int", max_msg_size: "int32",
    max_age: "nanos", duplicate_window: "nanos", subject_delete_marker_ttl: "nanos",
    num_replicas: "int", no_ack: "bool", template_owner: "string", first_seq: "int",
    placement: "object", mirror: "object", sources: "objects", republish: "object", subject_transform: "object",
    consumer_limits: "object", metadata: "object", compression: { oneOf: ["none", "s2"] },
    sealed: "bool", deny_delete: "bool", deny_purge: "bool", allow_rollup_hdrs: "bool", allow_direct: "bool",
    mirror_direct: "bool", allow_msg_ttl: "bool", allow_msg_counter: "bool", allow_atomic: "bool",
    allow_msg_schedules: "bool", persist_mode: { oneOf: ["default", "async"] },
  },
  flagHints: {
    max_age: "--max-age 1h", duplicate_window: "--dupe-window 2m", max_bytes: "--max-bytes 10GiB",
    max_msg_size: "--max-msg-size 1MiB", max_msgs: "--max-msgs 1000000", max_msgs_per_subject: "--max-msgs-per-subject 100",
    num_replicas: "--replicas 3", subjects: "--subjects 'suricata.>'", retention: "--retention limits",
    storage: "--storage file", discard: "--discard old",
  },
};

/**
 * Reads a JSON configuration as the API takes it, or an `info --json` document (its `config`), and checks its
 * fields against `schema` (a stream's by default) so a typo or a "1h" where nanoseconds go stops here, by name.
 */
export function readConfigFile(path: string, flag = "--config", schema: ConfigFieldSchema = STREAM_CONFIG_SCHEMA): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${flag} file ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`invalid ${flag} file ${path}: not JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`invalid ${flag} file ${path}: expected a JSON object with the configuration`);
  }
  const obj = value as Record<string, unknown>;
  const inner = obj.config;
  const config = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? { ...(inner as Record<string, unknown>) } : { ...obj };
  checkConfigFields(config, schema, `${flag} ${path}`);
  return config;
}

/** Stream settings that nats-server 2.9 does not have: refuse them by name rather than create something else. */
export function requireStreamFeatures(nc: NatsConnection, cfg: Partial<StreamConfig>): void {
  const needs210: Array<[keyof StreamConfig, string]> = [
    ["metadata", "stream metadata"],
    ["subject_transform", "stream subject transforms"],
    ["compression", "stream compression"],
    ["first_seq", "a stream first sequence"],
    ["consumer_limits", "stream consumer limits"],
  ];
  const needs211: Array<[string, string]> = [
    ["allow_msg_ttl", "per-message TTLs (--allow-msg-ttl)"],
    ["subject_delete_marker_ttl", "subject delete markers (--subject-del-markers-ttl)"],
  ];
  const given = (v: unknown) => !(v === undefined || v === null || v === false || (typeof v === "object" && Object.keys(v).length === 0) || v === 0 || v === "none");
  for (const [key, feature] of needs210) if (given(cfg[key])) requireServerVersion(nc, "2.10.0", `${feature} (${key})`);
  for (const [key, feature] of needs211) if (given((cfg as Record<string, unknown>)[key])) requireServerVersion(nc, "2.11.0", feature);
}

// ---------------------------------------------------------------------------------------------------------
// Values shown to people and flags that reproduce them.

/** A duration in nanoseconds as a flag value that parses back exactly (1d2h, 90s, 1500ms). */
export function durationFlagText(ns: number): string {
  const ms = ns / NS_PER_MS;
  if (ms % 1000 === 0) return formatDuration(ms);
  return `${ms}ms`;
}

/** A byte count as a flag value that parses back exactly (10GiB, 512MiB, 1000). */
export function sizeFlagText(bytes: number): string {
  if (bytes < 0) return "unlimited";
  for (const [unit, size] of [["TiB", 1024 ** 4], ["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

const DURATION_FIELDS = new Set(["max_age", "duplicate_window"]);
const SIZE_FIELDS = new Set(["max_bytes", "max_msg_size"]);
const COUNT_FIELDS = new Set(["max_msgs", "max_msgs_per_subject", "max_consumers"]);

/** A stream config value in human units, as `stream info` and diffs show it. */
export function showStreamValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return "(unset)";
  if (typeof value === "number") {
    if (DURATION_FIELDS.has(field)) return value <= 0 ? "unlimited" : formatDuration(value / NS_PER_MS);
    if (SIZE_FIELDS.has(field)) return value < 0 ? "unlimited" : formatBytes(value);
    if (COUNT_FIELDS.has(field)) return value < 0 ? "unlimited" : formatCount(value);
    return String(value);
  }
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A message count as a flag value: -1 (the API's no limit) as unlimited. */
export function countFlagText(n: number): string {
  return n < 0 ? "unlimited" : String(n);
}

const STREAM_EDIT_FLAGS: Record<string, EditFlag> = {
  subjects: (to) => ["--subjects", shellQuote((to as string[]).join(","))],
  retention: (to) => ["--retention", to === "workqueue" ? "work" : String(to)],
  discard: (to) => ["--discard", String(to)],
  max_age: (to) => ["--max-age", (to as number) <= 0 ? "unlimited" : durationFlagText(to as number)],
  duplicate_window: (to) => ["--dupe-window", durationFlagText(to as number)],
  max_bytes: (to) => ["--max-bytes", sizeFlagText(to as number)],
  max_msg_size: (to) => ["--max-msg-size", sizeFlagText(to as number)],
  max_msgs: (to) => ["--max-msgs", countFlagText(to as number)],
  max_msgs_per_subject: (to) => ["--max-msgs-per-subject", countFlagText(to as number)],
  num_replicas: (to) => ["--replicas", String(to)],
  description: (to) => ["--description", shellQuote(String(to ?? ""))],
  allow_direct: booleanEditFlag("allow-direct"),
  compression: (to) => ["--compression", String(to)],
  metadata: (to) => Object.entries((to ?? {}) as Record<string, string>).filter(([k]) => !isServerMetadataKey(k)).flatMap(([k, v]) => ["--metadata", shellQuote(`${k}=${v}`)]),
  subject_transform: (to) => {
    const t = (to ?? {}) as { src?: string; dest?: string };
    return ["--transform-source", shellQuote(t.src || ">"), "--transform-destination", shellQuote(t.dest ?? "")];
  },
  allow_msg_ttl: (to) => (to ? ["--allow-msg-ttl"] : []),
  subject_delete_marker_ttl: (to) => ["--subject-del-markers-ttl", (to as number) <= 0 ? "0" : durationFlagText(to as number)],
  deny_delete: booleanEditFlag("deny-delete"),
  deny_purge: booleanEditFlag("deny-purge"),
};

/** The config fields whose flag values a user types in units (20GB, 7d), keyed by their StreamFlags name. */
const TYPED_UNIT_FLAGS = {
  maxAge: "max_age",
  maxBytes: "max_bytes",
  maxMsgs: "max_msgs",
  maxMsgsPerSubject: "max_msgs_per_subject",
  maxMsgSize: "max_msg_size",
  dupeWindow: "duplicate_window",
} as const satisfies Partial<Record<keyof StreamFlags, string>>;

/** The unit-bearing flag values as the user typed them, keyed by config field, so a suggestion echoes `20GB`. */
export function streamFlagsAsTyped(flags: StreamFlags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(TYPED_UNIT_FLAGS)) {
    const text = flags[key as keyof typeof TYPED_UNIT_FLAGS];
    if (text !== undefined) out[field] = text.trim();
  }
  return out;
}

/**
 * The `stream edit` flags that would apply `changes`; fields without a flag are returned apart. A field in
 * `typed` keeps the user's own spelling (20GB rather than 19531250KiB): it parses back to the same value.
 */
export function streamEditFlags(changes: ConfigChange[], typed: Readonly<Record<string, string>> = {}): EditFlags {
  const table: Record<string, EditFlag> = { ...STREAM_EDIT_FLAGS };
  for (const [field, text] of Object.entries(typed)) {
    const flagFor = STREAM_EDIT_FLAGS[field];
    if (flagFor !== undefined) table[field] = (to, changed) => [flagFor(to, changed)[0]!, shellQuote(text)];
  }
  return editFlagsFor(changes, table);
}

// ---------------------------------------------------------------------------------------------------------
// Talking to JetStream.

export const ERR_STREAM_NOT_FOUND = 10059;

export function isStreamNotFound(err: unknown): boolean {
  return (err as Error)?.name === "StreamNotFoundError" || apiErrorCode(err) === ERR_STREAM_NOT_FOUND;
}

const streamNotFound = (name: string) =>
  new RuntimeError(`stream '${name}' not found (err_code ${ERR_STREAM_NOT_FOUND}); 'nsm4home stream ls' lists the streams`);

/** Stream info, or a one-line "stream 'x' not found" (err_code 10059) naming how to list the streams. */
export async function streamInfo(jsm: JetStreamManager, name: string, opts?: { subjects_filter?: string }): Promise<StreamInfo> {
  checkStreamName(name);
  try {
    return await jsm.streams.info(name, opts);
  } catch (err) {
    if (isStreamNotFound(err)) throw streamNotFound(name);
    throw describeJetStreamError(err, `stream info ${name}`);
  }
}

export async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  checkStreamName(name);
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isStreamNotFound(err)) return undefined;
    throw describeJetStreamError(err, `stream info ${name}`);
  }
}

export type AddStreamOutcome =
  | { kind: "created"; info: StreamInfo }
  | { kind: "same"; info: StreamInfo }
  | { kind: "different"; info: StreamInfo; changes: ConfigChange[] };

/** Creates the stream, or says whether an existing one already has the wanted configuration. */
export async function addStream(jsm: JetStreamManager, wanted: WantedStreamConfig): Promise<AddStreamOutcome> {
  checkStreamName(wanted.name);
  const existing = await findStream(jsm, wanted.name);
  if (existing) {
    const changes = diffConfig(existing.config, wanted, ["name"]);
    return changes.length === 0 ? { kind: "same", info: existing } : { kind: "different", info: existing, changes };
  }
  try {
    return { kind: "created", info: await jsm.streams.add(wanted) };
  } catch (err) {
    throw describeJetStreamError(err, `stream add ${wanted.name}`);
  }
}

/** The command that would turn the existing stream into the wanted one. */
export function streamEditCommand(name: string, changes: ConfigChange[], configFile?: string, typed?: Readonly<Record<string, string>>): string {
  return editCommandText(["stream", "edit", name], streamEditFlags(changes.filter((c) => c.field !== "storage"), typed), configFile);
}

export async function updateStream(jsm: JetStreamManager, name: string, config: Partial<StreamConfig>): Promise<StreamInfo> {
  let updated: StreamInfo;
  try {
    updated = await jsm.streams.update(name, config);
  } catch (err) {
    throw describeJetStreamError(err, `stream edit ${name}`);
  }
  // A sealed stream's update is answered with success and the old settings: compare rather than trust the answer.
  const kept = diffConfig(updated.config, config, ["sealed"]);
  if (kept.length > 0) {
    const what = kept.map((c) => `${c.field} ${showStreamValue(c.field, c.from)}`).join(", ");
    const why = updated.config.sealed ? " (the stream is sealed: its settings can no longer change)" : "";
    throw new RuntimeError(`stream edit ${name}: the server answered but kept ${what}${why}`);
  }
  return updated;
}

export async function listStreams(jsm: JetStreamManager, subject?: string): Promise<StreamInfo[]> {
  const out: StreamInfo[] = [];
  try {
    for await (const si of jsm.streams.list(subject)) out.push(si);
  } catch (err) {
    throw describeJetStreamError(err, "stream ls");
  }
  return out.sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0));
}

export async function deleteStream(jsm: JetStreamManager, name: string): Promise<void> {
  await streamInfo(jsm, name);
  try {
    await jsm.streams.delete(name);
  } catch (err) {
    throw describeJetStreamError(err, `stream rm ${name}`);
  }
}

export interface PurgeFlags {
  subject?: string;
  seq?: string;
  keep?: string;
}

/** The purge request for the flags: everything, one subject, below a sequence, or all but the last N. */
export function purgeOptions(flags: PurgeFlags): PurgeOpts | undefined {
  if (flags.seq !== undefined && flags.keep !== undefined) throw new UsageError("--seq and --keep do not go together: purge below a sequence, or keep the last N");
  const filter = flags.subject === undefined ? undefined : checkSubject(flags.subject, "--subject");
  if (flags.seq !== undefined) {
    const seq = parseCount(flags.seq, "--seq");
    if (seq < 1) throw new UsageError(`invalid --seq '${flags.seq}': use a sequence of 1 or more`);
    return filter === undefined ? { seq } : { seq, filter };
  }
  if (flags.keep !== undefined) {
    const keep = parseCount(flags.keep, "--keep");
    return filter === undefined ? { keep } : { keep, filter };
  }
  return filter === undefined ? undefined : { filter };
}

export async function purgeStream(jsm: JetStreamManager, name: string, opts: PurgeOpts | undefined): Promise<PurgeResponse> {
  await streamInfo(jsm, name);
  try {
    return await jsm.streams.purge(name, opts);
  } catch (err) {
    throw describeJetStreamError(err, `stream purge ${name}`);
  }
}

export interface SubjectCount {
  subject: string;
  messages: number;
}

/** Messages per subject (most first), from the stream's own index: no message is read. */
export async function subjectCounts(jsm: JetStreamManager, name: string, filter = ">"): Promise<SubjectCount[]> {
  checkSubject(filter, "FILTER");
  const info = await streamInfo(jsm, name, { subjects_filter: filter });
  return Object.entries(info.state.subjects ?? {})
    .map(([subject, messages]) => ({ subject, messages }))
    .sort((a, b) => b.messages - a.messages || (a.subject < b.subject ? -1 : 1));
}

export type MessageQuery = { seq: number } | { lastFor: string };

export async function getStreamMessage(jsm: JetStreamManager, name: string, query: MessageQuery): Promise<StoredMsg> {
  checkStreamName(name);
  let msg: StoredMsg | null;
  try {
    msg = await jsm.streams.getMessage(name, "seq" in query ? { seq: query.seq } : { last_by_subj: query.lastFor });
  } catch (err) {
    if (isStreamNotFound(err)) throw streamNotFound(name);
    throw describeJetStreamError(err, `stream get ${name}`);
  }
  if (msg === null) {
    throw new RuntimeError(
      "seq" in query
        ? `no message with sequence ${query.seq} in stream '${name}' (err_code 10037): it was never written, deleted or aged out`
        : `no message on subject '${query.lastFor}' in stream '${name}' (err_code 10037)`,
    );
  }
  return msg;
}
