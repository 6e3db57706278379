// Human output for streams, after natscli's `stream info` / `stream ls`: sections of right-aligned labels,
// bytes in KiB/MiB/GiB, counts with thousands separators, durations as 1d2h3m, -1 (or 0 for ages) as unlimited.
import type { ClusterInfo, StreamInfo, StreamSource, StreamSourceInfo } from "@nats-io/jetstream";
import { sanitizeText } from "../text/sanitize.js";
import { renderSections, type KvRow, type KvSection } from "./kv.js";
import { renderTable, type TableOptions } from "./table.js";
import { formatAgo, formatLocalTime, formatTimeAndAgo, isZeroTime } from "../text/time.js";
import { formatBytes, formatCount, formatDuration, formatNanos } from "../text/units.js";

const capital = (s: string | undefined) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const yesNo = (b: boolean | undefined) => (b ? "yes" : "no");
const nanosText = (ns: number | undefined) => (ns === undefined ? undefined : formatNanos(ns));
const positive = (n: number | undefined) => (n !== undefined && n > 0 ? n : undefined);
const countText = (n: number | undefined) => (n === undefined ? undefined : formatCount(n));
const unlimitedCount = (n: number | undefined) => (n === undefined ? undefined : n < 0 ? "unlimited" : formatCount(n));
const unlimitedBytes = (n: number | undefined) => (n === undefined ? undefined : n < 0 ? "unlimited" : formatBytes(n));

const RETENTION_NAMES: Record<string, string> = { limits: "Limits", interest: "Interest", workqueue: "Work Queue" };

/** "n2, current, seen 120ms ago" / "n3, outdated, OFFLINE, not seen, 12 operations behind". */
export function describeReplica(r: NonNullable<ClusterInfo["replicas"]>[number]): string {
  const parts = [r.name, r.current ? "current" : "outdated"];
  if (r.offline) parts.push("OFFLINE");
  // `active` is nanoseconds since the leader last heard from the peer; MaxInt64 or 0 means never.
  parts.push(r.active > 0 && r.active < 9e18 ? `seen ${formatDuration(Math.round(r.active / 1e6))} ago` : "not seen");
  if (r.lag > 0) parts.push(`${formatCount(r.lag)} operation${r.lag === 1 ? "" : "s"} behind`);
  return parts.join(", ");
}

/** Cluster section rows shared by stream and consumer info. */
export function clusterRows(cluster: ClusterInfo | undefined, now = Date.now()): KvRow[] {
  if (!cluster || !cluster.name) return [];
  const leader = cluster.leader
    ? cluster.leader_since && !isZeroTime(cluster.leader_since)
      ? `${cluster.leader} (since ${formatAgo(cluster.leader_since, now).replace(/ ago$/, "")})`
      : cluster.leader
    : "none (no leader elected: the stream is unavailable until a majority of its replicas is up)";
  return [["Name", cluster.name], ["Leader", leader], ...(cluster.replicas ?? []).map((r): KvRow => ["Replica", describeReplica(r)])];
}

function sequenceAt(seq: number, ts: string | undefined, now: number): string {
  const when = formatTimeAndAgo(ts, now);
  return when ? `${formatCount(seq)} @ ${when}` : formatCount(seq);
}

/** "cluster east, tags ssd, pi": where the stream's replicas may be placed. */
function placementText(p: { cluster?: string; tags?: string[] } | undefined): string | undefined {
  if (!p || (!p.cluster && !p.tags?.length)) return undefined;
  return [p.cluster ? `cluster ${p.cluster}` : "", p.tags?.length ? `tags ${p.tags.join(", ")}` : ""].filter(Boolean).join(", ");
}

/** One "Metadata" row per key users set, as `key: value`; the server's own _nats.* keys are left out. */
export function metadataRows(metadata: Record<string, string> | undefined): KvRow[] {
  return Object.entries(metadata ?? {})
    .filter(([k]) => !k.startsWith("_nats."))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]): KvRow => ["Metadata", `${k}: ${v}`]);
}

/** The fields a server reports for a source or mirror beyond what nats.js 3.3 types. */
type ReportedSource = StreamSourceInfo & { filter_subject?: string; external?: { api?: string; deliver?: string } };

/** "$JS.pi.API" -> domain pi; any other external API prefix is shown as it is. */
function externalText(external: { api?: string; deliver?: string } | undefined): string | undefined {
  if (!external?.api) return undefined;
  const domain = /^\$JS\.([^.]+)\.API$/.exec(external.api)?.[1];
  const where = domain ? `domain ${domain} (${external.api})` : `API prefix ${external.api}`;
  return external.deliver ? `${where}, deliver prefix ${external.deliver}` : where;
}

/**
 * natscli's "Source Information": for each source or mirror, what it reads, from where, how far behind it is, when
 * the server last heard from it and its error, so a dead source is visible. `configured` fills in what an older
 * server leaves out of the reported state (the filter, the external API).
 */
export function sourceRows(reported: ReportedSource, configured: StreamSource | undefined, now = Date.now()): KvRow[] {
  const filter = reported.filter_subject || configured?.filter_subject;
  const transforms = reported.subject_transforms ?? configured?.subject_transforms ?? [];
  // `active` is nanoseconds since the last contact; -1 (or an absurd value) means never.
  const active = reported.active;
  const lastSeen = active >= 0 && active < 9e18 ? `${formatDuration(Math.round(active / 1e6))} ago` : "never";
  return [
    ["Stream Name", reported.name],
    ["Subject Filter", filter || undefined],
    ...transforms.map((t): KvRow => ["Subject Transform", `${t.src || ">"} → ${t.dest}`]),
    ["Start Sequence", configured?.opt_start_seq ? formatCount(configured.opt_start_seq) : undefined],
    ["Start Time", configured?.opt_start_time && !isZeroTime(configured.opt_start_time) ? formatLocalTime(configured.opt_start_time) : undefined],
    ["External", externalText(reported.external ?? configured?.external)],
    ["Lag", formatCount(reported.lag)],
    ["Last Seen", lastSeen],
    ["Error", reported.error ? `${reported.error.description} (${reported.error.err_code ?? reported.error.code})` : undefined],
  ];
}

function replicationSections(info: StreamInfo, now: number): KvSection[] {
  const configuredSources = info.config.sources ?? [];
  const sections: KvSection[] = [];
  if (info.mirror) sections.push({ title: "Mirror Information", rows: sourceRows(info.mirror as ReportedSource, info.config.mirror, now) });
  for (const source of (info.sources ?? []) as ReportedSource[]) {
    const configured = configuredSources.find(
      (c) => c.name === source.name && (c.external?.api ?? "") === (source.external?.api ?? c.external?.api ?? ""),
    );
    sections.push({ title: "Source Information", rows: sourceRows(source, configured, now) });
  }
  return sections;
}

/** Fields of 2.10+ servers that nats.js 3.3 does not type. */
type NewerStreamFields = {
  first_seq?: number;
  mirror_direct?: boolean;
  persist_mode?: string;
  allow_msg_ttl?: boolean;
  subject_delete_marker_ttl?: number;
  allow_atomic?: boolean;
  allow_batched?: boolean;
  allow_msg_counter?: boolean;
  allow_msg_schedules?: boolean;
  consumer_limits?: { inactive_threshold?: number; max_ack_pending?: number };
};

/**
 * "yes" for a feature the stream allows; "no" only when the hosting server (its `_nats.level` API level) has the
 * feature, so a 2.9 or 2.10 stream does not list 2.12 features it could never have. natscli prints these rows always.
 */
function allowsText(flag: boolean | undefined, level: number, metadata: Record<string, string> | undefined): string | undefined {
  if (flag) return "yes";
  const hosted = Number(metadata?.["_nats.level"]);
  return Number.isFinite(hosted) && hosted >= level ? "no" : undefined;
}

export function renderStreamInfo(info: StreamInfo, now = Date.now()): string {
  const c = info.config;
  const extra = c as unknown as NewerStreamFields;
  const allows = (flag: boolean | undefined, level: number) => allowsText(flag, level, c.metadata);
  const s = info.state;
  const configuration: KvRow[] = [
    ["Description", c.description || undefined],
    ["Subjects", c.subjects?.length ? c.subjects.join(", ") : undefined],
    ["Replicas", c.num_replicas],
    ["Storage", capital(c.storage)],
    ["Retention", RETENTION_NAMES[c.retention] ?? c.retention],
    ["Acknowledgments", yesNo(!c.no_ack)],
    ["Discard Policy", capital(c.discard) + (c.discard_new_per_subject ? " (per subject)" : "")],
    ["Duplicate Window", nanosText(c.duplicate_window)],
    ["Direct Get", yesNo(c.allow_direct)],
    ["Mirror Direct Get", extra.mirror_direct ? "yes" : undefined],
    // API levels: 1 came with nats-server 2.11, 2 with 2.12, 4 with 2.14 (2.12.15 hosts 3 and lacks allow_batched).
    ["Allows Atomic Batch Publish", allows(extra.allow_atomic, 2)],
    ["Allows Fast Batch Publish", allows(extra.allow_batched, 4)],
    ["Allows Counters", allows(extra.allow_msg_counter, 2)],
    ["Allows Msg Delete", yesNo(!c.deny_delete)],
    ["Allows Per-Message TTL", allows(extra.allow_msg_ttl, 1)],
    ["Allows Purge", yesNo(!c.deny_purge)],
    ["Allows Schedules", allows(extra.allow_msg_schedules, 2)],
    ["Allows Rollups", yesNo(c.allow_rollup_hdrs)],
    ["Subject Delete Markers TTL", typeof extra.subject_delete_marker_ttl === "number" && extra.subject_delete_marker_ttl > 0 ? nanosText(extra.subject_delete_marker_ttl) : undefined],
    ["Sealed", c.sealed ? "yes" : undefined],
    ["Compression", c.compression && c.compression !== "none" ? c.compression.toUpperCase() : undefined],
    ["Persistence Mode", extra.persist_mode && extra.persist_mode !== "default" ? capital(extra.persist_mode) : undefined],
    ["First Sequence", extra.first_seq && extra.first_seq > 0 ? formatCount(extra.first_seq) : undefined],
    ["Subject Transform", c.subject_transform ? `${c.subject_transform.src || ">"} → ${c.subject_transform.dest}` : undefined],
    ["Placement", placementText(c.placement)],
    ["Republishing", c.republish ? `${c.republish.src || ">"} → ${c.republish.dest}${c.republish.headers_only ? " (headers only)" : ""}` : undefined],
    ...metadataRows(c.metadata),
    ["Mirror", c.mirror ? c.mirror.name : undefined],
    ["Sources", c.sources?.length ? c.sources.map((x) => x.name).join(", ") : undefined],
  ];
  const limits: KvRow[] = [
    ["Maximum Messages", unlimitedCount(c.max_msgs)],
    ["Maximum Per Subject", c.max_msgs_per_subject <= 0 ? "unlimited" : formatCount(c.max_msgs_per_subject)],
    ["Maximum Bytes", unlimitedBytes(c.max_bytes)],
    ["Maximum Age", c.max_age <= 0 ? "unlimited" : nanosText(c.max_age)],
    ["Maximum Message Size", unlimitedBytes(c.max_msg_size)],
    ["Maximum Consumers", unlimitedCount(c.max_consumers)],
    ["Consumer Inactive Threshold", nanosText(positive(extra.consumer_limits?.inactive_threshold))],
    ["Consumer Max Ack Pending", countText(positive(extra.consumer_limits?.max_ack_pending))],
  ];
  const state: KvRow[] = [
    ["Messages", formatCount(s.messages)],
    ["Bytes", formatBytes(s.bytes)],
    ["First Sequence", sequenceAt(s.first_seq, s.first_ts, now)],
    ["Last Sequence", sequenceAt(s.last_seq, s.last_ts, now)],
    ["Deleted Messages", s.num_deleted ? formatCount(s.num_deleted) : undefined],
    ["Lost Messages", s.lost?.msgs?.length ? `${formatCount(s.lost.msgs.length)} (${formatBytes(s.lost.bytes)})` : undefined],
    ["Active Consumers", formatCount(s.consumer_count)],
    ["Number of Subjects", s.num_subjects !== undefined ? formatCount(s.num_subjects) : undefined],
  ];
  const sections: KvSection[] = [
    { title: "Configuration", rows: configuration },
    { title: "Limits", rows: limits },
    { title: "Cluster Information", rows: clusterRows(info.cluster, now) },
    ...replicationSections(info, now),
    { title: "State", rows: state },
  ];
  const created = isZeroTime(info.created) ? "" : ` created ${formatLocalTime(info.created)}`;
  return `Information for Stream ${sanitizeText(c.name)}${created}\n\n` + renderSections(sections);
}

/** name, subjects, messages, bytes, last message, consumers: one row per stream. */
export function renderStreamTable(streams: StreamInfo[], layout: TableOptions = {}, now = Date.now()): string {
  if (streams.length === 0) return "No streams defined\n";
  const rows = streams.map((si) => [
    si.config.name,
    (si.config.subjects ?? []).join(", "),
    formatCount(si.state.messages),
    formatBytes(si.state.bytes),
    isZeroTime(si.state.last_ts) || si.state.messages === 0 ? "never" : formatAgo(si.state.last_ts, now),
    formatCount(si.state.consumer_count),
  ]);
  return renderTable(
    [
      { header: "Name", shrink: true, minWidth: 12 },
      { header: "Subjects", shrink: true, minWidth: 10 },
      { header: "Messages", align: "right" },
      { header: "Bytes", align: "right" },
      { header: "Last Message", align: "right" },
      { header: "Consumers", align: "right" },
    ],
    rows,
    layout,
  );
}

/** Subject, messages, share of the listed total: the event-type census of `stream subjects`. */
export function renderSubjectCounts(
  counts: Array<{ subject: string; messages: number; oldest?: string }>,
  layout: TableOptions = {},
  nowMs = Date.now(),
): string {
  if (counts.length === 0) return "No messages on matching subjects\n";
  const total = counts.reduce((a, c) => a + c.messages, 0);
  const age = (iso: string | undefined) => (iso === undefined ? "" : formatDuration(Math.max(0, nowMs - Date.parse(iso))));
  const rows = counts.map((c) => [
    c.subject,
    formatCount(c.messages),
    total > 0 ? `${((c.messages / total) * 100).toFixed(1)}%` : "",
    age(c.oldest),
  ]);
  rows.push(["total", formatCount(total), "", ""]);
  return renderTable(
    [
      { header: "Subject", shrink: true, minWidth: 16 },
      { header: "Messages", align: "right" },
      { header: "Share", align: "right" },
      { header: "Oldest", align: "right" },
    ],
    rows,
    layout,
  );
}
