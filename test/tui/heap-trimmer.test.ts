import { expect, it } from "vitest";
import { startHeapTrimmer } from "../../src/tui/heap-trimmer.js";

it("collects garbage once the heap has grown past the threshold", async () => {
  const stop = startHeapTrimmer(50, 4 * 1024 * 1024);
  try {
    const before = process.memoryUsage().heapUsed;
    // ~40 MB of short-lived garbage, as ink's frames make; dropped at once.
    let garbage: unknown[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, s: `line ${i} `.repeat(4) }));
    const peak = process.memoryUsage().heapUsed;
    expect(peak - before).toBeGreaterThan(20 * 1024 * 1024);
    garbage = undefined;
    void garbage;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && process.memoryUsage().heapUsed > before + (peak - before) / 2) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(process.memoryUsage().heapUsed).toBeLessThan(before + (peak - before) / 2);
  } finally {
    stop();
  }
});
