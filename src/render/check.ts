// `check`'s output as a Nagios plugin writes it: "NSM4HOME STATUS: summary | perfdata" on the first line, one line
// per check after it; and the same as one JSON document. Names in it come from servers and events: escaped.
import { summaryChecks, type CheckResult, type HealthReport } from "../health/evaluate.js";
import { sanitizeText } from "../text/sanitize.js";

/** A "|" in plugin output starts the perfdata: one in a message (a subject may hold one) must not. */
function outputText(s: string): string {
  return sanitizeText(s).replaceAll("|", "¦");
}

/** Labels as Nagios reads them: quoted when they hold anything but letters, digits and _ . : @ / -; a quote doubled. */
export function perfdataLabel(label: string): string {
  const safe = sanitizeText(label).replaceAll("|", "¦").replaceAll("=", "_");
  return /^[A-Za-z0-9_.:@/-]+$/.test(safe) ? safe : `'${safe.replaceAll("'", "''")}'`;
}

function number(n: number | undefined): string {
  if (n === undefined) return "";
  return String(Math.round(n * 1000) / 1000);
}

/** `label=value[UOM];warn;crit;min;max`, the empty fields at the end left out. */
export function perfdataItem(c: CheckResult): string | undefined {
  if (c.value === undefined || c.label === undefined) return undefined;
  const fields = [number(c.warn), number(c.crit), number(c.min), number(c.max)];
  while (fields.length > 0 && fields[fields.length - 1] === "") fields.pop();
  return [`${perfdataLabel(c.label)}=${number(c.value)}${c.unit}`, ...fields].join(";");
}

export function perfdataOf(report: HealthReport): string {
  return report.checks.map(perfdataItem).filter((p): p is string => p !== undefined).join(" ");
}

export function summaryOf(report: HealthReport): string {
  // One cause can fail several checks (a sensor that does not answer has no stats age and no drops): said once.
  const text = [...new Set(summaryChecks(report).map((c) => outputText(c.message)))].join("; ");
  const isError = report.checks.length === 1 && report.checks[0]!.name === "check";
  return isError ? text : `stream ${outputText(report.stream)}: ${text}`;
}

/** The plugin output: the status line, then (with more than one check) a line per check. */
export function renderNagios(report: HealthReport): string {
  const perfdata = perfdataOf(report);
  let out = `NSM4HOME ${report.status}: ${summaryOf(report)}${perfdata ? ` | ${perfdata}` : ""}\n`;
  if (report.checks.length > 1) for (const c of report.checks) out += `${c.status}: ${outputText(c.message)}\n`;
  return out;
}

export interface CheckJson {
  status: string;
  code: number;
  stream: string;
  summary: string;
  checks: Array<{ name: string; status: string; value: number | null; unit: string; warn: number | null; crit: number | null; message: string }>;
  perfdata: string;
}

/** `--json`: the same verdicts for scripts; values and thresholds in `unit` (seconds for durations). */
export function checkJson(report: HealthReport): CheckJson {
  return {
    status: report.status,
    code: report.code,
    stream: report.stream,
    summary: summaryOf(report),
    checks: report.checks.map((c) => ({ name: c.name, status: c.status, value: c.value ?? null, unit: c.unit, warn: c.warn ?? null, crit: c.crit ?? null, message: c.message })),
    perfdata: perfdataOf(report),
  };
}
