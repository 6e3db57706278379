// Consumer flags and --config files -> ConsumerConfig; the settings a 2.9 server does not have refused by name.
import type { NatsConnection } from "@nats-io/nats-core";
import type { ConsumerConfig } from "@nats-io/jetstream";
import { UsageError } from "../../errors.js";
import { parseCount, parseDuration } from "../../text/units.js";
import { sanitizeText } from "../../text/sanitize.js";
import type { ConfigFieldSchema } from "../config-diff.js";
import { requireServerVersion } from "../jetstream.js";
import { parseStartTime } from "../replay-start.js";
import { checkApiName } from "../names.js";
import { checkSubject } from "../subjects.js";
import { applyMetadataFlags, isZeroTime, oneOf, parseDurationNs, parsePositiveDurationNs, readConfigFile } from "../streams/index.js";

export interface ConsumerFlags {
  target?: string;
  deliverGroup?: string;
  heartbeat?: string;
  flowControl?: boolean;
  deliver?: string;
  ack?: string;
  replay?: string;
  subject?: string[];
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
  /** Priority groups (pull consumers, 2.11+; prioritized 2.12+), natscli's flags: one policy per consumer. */
  pinnedGroups?: string[];
  pinnedTtl?: string;
  overflowGroups?: string[];
  prioritizedGroups?: string[];
  /** natscli's backoff: linear (with --backoff-steps, --backoff-min, --backoff-max) or none. */
  backoff?: string;
  backoffSteps?: string;
  backoffMin?: string;
  backoffMax?: string;
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
  if (flags.subject !== undefined) {
    const subjects = flags.subject.map((s) => checkSubject(s, "--subject"));
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

  applyPriorityFlags(cfg as Partial<ConsumerConfig> & Record<string, unknown>, flags);
  applyBackoffFlags(cfg, flags);

  const push = typeof cfg.deliver_subject === "string" && cfg.deliver_subject !== "";
  if (push && cfg.priority_policy && cfg.priority_policy !== "none") {
    throw new UsageError("priority groups are for pull consumers; drop --target or the priority groups");
  }
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

/**
 * natscli's (jsm.go's) linear backoff: `steps` waits from `minNs` up in equal steps of (max - min) / steps, each
 * rounded to the millisecond, so 3 steps from 1s to 5s are 1s, 2.333s, 3.667s (the maximum itself is not reached).
 */
export function linearBackoffNs(steps: number, minNs: number, maxNs: number): number[] {
  const [low, high] = minNs <= maxNs ? [minNs, maxNs] : [maxNs, minNs];
  const stepNs = Math.floor((high - low) / steps);
  if (high !== low && stepNs === 0) throw new UsageError(`the range from --backoff-min to --backoff-max is too small for ${steps} steps`);
  return Array.from({ length: steps }, (_, i) => low + Math.round((i * stepNs) / 1e6) * 1e6);
}

/** --backoff linear|none and its --backoff-steps/-min/-max (natscli's defaults: 10 steps from 1m to 20m). */
function applyBackoffFlags(cfg: Partial<ConsumerConfig>, flags: ConsumerFlags): void {
  const tuning = [
    [flags.backoffSteps, "--backoff-steps"],
    [flags.backoffMin, "--backoff-min"],
    [flags.backoffMax, "--backoff-max"],
  ].filter(([v]) => v !== undefined);
  if (flags.backoff === undefined) {
    if (tuning.length > 0) throw new UsageError(`${tuning.map(([, f]) => f).join(", ")} go with --backoff linear`);
    return;
  }
  const mode = oneOf(flags.backoff, "--backoff", { linear: "linear", none: "none" } as const, "linear or none");
  if (mode === "none") {
    if (tuning.length > 0) throw new UsageError(`${tuning.map(([, f]) => f).join(", ")} go with --backoff linear, not none`);
    // An empty list (not a missing field) so that edit sends it and the server drops the backoff.
    cfg.backoff = [];
    return;
  }
  if (cfg.ack_policy === "none") throw new UsageError("--backoff spaces out redeliveries of unacknowledged messages: it needs --ack explicit or all");
  const steps = flags.backoffSteps === undefined ? 10 : parseCount(flags.backoffSteps, "--backoff-steps");
  if (steps < 1) throw new UsageError(`invalid --backoff-steps '${sanitizeText(flags.backoffSteps ?? "")}': use 1 or more`);
  const minNs = parsePositiveDurationNs(flags.backoffMin ?? "1m", "--backoff-min");
  const maxNs = parsePositiveDurationNs(flags.backoffMax ?? "20m", "--backoff-max");
  cfg.backoff = linearBackoffNs(steps, minNs, maxNs);
  // The server wants more deliveries than backoff steps; natscli sets one more when none was given.
  if (cfg.max_deliver === undefined || cfg.max_deliver < 0) cfg.max_deliver = steps + 1;
  else if (cfg.max_deliver <= steps) {
    const given = flags.maxDeliver !== undefined ? `--max-deliver ${cfg.max_deliver}` : `the consumer's ${cfg.max_deliver} deliveries`;
    throw new UsageError(`${given} must be more than the ${steps} backoff steps (the first delivery and one per step): give --max-deliver ${steps + 1} or more`);
  }
}

/** A priority group name as nats-server takes it: 1 to 16 of letters, digits, -, _, / and =. */
function checkPriorityGroup(group: string, flag: string): string {
  if (!/^[A-Za-z0-9_\-/=]{1,16}$/.test(group)) {
    throw new UsageError(`invalid ${flag} group '${sanitizeText(group)}': use 1 to 16 letters, digits, -, _, / or =`);
  }
  return group;
}

/** `group` when it is one of the consumer's priority groups; else a usage error naming the groups it has. */
export function requirePriorityGroup(consumer: string, groups: readonly string[], group: string): string {
  if (!groups.includes(group)) {
    throw new UsageError(`consumer '${sanitizeText(consumer)}' has no priority group '${sanitizeText(group)}'; its groups: ${groups.map(sanitizeText).join(", ")}`);
  }
  return group;
}

/** --pinned-groups (with --pinned-ttl), --overflow-groups, --prioritized-groups: the priority policy and its groups. */
function applyPriorityFlags(cfg: Partial<ConsumerConfig> & Record<string, unknown>, flags: ConsumerFlags): void {
  const given = (
    [
      ["pinned_client", flags.pinnedGroups, "--pinned-groups"],
      ["overflow", flags.overflowGroups, "--overflow-groups"],
      ["prioritized", flags.prioritizedGroups, "--prioritized-groups"],
    ] as const
  ).filter(([, groups]) => groups !== undefined);
  if (given.length > 1) throw new UsageError(`${given.map(([, , f]) => f).join(" and ")} do not go together: a consumer has one priority policy`);
  const [choice] = given;
  if (choice) {
    const [policy, groups, flag] = choice;
    if (groups!.length === 0) throw new UsageError(`${flag} needs at least one group name`);
    cfg.priority_policy = policy;
    cfg.priority_groups = groups!.map((g) => checkPriorityGroup(g, flag));
    if (policy !== "pinned_client") delete cfg.priority_timeout;
  }
  if (flags.pinnedTtl !== undefined) {
    if (cfg.priority_policy !== "pinned_client") throw new UsageError("--pinned-ttl goes with --pinned-groups (a pinned client consumer)");
    cfg.priority_timeout = parsePositiveDurationNs(flags.pinnedTtl, "--pinned-ttl");
  }
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
    opt_start_seq: "int", opt_start_time: "string", ack_policy: { oneOf: ["none", "all", "explicit", "flow_control"] },
    ack_wait: "nanos", max_deliver: "int", backoff: "nanosList", filter_subject: "string", filter_subjects: "strings",
    replay_policy: { oneOf: ["instant", "original"] }, rate_limit_bps: "int", sample_freq: "string",
    max_waiting: "int", max_ack_pending: "int", idle_heartbeat: "nanos", flow_control: "bool", headers_only: "bool",
    max_batch: "int", max_expires: "nanos", max_bytes: "int", inactive_threshold: "nanos", num_replicas: "int",
    mem_storage: "bool", metadata: "object", pause_until: "string", priority_groups: "strings",
    priority_policy: { oneOf: ["none", "overflow", "pinned_client", "prioritized"] }, priority_timeout: "nanos", pinned_ttl: "nanos",
  },
  flagHints: {
    ack_wait: "--wait 30s", idle_heartbeat: "--heartbeat 5s", inactive_threshold: "--inactive-threshold 1h",
    max_deliver: "--max-deliver 5", max_ack_pending: "--max-pending 1000", max_waiting: "--max-waiting 512",
    deliver_policy: "--deliver all", ack_policy: "--ack explicit", replay_policy: "--replay instant",
    filter_subject: "--subject SUBJECT", filter_subjects: "--subject SUBJECT (repeated)",
  },
};

/** A consumer --config file: the API's ConsumerConfig, or a `consumer info --json` document. */
export function readConsumerConfigFile(path: string, flag = "--config"): Record<string, unknown> {
  return readConfigFile(path, flag, CONSUMER_CONFIG_SCHEMA);
}

export function defaultConsumerConfig(): Partial<ConsumerConfig> {
  return { ack_policy: "explicit", deliver_policy: "all", replay_policy: "instant" };
}

/** Consumer settings older servers do not have: refused by name, never replaced by something else. */
export function requireConsumerFeatures(nc: NatsConnection, cfg: Partial<ConsumerConfig>): void {
  if (Array.isArray(cfg.filter_subjects) && cfg.filter_subjects.length > 0) {
    requireServerVersion(nc, "2.10.0", `several --subject filters (filter_subjects: ${cfg.filter_subjects.join(", ")})`);
  }
  if (cfg.metadata && Object.keys(cfg.metadata).length > 0) requireServerVersion(nc, "2.10.0", "consumer metadata");
  const pauseUntil = (cfg as Record<string, unknown>).pause_until;
  if (pauseUntil && !isZeroTime(pauseUntil)) requireServerVersion(nc, "2.11.0", "pausing a consumer (--pause-until)");
  const policy = (cfg as Record<string, unknown>).priority_policy;
  if (policy === "prioritized") requireServerVersion(nc, "2.12.0", "the prioritized priority policy (priority_policy)");
  if ((policy && policy !== "none") || cfg.priority_groups?.length) requireServerVersion(nc, "2.11.0", "priority groups (priority_groups, priority_policy)");
  if ((cfg.ack_policy as string) === "flow_control") requireServerVersion(nc, "2.14.0", "the flow_control ack policy (ack_policy)");
}

