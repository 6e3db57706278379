// Human output for consumers, after natscli's `consumer info` / `consumer ls`: Configuration, Cluster and State
// sections (last delivered, ack floor, outstanding acks of the maximum, redelivered, unprocessed, waiting pulls).
import type { ConsumerInfo, SequenceInfo } from "@nats-io/jetstream";
import { sanitizeText } from "../text/sanitize.js";
import { renderSections, type KvRow } from "./kv.js";
import { clusterRows, metadataRows } from "./stream.js";
import { renderTable, type TableOptions } from "./table.js";
import { formatLocalTime, formatTimeAndAgo, isZeroTime } from "../text/time.js";
import { formatCount, formatDuration, formatNanos } from "../text/units.js";

const POLICY_NAMES: Record<string, string> = {
  all: "All",
  new: "New",
  last: "Last",
  last_per_subject: "Last Per Subject",
  explicit: "Explicit",
  flow_control: "Flow Control",
  none: "None",
  instant: "Instant",
  original: "Original",
  pinned_client: "Pinned Client",
  overflow: "Overflow",
  prioritized: "Prioritized",
};
const named = (v: string | undefined) => (v === undefined ? undefined : POLICY_NAMES[v] ?? v);
const nanos = (ns: number | undefined) => (ns === undefined || ns <= 0 ? undefined : formatNanos(ns));

/** A backoff step as it was set: natscli's linear steps are 2.333s, which whole seconds would show as 2s. */
function formatBackoffStep(ns: number): string {
  const ms = ns / 1e6;
  if (ms >= 1000 && ms < 60_000 && ms % 1000 !== 0) return `${Math.round(ms) / 1000}s`;
  return formatNanos(ns);
}

export function describeDeliverPolicy(c: ConsumerInfo["config"]): string | undefined {
  if (c.deliver_policy === "by_start_sequence") return `From Sequence ${formatCount(c.opt_start_seq ?? 0)}`;
  if (c.deliver_policy === "by_start_time") return `Since ${c.opt_start_time ? formatLocalTime(c.opt_start_time) : "?"}`;
  return named(c.deliver_policy);
}

function filterText(c: ConsumerInfo["config"]): string | undefined {
  if (c.filter_subject) return c.filter_subject;
  if (c.filter_subjects?.length) return c.filter_subjects.join(", ");
  return undefined;
}

/** The 2.11+ fields nats.js 3.3 types only in part: the priority policy's groups as configured and their state. */
type PriorityFields = { priority_policy?: string; priority_groups?: string[]; priority_timeout?: number; pause_until?: string };
type PriorityGroupState = { group: string; pinned_client_id?: string; pinned_ts?: string };

/** natscli's "Paused Until Deadline" once it has passed (a pause still running is the State section's "Paused"). */
function passedPauseDeadline(ci: ConsumerInfo, until: string | undefined): string | undefined {
  return !ci.paused && until && !isZeroTime(until) ? `${formatLocalTime(until)} (passed)` : undefined;
}

/** One "Priority Groups" row per group of a pinned-client consumer: which client holds it and since when. */
function pinnedGroupRows(ci: ConsumerInfo, policy: string | undefined, now: number): KvRow[] {
  const groups = (ci as unknown as { priority_groups?: PriorityGroupState[] }).priority_groups;
  if (policy !== "pinned_client" || !groups?.length) return [];
  return groups.map((g): KvRow => {
    if (!g.pinned_client_id) return ["Priority Groups", `${g.group}: No client`];
    const since = formatTimeAndAgo(g.pinned_ts, now);
    return ["Priority Groups", `${g.group}: pinned ${g.pinned_client_id}${since ? ` at ${since}` : ""}`];
  });
}

/** "Consumer sequence: 4 Stream sequence: 12" plus when it last happened, as natscli words it. */
function sequencePair(s: SequenceInfo | undefined, lastLabel: string, now: number): string {
  if (!s) return "Consumer sequence: 0 Stream sequence: 0";
  const base = `Consumer sequence: ${formatCount(s.consumer_seq)} Stream sequence: ${formatCount(s.stream_seq)}`;
  const last = (s as SequenceInfo & { last_active?: string | number }).last_active;
  if (typeof last === "string" && !isZeroTime(last)) {
    const ago = now - Date.parse(last);
    return `${base} ${lastLabel}: ${ago < 1000 ? "just now" : `${formatDuration(ago)} ago`}`;
  }
  return base;
}

export function renderConsumerInfo(ci: ConsumerInfo, now = Date.now()): string {
  const c = ci.config;
  const prio = c as typeof c & PriorityFields;
  const policy = prio.priority_policy && prio.priority_policy !== "none" ? prio.priority_policy : undefined;
  const push = typeof c.deliver_subject === "string" && c.deliver_subject !== "";
  const configuration: KvRow[] = [
    ["Name", ci.name],
    ["Durable Name", c.durable_name && c.durable_name !== ci.name ? c.durable_name : undefined],
    ["Description", c.description || undefined],
    push ? ["Delivery Subject", c.deliver_subject] : ["Pull Mode", "true"],
    ["Filter Subject" + (c.filter_subjects && c.filter_subjects.length > 1 ? "s" : ""), filterText(c)],
    ["Deliver Policy", describeDeliverPolicy(c)],
    ["Deliver Queue Group", push && c.deliver_group ? c.deliver_group : undefined],
    ["Ack Policy", named(c.ack_policy)],
    ["Ack Wait", c.ack_policy !== "none" ? nanos(c.ack_wait) : undefined],
    ["Replay Policy", named(c.replay_policy)],
    ["Maximum Deliveries", c.max_deliver !== undefined && c.max_deliver > 0 ? formatCount(c.max_deliver) : undefined],
    ["Max Ack Pending", c.max_ack_pending !== undefined && c.max_ack_pending > 0 ? formatCount(c.max_ack_pending) : undefined],
    ["Max Waiting Pulls", !push && c.max_waiting !== undefined && c.max_waiting > 0 ? formatCount(c.max_waiting) : undefined],
    ["Idle Heartbeat", nanos(c.idle_heartbeat)],
    ["Flow Control", push ? String(c.flow_control === true) : undefined],
    ["Inactive Threshold", nanos(c.inactive_threshold)],
    ["Replicas", c.num_replicas !== undefined && c.num_replicas > 0 ? c.num_replicas : undefined],
    ["Memory Storage", c.mem_storage ? "true" : undefined],
    ["Backoff", c.backoff?.length ? c.backoff.map(formatBackoffStep).join(", ") : undefined],
    ["Sampling Rate", c.sample_freq ? c.sample_freq : undefined],
    ["Headers Only", c.headers_only ? "true" : undefined],
    ["Rate Limit", c.rate_limit_bps ? `${formatCount(c.rate_limit_bps)} bps` : undefined],
    ["Max Pull Batch", !push && c.max_batch ? formatCount(c.max_batch) : undefined],
    ["Max Pull Expire", !push ? nanos(c.max_expires) : undefined],
    ["Max Pull Bytes", !push && c.max_bytes ? formatCount(c.max_bytes) : undefined],
    ["Paused Until Deadline", passedPauseDeadline(ci, prio.pause_until)],
    ["Priority Policy", named(policy)],
    ["Priority Groups", policy && prio.priority_groups?.length ? prio.priority_groups.join(", ") : undefined],
    ["Pinned TTL", policy === "pinned_client" ? nanos(prio.priority_timeout) : undefined],
    ...metadataRows(c.metadata),
  ];
  const state: KvRow[] = [["Last Delivered Message", sequencePair(ci.delivered, "Last delivery", now)]];
  if (ci.paused) {
    const until = prio.pause_until;
    const remaining = ci.pause_remaining > 0 ? `, ${formatNanos(ci.pause_remaining)} left` : "";
    state.unshift(["Paused", until && !isZeroTime(until) ? `until ${formatLocalTime(until)}${remaining}` : "yes"]);
  }
  if (c.ack_policy !== "none") {
    state.push(["Acknowledgment Floor", sequencePair(ci.ack_floor, "Last Ack", now)]);
    state.push([
      "Outstanding Acks",
      c.max_ack_pending !== undefined && c.max_ack_pending > 0
        ? `${formatCount(ci.num_ack_pending)} out of maximum ${formatCount(c.max_ack_pending)}`
        : formatCount(ci.num_ack_pending),
    ]);
    state.push(["Redelivered Messages", formatCount(ci.num_redelivered)]);
  }
  state.push(["Unprocessed Messages", formatCount(ci.num_pending)]);
  if (!push) {
    state.push([
      "Waiting Pulls",
      `${formatCount(ci.num_waiting)} of ${c.max_waiting !== undefined && c.max_waiting > 0 ? `maximum ${formatCount(c.max_waiting)}` : "unlimited"}`,
    ]);
  } else {
    state.push(["Active Interest", ci.push_bound ? (c.deliver_group ? `Active using Queue Group ${c.deliver_group}` : "Active") : "No interest"]);
  }
  state.push(...pinnedGroupRows(ci, policy, now));
  const created = isZeroTime(ci.created) ? "" : ` created ${formatLocalTime(ci.created)}`;
  return (
    `Information for Consumer ${sanitizeText(ci.stream_name)} > ${sanitizeText(ci.name)}${created}\n\n` +
    renderSections([
      { title: "Configuration", rows: configuration },
      { title: "Cluster Information", rows: clusterRows(ci.cluster, now) },
      { title: "State", rows: state },
    ])
  );
}

/** One row per consumer: kind, filter, ack policy and how far along it is (the last stream sequence delivered). */
export function renderConsumerTable(consumers: ConsumerInfo[], layout: TableOptions = {}): string {
  if (consumers.length === 0) return "No consumers defined\n";
  const rows = consumers.map((ci) => [
    ci.name,
    ci.config.deliver_subject ? `push ${ci.config.deliver_subject}` : "pull",
    filterText(ci.config) ?? "",
    named(ci.config.ack_policy) ?? "",
    formatCount(ci.delivered?.stream_seq ?? 0),
    formatCount(ci.num_ack_pending),
    formatCount(ci.num_pending),
    formatCount(ci.num_redelivered),
  ]);
  return renderTable(
    [
      { header: "Name", shrink: true, minWidth: 10 },
      { header: "Mode", shrink: true, minWidth: 4 },
      { header: "Filter", shrink: true, minWidth: 8 },
      { header: "Ack" },
      // delivered.stream_seq: the stream sequence of the last message delivered, not a count of deliveries.
      { header: "Last Delivered Seq", align: "right" },
      { header: "Ack Pending", align: "right" },
      { header: "Unprocessed", align: "right" },
      { header: "Redelivered", align: "right" },
    ],
    rows,
    layout,
  );
}
