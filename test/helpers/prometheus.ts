// A strict reader of the Prometheus text exposition format (0.0.4), for tests that scrape /metrics with a real
// HTTP client: it throws on anything Prometheus would reject or that breaks the conventions we promise
// (TYPE before samples, a family's samples together, no duplicate series, cumulative buckets, `_total` counters).

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help?: string;
  series: Series[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(text: string, line: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`bad sample value '${text}' in: ${line}`);
  return Number(text);
}

/** Labels from just after `{`; returns them and the index after `}`. */
function parseLabels(line: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    if (line[i] === "}") return [labels, i + 1];
    const eq = line.indexOf("=", i);
    if (eq === -1) throw new Error(`label without '=' in: ${line}`);
    const name = line.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name '${name}' in: ${line}`);
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    if (line[eq + 1] !== '"') throw new Error(`label value not quoted in: ${line}`);
    let value = "";
    let j = eq + 2;
    for (;;) {
      const c = line[j];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === "\\") {
        const n = line[j + 1];
        if (n === "\\") value += "\\";
        else if (n === '"') value += '"';
        else if (n === "n") value += "\n";
        else throw new Error(`bad escape \\${n} in label value in: ${line}`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (line[i] === ",") i++;
    else if (line[i] !== "}") throw new Error(`expected ',' or '}' after label ${name} in: ${line}`);
  }
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sampleName);
  if (direct) return direct;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (sampleName.endsWith(suffix)) {
      const f = families.get(sampleName.slice(0, -suffix.length));
      if (f && (f.type === "histogram" || f.type === "summary")) return f;
    }
  }
  return undefined;
}

export function parseExposition(text: string): Map<string, Family> {
  if (text !== "" && !text.endsWith("\n")) throw new Error("exposition does not end with a newline");
  const families = new Map<string, Family>();
  const seriesKeys = new Set<string>();
  let current: Family | undefined;
  const closed = new Set<string>();
  for (const line of text.split("\n").slice(0, -1)) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) continue; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      let f = families.get(name);
      if (!f) {
        if (closed.has(name)) throw new Error(`family ${name} split in two in the text`);
        f = { name, type: "untyped", series: [] };
        families.set(name, f);
      } else if (f.series.length > 0) {
        throw new Error(`${kind} of ${name} after its samples`);
      }
      if (current && current !== f) closed.add(current.name);
      current = f;
      if (kind === "TYPE") {
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) throw new Error(`bad type in: ${line}`);
        f.type = rest as Family["type"];
      } else {
        if (f.help !== undefined) throw new Error(`second HELP for ${name}`);
        f.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
      }
      continue;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`bad sample line: ${line}`);
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
    let labels: Record<string, string> = {};
    let i = nameEnd;
    if (line[i] === "{") [labels, i] = parseLabels(line, i + 1);
    if (line[i] !== " ") throw new Error(`expected a space before the value in: ${line}`);
    const parts = line.slice(i + 1).split(" ");
    if (parts.length > 2 || parts[0] === "") throw new Error(`bad value part in: ${line}`);
    const value = parseValue(parts[0]!, line);
    let f = familyOf(name, families);
    if (!f) {
      f = { name, type: "untyped", series: [] };
      families.set(name, f);
    }
    if (current && current !== f) {
      closed.add(current.name);
      if (closed.has(f.name)) throw new Error(`samples of ${f.name} are not together`);
    }
    current = f;
    const key = name + JSON.stringify(Object.entries(labels).sort());
    if (seriesKeys.has(key)) throw new Error(`duplicate series: ${line}`);
    seriesKeys.add(key);
    f.series.push({ name, labels, value });
  }
  for (const f of families.values()) {
    if (f.type === "counter" && !f.name.endsWith("_total")) throw new Error(`counter ${f.name} does not end in _total`);
    if (f.type === "histogram") checkHistogram(f);
  }
  return families;
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Series[]>();
  for (const s of f.series) {
    if (s.name !== `${f.name}_bucket`) continue;
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`bucket of ${f.name} without le`);
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, buckets] of groups) {
    let last = -Infinity;
    let lastCount = 0;
    for (const b of buckets) {
      const le = parseValue(b.labels.le!, b.labels.le!);
      if (le <= last) throw new Error(`buckets of ${f.name} not in increasing order`);
      if (b.value < lastCount) throw new Error(`buckets of ${f.name} not cumulative`);
      last = le;
      lastCount = b.value;
    }
    if (last !== Infinity) throw new Error(`${f.name} has no +Inf bucket`);
    const count = f.series.find((s) => s.name === `${f.name}_count` && JSON.stringify(Object.entries(s.labels).sort()) === key);
    if (!count || count.value !== lastCount) throw new Error(`${f.name}_count differs from its +Inf bucket`);
  }
}

/** The value of one series (labels must match exactly), or undefined. */
export function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const f = familyOf(name, families);
  const want = JSON.stringify(Object.entries(labels).sort());
  return f?.series.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}

/** Scrapes with Node's HTTP client (fetch), checking the status and content type, and parses strictly. */
export async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  const type = res.headers.get("content-type") ?? "";
  if (!/^text\/plain; version=0\.0\.4/.test(type)) throw new Error(`GET ${url}: content-type ${type}`);
  return parseExposition(await res.text());
}
