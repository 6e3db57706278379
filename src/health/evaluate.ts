// `check`'s verdicts: the facts read from the server against the thresholds asked for, one result per thing
// checked (per subject, per sensor, per source), each with the value Nagios graphs (its perfdata).
import type { HealthFacts, OriginFact, StatsFact } from "../nats/health.js";
import { formatBytes, formatCount, formatDuration } from "../text/units.js";
import { STATUS_CODE, bySeverity, statusFor, worstStatus, type CheckStatus, type HealthThresholds, type Threshold } from "./thresholds.js";

export interface CheckResult {
  /** What was checked: "age", "age suricata.alert", "kernel-drop garage", "lag suricata@garage", ... */
  name: string;
  status: CheckStatus;
  /** The measured value in `unit` (durations in seconds); absent when there is nothing to measure. */
  value?: number;
  unit: "s" | "%" | "";
  /** Thresholds in `unit`. */
  warn?: number;
  crit?: number;
  /** One line for people, with the threshold crossed when not OK. */
  message: string;
  /** Perfdata label (given when there is a value). */
  label?: string;
  min?: number;
  max?: number;
}

export interface HealthReport {
  stream: string;
  status: CheckStatus;
  code: number;
  checks: CheckResult[];
}

interface Measure {
  name: string;
  label: string;
  value: number;
  unit: CheckResult["unit"];
  threshold: Threshold | undefined;
  /** What the value says ("newest event 3s ago"). */
  says: string;
  /** Thresholds in words ("5m", "2%"). */
  show: (n: number) => string;
  min?: number;
  max?: number;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const showDuration = (sec: number) => formatDuration(sec * 1000);
const showCount = (n: number) => formatCount(n);
const showPct = (n: number) => `${n}%`;

function measured(m: Measure): CheckResult {
  const t = m.threshold ?? {};
  const status = statusFor(m.value, t);
  const crossed = status === "CRITICAL" ? `critical above ${m.show(t.crit!)}` : status === "WARNING" ? `warning above ${m.show(t.warn!)}` : undefined;
  return {
    name: m.name,
    status,
    value: m.value,
    unit: m.unit,
    ...(t.warn !== undefined ? { warn: t.warn } : {}),
    ...(t.crit !== undefined ? { crit: t.crit } : {}),
    message: crossed ? `${m.says} (${crossed})` : m.says,
    label: m.label,
    ...(m.min !== undefined ? { min: m.min } : {}),
    ...(m.max !== undefined ? { max: m.max } : {}),
  };
}

function unmeasured(name: string, status: CheckStatus, message: string, unit: CheckResult["unit"], t?: Threshold): CheckResult {
  const scale = (n: number) => (unit === "s" ? seconds(n) : n);
  return { name, status, unit, ...(t?.warn !== undefined ? { warn: scale(t.warn) } : {}), ...(t?.crit !== undefined ? { crit: scale(t.crit) } : {}), message };
}

/** A duration threshold (ms) in seconds, as the perfdata carries it. */
function inSeconds(t: Threshold | undefined): Threshold | undefined {
  if (t === undefined) return undefined;
  return { ...(t.warn !== undefined ? { warn: seconds(t.warn) } : {}), ...(t.crit !== undefined ? { crit: seconds(t.crit) } : {}) };
}

function ageChecks(facts: HealthFacts, t: HealthThresholds): CheckResult[] {
  const out: CheckResult[] = [];
  if (t.age) {
    out.push(
      facts.newestAgeMs === undefined
        ? unmeasured("age", "CRITICAL", "no events at all", "s", t.age)
        : measured({ name: "age", label: "age", value: seconds(facts.newestAgeMs), unit: "s", threshold: inSeconds(t.age), says: `newest event ${formatDuration(facts.newestAgeMs)} ago`, show: showDuration, min: 0 }),
    );
  }
  t.subjectAge.forEach((st, i) => {
    const fact = facts.subjects[i];
    if (fact === undefined || fact.matches.length === 0) {
      out.push(unmeasured(`age ${st.subject}`, "CRITICAL", `no events on ${st.subject}`, "s", st));
      return;
    }
    for (const m of fact.matches) {
      out.push(measured({ name: `age ${m.subject}`, label: `age_${m.subject}`, value: seconds(m.ageMs), unit: "s", threshold: inSeconds(st), says: `newest on ${m.subject} ${formatDuration(m.ageMs)} ago`, show: showDuration, min: 0 }));
    }
    if (fact.truncated) out.push(unmeasured(`age ${st.subject}`, "UNKNOWN", `${formatCount(fact.truncated)} more subjects match ${st.subject}: not checked`, "s", st));
  });
  return out;
}

function statsChecks(facts: HealthFacts, t: HealthThresholds): CheckResult[] {
  const out: CheckResult[] = [];
  for (const s of facts.stats) {
    const who = s.sensor === undefined ? "" : ` ${s.sensor}`;
    const of = s.sensor === undefined ? "" : ` of ${s.sensor}`;
    const missing = missingStats(s);
    if (t.statsAge) {
      const name = `stats-age${who}`;
      if (missing) out.push(unmeasured(name, missing.status, missing.message, "s", t.statsAge));
      else out.push(measured({ name, label: `stats_age${who ? "_" + s.sensor : ""}`, value: seconds(s.stats!.ageMs), unit: "s", threshold: inSeconds(t.statsAge), says: `stats event${of} ${formatDuration(s.stats!.ageMs)} ago`, show: showDuration, min: 0 }));
    }
    if (t.drop) {
      const name = `kernel-drop${who}`;
      const pct = s.stats?.kernelDropPct;
      if (missing) out.push(unmeasured(name, missing.status, missing.message, "%", t.drop));
      else if (pct === undefined) out.push(unmeasured(name, "UNKNOWN", `stats event${of} has no kernel capture counters (not a live capture?)`, "%", t.drop));
      else out.push(measured({ name, label: `kernel_drop${who ? "_" + s.sensor : ""}`, value: round(pct, 3), unit: "%", threshold: t.drop, says: `kernel drops${of} ${pct.toFixed(2)}% since Suricata started`, show: showPct, min: 0, max: 100 }));
    }
  }
  return out;
}

function missingStats(s: StatsFact): { status: CheckStatus; message: string } | undefined {
  if (!s.reachable) return { status: "UNKNOWN", message: `sensor ${s.sensor} does not answer (leaf node link down?): its stats are unknown` };
  if (s.stats === undefined) return { status: "CRITICAL", message: s.sensor === undefined ? "no stats event in the stream" : `no stats event from ${s.sensor}` };
  return undefined;
}

function originChecks(facts: HealthFacts, t: HealthThresholds): CheckResult[] {
  if (!t.lag && !t.seen) return [];
  if (facts.origins.length === 0) return [unmeasured("sources", "UNKNOWN", "no sources and no mirror: no lag to check", "")];
  const out: CheckResult[] = [];
  for (const o of facts.origins) {
    const error = o.error ? ` (error: ${o.error})` : "";
    if (t.lag) {
      out.push(measured({ name: `lag ${o.label}`, label: `lag_${o.label}`, value: o.lag, unit: "", threshold: t.lag, says: `${o.kind} ${o.label} lag ${formatCount(o.lag)}${error}`, show: showCount, min: 0 }));
    }
    if (t.seen) out.push(seenCheck(o, t.seen, error));
  }
  return out;
}

function seenCheck(o: OriginFact, t: Threshold, error: string): CheckResult {
  const name = `seen ${o.label}`;
  if (o.lastSeenMs === undefined) return unmeasured(name, "CRITICAL", `${o.kind} ${o.label} never seen${error}`, "s", t);
  return measured({ name, label: `seen_${o.label}`, value: seconds(o.lastSeenMs), unit: "s", threshold: inSeconds(t), says: `${o.kind} ${o.label} seen ${formatDuration(o.lastSeenMs)} ago${error}`, show: showDuration, min: 0 });
}

function consumerChecks(facts: HealthFacts, t: HealthThresholds): CheckResult[] {
  const c = facts.consumer;
  if (t.consumer === undefined || c === undefined) return [];
  if (!c.found) return [unmeasured(`consumer ${c.name}`, "UNKNOWN", `consumer ${c.name} does not exist`, "")];
  return [
    measured({ name: `unprocessed ${c.name}`, label: "unprocessed", value: c.unprocessed, unit: "", threshold: t.consumer.unprocessed, says: `consumer ${c.name}: ${formatCount(c.unprocessed)} unprocessed`, show: showCount, min: 0 }),
    measured({ name: `ack-pending ${c.name}`, label: "ack_pending", value: c.ackPending, unit: "", threshold: t.consumer.ackPending, says: `consumer ${c.name}: ${formatCount(c.ackPending)} awaiting ack`, show: showCount, min: 0 }),
  ];
}

function fullnessCheck(facts: HealthFacts, t: HealthThresholds): CheckResult[] {
  if (!t.fullness) return [];
  const { bytes, maxBytes, messages, maxMsgs, discard } = facts.limits;
  const parts: Array<{ pct: number; says: string }> = [];
  if (maxBytes > 0) parts.push({ pct: (bytes / maxBytes) * 100, says: `${formatBytes(bytes)} of ${formatBytes(maxBytes)}` });
  if (maxMsgs > 0) parts.push({ pct: (messages / maxMsgs) * 100, says: `${formatCount(messages)} of ${formatCount(maxMsgs)} messages` });
  if (parts.length === 0) return [unmeasured("fullness", "OK", "no max_bytes or max_msgs limit: cannot fill up", "%", t.fullness)];
  const fullest = parts.reduce((a, b) => (b.pct > a.pct ? b : a));
  const when = discard === "new" ? "discard new: refuses events when full" : "discard old: drops its oldest events when full";
  return [measured({ name: "fullness", label: "fullness", value: round(fullest.pct, 2), unit: "%", threshold: t.fullness, says: `${fullest.pct.toFixed(1)}% full (${fullest.says}; ${when})`, show: showPct, min: 0, max: 100 })];
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Every check the thresholds ask for, in the order of the flags; the overall status is the worst of them. */
export function evaluateHealth(facts: HealthFacts, t: HealthThresholds): HealthReport {
  const checks = [...ageChecks(facts, t), ...statsChecks(facts, t), ...originChecks(facts, t), ...consumerChecks(facts, t), ...fullnessCheck(facts, t)];
  return reportOf(facts.stream, checks);
}

/** A check that could not run at all (server unreachable, no such stream, bad flags): UNKNOWN with why. */
export function unknownReport(stream: string, message: string): HealthReport {
  return reportOf(stream, [{ name: "check", status: "UNKNOWN", unit: "", message }]);
}

function reportOf(stream: string, checks: CheckResult[]): HealthReport {
  const status = worstStatus(checks.map((c) => c.status));
  return { stream, status, code: STATUS_CODE[status], checks };
}

/** The checks for the summary line: every one when all is well, else those not OK, most severe first. */
export function summaryChecks(report: HealthReport): CheckResult[] {
  if (report.status === "OK") return report.checks;
  return report.checks.filter((c) => c.status !== "OK").sort((a, b) => bySeverity(a.status, b.status));
}
