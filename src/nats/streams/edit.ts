// `stream edit`: values shown to people, and the flags that reproduce them in the command a diff suggests.
import { formatBytes, formatCount, formatDuration } from "../../text/units.js";
import { booleanEditFlag, editCommandText, editFlagsFor, shellQuote, type ConfigChange, type EditFlag, type EditFlags } from "../config-diff.js";
import type { StreamFlags } from "./config.js";
import { isServerMetadataKey, NS_PER_MS } from "./values.js";

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
  allow_rollup_hdrs: booleanEditFlag("allow-rollup"),
  discard_new_per_subject: booleanEditFlag("discard-per-subject"),
  allow_msg_counter: (to) => (to ? ["--allow-counter"] : []),
  allow_msg_schedules: booleanEditFlag("allow-schedules"),
  allow_atomic: booleanEditFlag("allow-batch"),
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

/** The command that would turn the existing stream into the wanted one. */
export function streamEditCommand(name: string, changes: ConfigChange[], configFile?: string, typed?: Readonly<Record<string, string>>): string {
  return editCommandText(["stream", "edit", name], streamEditFlags(changes.filter((c) => c.field !== "storage"), typed), configFile);
}
