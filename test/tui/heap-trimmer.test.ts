import { expect, it } from "vitest";
import { startHeapTrimmer } from "../../src/tui/heap-trimmer.js";

/** Heap still in use 600 ms after dropping ~30 MB of old-generation garbage, with nothing else allocating. */
async function heapLeftAfterQuietPeriod(withTrimmer: boolean): Promise<{ grown: number; left: number }> {
  const stop = withTrimmer ? startHeapTrimmer(50, 4 * 1024 * 1024) : () => undefined;
  try {
    const before = process.memoryUsage().heapUsed;
    // Kept long enough to be promoted to the old generation, as ink's frames are under load.
    let kept: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `line ${i} `.repeat(4) }));
    const grown = process.memoryUsage().heapUsed - before;
    kept = undefined;
    void kept;
    await new Promise((r) => setTimeout(r, 600));
    return { grown, left: process.memoryUsage().heapUsed - before };
  } finally {
    stop();
  }
}

it("gives garbage back during a quiet period, when V8 on its own would not collect", async () => {
  const { grown, left } = await heapLeftAfterQuietPeriod(true);
  expect(grown).toBeGreaterThan(15 * 1024 * 1024);
  expect(left).toBeLessThan(grown / 2);
});
