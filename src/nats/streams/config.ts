// Stream flags and --config files -> StreamConfig, each value checked by the parser of the flag that gives it,
// and the settings a 2.9 server does not have refused by name.
import { readFileSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import type { StreamConfig } from "@nats-io/jetstream";
import { UsageError } from "../../errors.js";
import { isSafeText, sanitizeText } from "../../text/sanitize.js";
import { parseCount, parseSize } from "../../text/units.js";
import { checkConfigFields, type ConfigFieldSchema } from "../config-diff.js";
import { requireServerVersion } from "../jetstream.js";
import { checkSubject } from "../subjects.js";
import { applyMetadataFlags, parseCompression, parseDiscard, parseRetention, parseStorage, parseLimitDurationNs, parseMaxMsgSize, parsePositiveDurationNs, parseReplicas } from "./values.js";

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
  /** natscli's names for allow_rollup_hdrs, discard_new_per_subject (with discard new), first_seq (2.10+),
   *  allow_msg_counter, allow_msg_schedules and allow_atomic (2.12+). */
  allowRollup?: boolean;
  discardPerSubject?: boolean;
  firstSequence?: string;
  allowCounter?: boolean;
  allowSchedules?: boolean;
  allowBatch?: boolean;
}

export type WantedStreamConfig = Partial<StreamConfig> & { name: string };


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
  if (flags.allowRollup !== undefined) cfg.allow_rollup_hdrs = flags.allowRollup;
  if (flags.discardPerSubject !== undefined) {
    if (flags.discardPerSubject && flags.discard !== undefined && cfg.discard !== "new") {
      throw new UsageError("--discard-per-subject applies discard new to each subject: it does not go with --discard old");
    }
    cfg.discard_new_per_subject = flags.discardPerSubject;
    if (flags.discardPerSubject) cfg.discard = "new" as StreamConfig["discard"];
  }
  if (flags.firstSequence !== undefined) {
    const first = parseCount(flags.firstSequence, "--first-sequence");
    if (first < 1) throw new UsageError(`invalid --first-sequence '${sanitizeText(flags.firstSequence)}': use 1 or more`);
    cfg.first_seq = first;
  }
  if (flags.allowCounter !== undefined) extra.allow_msg_counter = flags.allowCounter;
  if (flags.allowSchedules !== undefined) extra.allow_msg_schedules = flags.allowSchedules;
  if (flags.allowBatch !== undefined) extra.allow_atomic = flags.allowBatch;
  return cfg as T;
}


/** StreamConfig as nats.js 3.3 types it (servers 2.9 to 2.12) and 2.14's allow_batched, with the kind of value each field holds. */
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
    allow_msg_schedules: "bool", persist_mode: { oneOf: ["default", "async"] }, allow_batched: "bool",
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
  return dropUnsetValues(config);
}

/** Go's zero time.Time as JSON ("0001-01-01T00:00:00Z"): natscli and the server write it for a time never set. */
export function isZeroTime(value: unknown): boolean {
  return typeof value === "string" && /^0001-01-01T00:00:00(\.0+)?(Z|[+-]00:00)$/.test(value.trim());
}

/** An object whose every value is 0, "", false or absent (`consumer_limits: {}`): the server's way of writing "none". */
function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.values(value as Record<string, unknown>).every((v) => v === undefined || v === null || v === 0 || v === "" || v === false);
}

/**
 * The fields a natscli or server `info --json` writes for settings that were never made (`consumer_limits: {}`,
 * `pause_until: "0001-01-01T00:00:00Z"`), left out: they mean "unset", and sent as given they would ask a 2.9
 * server for features it does not have and differ from a stream or consumer that has the same settings.
 */
export function dropUnsetValues(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  // 2.11+ writes its own `_nats.*` metadata (required API level, version); it sets them again itself, and a 2.9
  // server would refuse the metadata as a 2.10 feature.
  if (out.metadata !== null && typeof out.metadata === "object" && !Array.isArray(out.metadata)) {
    const own = Object.entries(out.metadata as Record<string, unknown>).filter(([key]) => !key.startsWith("_nats."));
    if (own.length > 0) out.metadata = Object.fromEntries(own);
    else delete out.metadata;
  }
  if (isEmptyObject(out.consumer_limits)) delete out.consumer_limits;
  if (isZeroTime(out.pause_until)) delete out.pause_until;
  if (isZeroTime(out.opt_start_time)) delete out.opt_start_time;
  return out;
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
  // A 2.9 to 2.11 server ignores these fields it does not know and would create a plain stream.
  const needs212: Array<[string, string]> = [
    ["allow_msg_counter", "distributed counters (allow_msg_counter)"],
    ["allow_atomic", "atomic batch publishing (allow_atomic)"],
    ["allow_msg_schedules", "message schedules (allow_msg_schedules)"],
    ["persist_mode", "an asynchronous persist mode (persist_mode)"],
  ];
  const given = (v: unknown) => !(v === undefined || v === null || v === false || isEmptyObject(v) || v === 0 || v === "none" || v === "default");
  const extra = cfg as Record<string, unknown>;
  for (const [key, feature] of needs210) if (given(cfg[key])) requireServerVersion(nc, "2.10.0", `${feature} (${key})`);
  for (const [key, feature] of needs211) if (given(extra[key])) requireServerVersion(nc, "2.11.0", feature);
  for (const [key, feature] of needs212) if (given(extra[key])) requireServerVersion(nc, "2.12.0", feature);
  if (given(extra.allow_batched)) requireServerVersion(nc, "2.14.0", "fast batch publishing (allow_batched)");
}

