// Weighted counts per key for a pane's top-N (domains, SNIs, talkers by bytes, signatures). Keys come from the
// network, so the map is bounded: past `maxKeys` the lighter half is forgotten, which keeps heavy hitters and
// memory flat even when every event carries a new name.

export interface TopEntry {
  key: string;
  weight: number;
  count: number;
}

export class TopCounter {
  // A Map, not an object: keys such as "__proto__" are ordinary keys here.
  private readonly weights = new Map<string, { weight: number; count: number }>();
  private pruned = false;

  constructor(readonly maxKeys = 10_000) {}

  add(key: string, weight = 1): void {
    const entry = this.weights.get(key);
    if (entry !== undefined) {
      entry.weight += weight;
      entry.count++;
      return;
    }
    this.weights.set(key, { weight, count: 1 });
    if (this.weights.size > this.maxKeys) this.prune();
  }

  /** True once keys have been forgotten: the figures are then lower bounds for keys that came back. */
  get approximate(): boolean {
    return this.pruned;
  }

  get size(): number {
    return this.weights.size;
  }

  top(n: number): TopEntry[] {
    const all: TopEntry[] = [];
    for (const [key, v] of this.weights) all.push({ key, weight: v.weight, count: v.count });
    all.sort((a, b) => b.weight - a.weight || b.count - a.count || (a.key < b.key ? -1 : 1));
    return all.slice(0, n);
  }

  clear(): void {
    this.weights.clear();
    this.pruned = false;
  }

  private prune(): void {
    const sorted = [...this.weights.entries()].sort((a, b) => b[1].weight - a[1].weight);
    this.weights.clear();
    for (const [key, v] of sorted.slice(0, Math.floor(this.maxKeys / 2))) this.weights.set(key, v);
    this.pruned = true;
  }
}
