// When the demo publishes: a home network's pace, not a firehose. Events arrive at random (Poisson) around a
// base rate that drifts between quiet spells and short bursts (a page load, an update check); stats every 8 s
// as Suricata writes them. Deterministic for a seed, and driven by the caller's clock, so it is easy to test.
import { mulberry32 } from "./sample-generator.js";

export interface DemoPaceOptions {
  /** Average events per second over a long run. */
  eventsPerSecond: number;
  seed?: number;
  /** Suricata's default stats interval. */
  statsIntervalMs?: number;
}

/** A Poisson-distributed count with mean `mean` (Knuth for small means, a rounded normal above 30). */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

// Activity levels and how likely each is for the next spell; they average to about 1.
const LEVELS: ReadonlyArray<readonly [multiplier: number, weight: number]> = [
  [0.4, 0.25],
  [0.8, 0.3],
  [1.2, 0.3],
  [2.6, 0.15],
];

export class DemoPacer {
  private readonly random: () => number;
  private readonly statsIntervalMs: number;
  private lastMs: number | undefined;
  private nextStatsMs: number | undefined;
  private level = 1;
  private levelUntilMs = 0;

  constructor(private readonly opts: DemoPaceOptions) {
    this.random = mulberry32(opts.seed ?? 1);
    this.statsIntervalMs = opts.statsIntervalMs ?? 8000;
  }

  /** How many events are due between the previous call and `nowMs` (none on the first call). */
  eventsDue(nowMs: number): number {
    if (this.lastMs === undefined || nowMs <= this.lastMs) {
      this.lastMs ??= nowMs;
      return 0;
    }
    let due = 0;
    let t = this.lastMs;
    // Spells change mid-interval too: integrate piecewise.
    while (t < nowMs) {
      if (t >= this.levelUntilMs) this.pickLevel(t);
      const until = Math.min(nowMs, this.levelUntilMs);
      due += poisson((this.opts.eventsPerSecond * this.level * (until - t)) / 1000, this.random);
      t = until;
    }
    this.lastMs = nowMs;
    return due;
  }

  /** True when a stats event is due (at once on the first call, then every statsIntervalMs). */
  statsDue(nowMs: number): boolean {
    if (this.nextStatsMs === undefined || nowMs >= this.nextStatsMs) {
      this.nextStatsMs = (this.nextStatsMs === undefined ? nowMs : this.nextStatsMs) + this.statsIntervalMs;
      if (this.nextStatsMs <= nowMs) this.nextStatsMs = nowMs + this.statsIntervalMs;
      return true;
    }
    return false;
  }

  private pickLevel(t: number): void {
    let r = this.random();
    this.level = LEVELS[LEVELS.length - 1]![0];
    for (const [multiplier, weight] of LEVELS) {
      if (r < weight) {
        this.level = multiplier;
        break;
      }
      r -= weight;
    }
    // Bursts are short; quiet and busy spells last longer.
    const lengthMs = this.level > 2 ? 1000 + this.random() * 2500 : 3000 + this.random() * 9000;
    this.levelUntilMs = t + lengthMs;
  }
}
