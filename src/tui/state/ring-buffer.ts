// A fixed-capacity ring of the newest items, addressed by absolute index: the n-th item ever pushed has index n,
// so positions held by the UI (a selected row, the top of a paused window) stay valid while new items arrive.

export class RingBuffer<T> {
  private readonly items: Array<T | undefined>;
  private start = 0;
  private end = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Absolute index of the oldest item still held. */
  get firstIndex(): number {
    return this.start;
  }

  /** Absolute index one past the newest item (= number of items ever pushed since the last clear). */
  get endIndex(): number {
    return this.end;
  }

  get size(): number {
    return this.end - this.start;
  }

  /** Appends; evicts the oldest item when full. Returns the new item's absolute index. */
  push(item: T): number {
    const index = this.end;
    this.items[index % this.capacity] = item;
    this.end++;
    if (this.end - this.start > this.capacity) this.start = this.end - this.capacity;
    return index;
  }

  has(index: number): boolean {
    return index >= this.start && index < this.end;
  }

  /** The item at an absolute index, or undefined when it was evicted or never pushed. */
  get(index: number): T | undefined {
    return this.has(index) ? this.items[index % this.capacity] : undefined;
  }

  /** Items from absolute index `from` (inclusive) to `to` (exclusive), clamped to what is held, oldest first. */
  slice(from = this.start, to = this.end): T[] {
    const out: T[] = [];
    for (let i = Math.max(from, this.start); i < Math.min(to, this.end); i++) out.push(this.items[i % this.capacity]!);
    return out;
  }

  /** Forgets every item; indices keep counting up so positions held elsewhere never point at a different item. */
  clear(): void {
    this.items.fill(undefined);
    this.start = this.end;
  }
}
