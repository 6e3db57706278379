// `check`'s thresholds: the -warn/-critical flag pairs (natscli's names where it has them) turned into numbers, and
// the Nagios rule every check follows: WARNING above the warning threshold, CRITICAL above the critical one.
import { UsageError } from "../errors.js";
import { checkSubject } from "../nats/subjects.js";
import { sanitizeText } from "../text/sanitize.js";
import { formatDuration, parseCount, parseDuration } from "../text/units.js";

export type CheckStatus = "OK" | "WARNING" | "CRITICAL" | "UNKNOWN";

/** Nagios plugin exit codes. */
export const STATUS_CODE: Record<CheckStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

/** Either bound may be absent; durations in ms, percentages 0-100, counts as they are. */
export interface Threshold {
  warn?: number;
  crit?: number;
}

export interface SubjectAgeThreshold extends Threshold {
  subject: string;
}

export interface HealthThresholds {
  /** Age of the newest event in the stream. */
  age?: Threshold;
  /** Age of the newest event per subject (a wildcard: each stored subject it matches). */
  subjectAge: SubjectAgeThreshold[];
  /** Age of the latest Suricata stats event (per sensor on a stream that sources sensors). */
  statsAge?: Threshold;
  /** Kernel drop % since Suricata started, from the latest stats event. */
  drop?: Threshold;
  /** Messages a source or mirror has yet to copy. */
  lag?: Threshold;
  /** Since the stream last heard from a source or mirror. */
  seen?: Threshold;
  consumer?: { name: string; unprocessed?: Threshold; ackPending?: Threshold };
  /** % of max_bytes or max_msgs used, whichever is more. */
  fullness?: Threshold;
}

/** The check flags as commander hands them over (strings, as typed). */
export interface CheckFlags {
  ageWarn?: string;
  ageCritical?: string;
  subjectAge?: string[];
  statsAgeWarn?: string;
  statsAgeCritical?: string;
  dropWarn?: string;
  dropCritical?: string;
  lagWarn?: string;
  lagCritical?: string;
  seenWarn?: string;
  seenCritical?: string;
  consumer?: string;
  unprocessedWarn?: string;
  unprocessedCritical?: string;
  outstandingAckWarn?: string;
  outstandingAckCritical?: string;
  fullnessWarn?: string;
  fullnessCritical?: string;
}

/** What runs when no check is asked for: is Suricata still writing? */
export const DEFAULT_AGE: Threshold = { warn: 5 * 60_000, crit: 15 * 60_000 };

/** WARNING above warn, CRITICAL above crit (Nagios's "alert when above"); a value equal to a threshold is still fine. */
export function statusFor(value: number, t: Threshold): CheckStatus {
  if (t.crit !== undefined && value > t.crit) return "CRITICAL";
  if (t.warn !== undefined && value > t.warn) return "WARNING";
  return "OK";
}

const SEVERITY: Record<CheckStatus, number> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };

/** The overall status: CRITICAL over WARNING over UNKNOWN over OK (the monitoring plugins' max_state_alt). */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = "OK";
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

/** Orders checks for the summary: the most severe first. */
export function bySeverity(a: CheckStatus, b: CheckStatus): number {
  return SEVERITY[b] - SEVERITY[a];
}

type Parse = (text: string, flag: string) => number;

const duration: Parse = (text, flag) => parseDuration(text, flag);
const count: Parse = (text, flag) => parseCount(text, flag);

const percent: Parse = (text, flag) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 0 && n <= 100)) throw new UsageError(`invalid ${flag} '${sanitizeText(text)}': use a percentage from 0 to 100, e.g. 5 or 2.5%`);
  return n;
};

function pair(warnText: string | undefined, critText: string | undefined, name: string, parse: Parse, show: (n: number) => string): Threshold | undefined {
  if (warnText === undefined && critText === undefined) return undefined;
  const t: Threshold = {};
  if (warnText !== undefined) t.warn = parse(warnText, `--${name}-warn`);
  if (critText !== undefined) t.crit = parse(critText, `--${name}-critical`);
  checkOrder(t, `--${name}-warn`, `--${name}-critical`, show);
  return t;
}

function checkOrder(t: Threshold, warnFlag: string, critFlag: string, show: (n: number) => string): void {
  if (t.warn !== undefined && t.crit !== undefined && t.warn > t.crit) {
    throw new UsageError(`${warnFlag} ${show(t.warn)} is above ${critFlag} ${show(t.crit)}: a check warns first, then goes critical`);
  }
}

const SUBJECT_AGE_USAGE = "use SUBJECT=WARN,CRIT, e.g. suricata.stats=1m,5m (one may be left out: suricata.alert=,1d)";

/** "suricata.stats=1m,5m", "suricata.alert=,1d", "suricata.*=10m,". */
export function parseSubjectAge(text: string): SubjectAgeThreshold {
  const eq = text.lastIndexOf("=");
  const comma = eq === -1 ? -1 : text.indexOf(",", eq);
  if (eq <= 0 || comma === -1 || text.indexOf(",", comma + 1) !== -1) {
    throw new UsageError(`invalid --subject-age '${sanitizeText(text)}': ${SUBJECT_AGE_USAGE}`);
  }
  const subject = checkSubject(text.slice(0, eq), "--subject-age subject");
  const warnText = text.slice(eq + 1, comma).trim();
  const critText = text.slice(comma + 1).trim();
  if (warnText === "" && critText === "") throw new UsageError(`invalid --subject-age '${sanitizeText(text)}': no threshold given; ${SUBJECT_AGE_USAGE}`);
  const t: SubjectAgeThreshold = { subject };
  if (warnText !== "") t.warn = parseDuration(warnText, `--subject-age warning for ${subject}`);
  if (critText !== "") t.crit = parseDuration(critText, `--subject-age critical for ${subject}`);
  checkOrder(t, `--subject-age ${subject} warning`, "critical", formatDuration);
  return t;
}

/** The flags as thresholds; with no check asked for, the default age check. Usage errors name the flag. */
export function parseThresholds(flags: CheckFlags): HealthThresholds {
  const showCount = (n: number) => String(n);
  const showPct = (n: number) => `${n}%`;
  const t: HealthThresholds = { subjectAge: (flags.subjectAge ?? []).map(parseSubjectAge) };
  const set = <K extends keyof HealthThresholds>(key: K, value: HealthThresholds[K] | undefined) => {
    if (value !== undefined) t[key] = value;
  };
  set("age", pair(flags.ageWarn, flags.ageCritical, "age", duration, formatDuration));
  set("statsAge", pair(flags.statsAgeWarn, flags.statsAgeCritical, "stats-age", duration, formatDuration));
  set("drop", pair(flags.dropWarn, flags.dropCritical, "drop", percent, showPct));
  set("lag", pair(flags.lagWarn, flags.lagCritical, "lag", count, showCount));
  set("seen", pair(flags.seenWarn, flags.seenCritical, "seen", duration, formatDuration));
  set("fullness", pair(flags.fullnessWarn, flags.fullnessCritical, "fullness", percent, showPct));
  const unprocessed = pair(flags.unprocessedWarn, flags.unprocessedCritical, "unprocessed", count, showCount);
  const ackPending = pair(flags.outstandingAckWarn, flags.outstandingAckCritical, "outstanding-ack", count, showCount);
  if (flags.consumer === undefined && (unprocessed || ackPending)) {
    throw new UsageError(`--${unprocessed ? "unprocessed" : "outstanding-ack"}-warn/-critical need --consumer NAME: which consumer to check`);
  }
  if (flags.consumer !== undefined) {
    t.consumer = { name: flags.consumer, ...(unprocessed ? { unprocessed } : {}), ...(ackPending ? { ackPending } : {}) };
  }
  const asked = t.subjectAge.length > 0 || (["age", "statsAge", "drop", "lag", "seen", "fullness", "consumer"] as const).some((k) => t[k] !== undefined);
  if (!asked) t.age = { ...DEFAULT_AGE };
  return t;
}
