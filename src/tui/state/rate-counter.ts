// Messages per second and the last minute of per-second counts, for a pane title and its sparkline.
// Counts go into one-second buckets keyed by wall-clock second; a minute of buckets is kept.

export const RATE_WINDOW_SECONDS = 60;
/** A minute of complete seconds plus the one being counted. */
const SLOTS = RATE_WINDOW_SECONDS + 1;

export class RateCounter {
  private readonly buckets = new Float64Array(SLOTS);
  /** The second (epoch seconds) each slot currently holds. */
  private readonly bucketSecond = new Float64Array(SLOTS).fill(-1);

  add(count: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % SLOTS;
    if (this.bucketSecond[slot] !== second) {
      this.bucketSecond[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot]! += count;
  }

  /** Count recorded in a given epoch second (0 when nothing, or when it is older than the window). */
  countAt(second: number): number {
    const slot = ((second % SLOTS) + SLOTS) % SLOTS;
    return this.bucketSecond[slot] === second ? this.buckets[slot]! : 0;
  }

  /** Messages in the last complete second: an exact figure that does not jump with the frame rate. */
  perSecond(nowMs: number): number {
    return this.countAt(Math.floor(nowMs / 1000) - 1);
  }

  /** The last `seconds` complete seconds, oldest first. */
  history(nowMs: number, seconds = RATE_WINDOW_SECONDS): number[] {
    const current = Math.floor(nowMs / 1000);
    const n = Math.min(seconds, RATE_WINDOW_SECONDS);
    const out: number[] = [];
    for (let s = current - n; s < current; s++) out.push(this.countAt(s));
    return out;
  }

  reset(): void {
    this.buckets.fill(0);
    this.bucketSecond.fill(-1);
  }
}
