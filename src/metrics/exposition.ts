// The Prometheus text exposition format (0.0.4): metric families with HELP and TYPE lines, samples with escaped
// label values, and cumulative histograms. Pure: collectors fill an Exposition, the HTTP server sends its text.
import { sanitizeText } from "../text/sanitize.js";

export type MetricType = "counter" | "gauge" | "histogram";

export type Labels = Readonly<Record<string, string>>;

/** The content type Prometheus asks for and this text follows. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Label values come from events and servers (sensor names, consumer names): longer ones are cut. */
const MAX_LABEL_CHARS = 128;

/**
 * A label value as the format wants it (backslash, double quote and newline escaped), after the sanitiser has
 * made control, bidi and invisible characters visible: a Grafana legend or a `curl` in a terminal shows an
 * attacker's sensor name as text, never as escape sequences.
 */
export function escapeLabelValue(value: string): string {
  const clipped = value.length > MAX_LABEL_CHARS ? `${value.slice(0, MAX_LABEL_CHARS)}…` : value;
  return sanitizeText(clipped).replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
}

/** Go's strconv formatting as Prometheus clients write it: integers plainly, +Inf/-Inf/NaN spelled out. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function labelText(labels: Labels | undefined, extra?: [string, string]): string {
  const parts: string[] = [];
  if (labels) for (const key of Object.keys(labels)) parts.push(`${key}="${escapeLabelValue(labels[key]!)}"`);
  if (extra) parts.push(`${extra[0]}="${extra[1]}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Upper bounds of a histogram's buckets, in the metric's base unit; +Inf is implied. */
export type Buckets = readonly number[];

/** Publish latencies: half a millisecond (a local server) to ten seconds (a server that stalls). */
export const LATENCY_BUCKETS_SECONDS: Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Observations counted per bucket (not yet cumulative), their sum and count. */
export class Histogram {
  private readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: Buckets = LATENCY_BUCKETS_SECONDS) {
    this.counts = new Array<number>(buckets.length + 1).fill(0);
  }
  observe(value: number): void {
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
  /** Cumulative counts per upper bound, +Inf last. */
  cumulative(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    let running = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      running += this.counts[i]!;
      out.push([formatSampleValue(this.buckets[i]!), running]);
    }
    out.push(["+Inf", running + this.counts[this.buckets.length]!]);
    return out;
  }
}

/** Builds one scrape's text, family by family. Each family's samples must be written together. */
export class Exposition {
  private readonly lines: string[] = [];
  private readonly declared = new Set<string>();

  /** Declares a family (once per scrape); `name` follows the conventions: `_total` for counters, base units. */
  family(name: string, type: MetricType, help: string): this {
    if (this.declared.has(name)) throw new Error(`metric family ${name} declared twice`);
    this.declared.add(name);
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, value: number, labels?: Labels): this {
    this.lines.push(`${name}${labelText(labels)} ${formatSampleValue(value)}`);
    return this;
  }

  /** A family with one sample per entry of `values` (skipped when undefined). */
  samples(name: string, type: MetricType, help: string, values: Iterable<[Labels | undefined, number | undefined]>): this {
    this.family(name, type, help);
    for (const [labels, value] of values) if (value !== undefined) this.sample(name, value, labels);
    return this;
  }

  histogram(name: string, help: string, series: Iterable<[Labels | undefined, Histogram]>): this {
    this.family(name, "histogram", help);
    for (const [labels, h] of series) {
      for (const [le, n] of h.cumulative()) this.lines.push(`${name}_bucket${labelText(labels, ["le", le])} ${n}`);
      this.lines.push(`${name}_sum${labelText(labels)} ${formatSampleValue(h.sum)}`, `${name}_count${labelText(labels)} ${h.count}`);
    }
    return this;
  }

  text(): string {
    return this.lines.length === 0 ? "" : this.lines.join("\n") + "\n";
  }
}
