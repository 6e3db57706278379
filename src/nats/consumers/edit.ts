// `consumer edit`: values shown to people, and the flags that reproduce them in the command a diff suggests.
import { formatCount, formatDuration } from "../../text/units.js";
import { booleanEditFlag, editCommandText, editFlagsFor, shellQuote, type ConfigChange, type EditFlag, type EditFlags } from "../config-diff.js";
import { countFlagText, NS_PER_MS, durationFlagText } from "../streams/index.js";

const NANOS_FIELDS = new Set(["ack_wait", "idle_heartbeat", "inactive_threshold", "max_expires", "priority_timeout"]);
const UNLIMITED_FIELDS = new Set(["max_deliver", "max_ack_pending"]);

/** A backoff wait as natscli's linear steps make them: 2.333s stays 2.333s. */
const backoffStepText = (ns: number) => (ns < 60e9 && ns % 1e9 !== 0 ? `${Math.round(ns / NS_PER_MS) / 1000}s` : formatDuration(ns / NS_PER_MS));

export function showConsumerValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return "(unset)";
  if (typeof value === "number") {
    if (NANOS_FIELDS.has(field)) return value <= 0 ? "none" : formatDuration(value / NS_PER_MS);
    if (UNLIMITED_FIELDS.has(field)) return value < 0 ? "unlimited" : formatCount(value);
    return formatCount(value);
  }
  if (field === "backoff" && Array.isArray(value)) return value.length === 0 ? "none" : value.map(backoffStepText).join(", ");
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
  filter_subject: (to) => ["--subject", shellQuote(String(to))],
  filter_subjects: (to) => (to as string[]).flatMap((subject) => ["--subject", shellQuote(subject)]),
  ack_policy: (to) => ["--ack", String(to)],
  replay_policy: (to) => ["--replay", String(to)],
  deliver_subject: (to) => ["--target", shellQuote(String(to))],
  deliver_group: (to) => ["--deliver-group", shellQuote(String(to))],
  flow_control: booleanEditFlag("flow-control"),
  deliver_policy: (to, changed) => ["--deliver", shellQuote(deliverFlagText(to, changed))],
  metadata: (to) => Object.entries((to ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith("_nats.")).flatMap(([k, v]) => ["--metadata", shellQuote(`${k}=${v}`)]),
  pause_until: (to) => ["--pause-until", shellQuote(String(to))],
  priority_timeout: (to) => ["--pinned-ttl", durationFlagText(to as number)],
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

