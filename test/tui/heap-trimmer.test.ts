import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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

/** New space of a fresh Node after a workload whose survivors make V8 double its young generation. */
function newSpaceAfterWorkload(code: string, nodeArgs: string[] = []): number {
  const script = `
    import v8 from "node:v8";
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
    ${code}
    const kept = [];
    for (let i = 0; i < 2000000; i++) {
      kept.push({ i, s: "x" + i });
      if (kept.length > 100000) kept.splice(0, 50000);
    }
    console.log(newSpace());`;
  const out = execFileSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", script], { encoding: "utf8" });
  return Number(out.trim());
}

const trimmer = pathToFileURL(join(process.cwd(), "dist", "tui", "heap-trimmer.js")).href;

it("keeps the young generation at the size it had when capped; a size the user chose is left alone", () => {
  const uncapped = newSpaceAfterWorkload("");
  const capped = newSpaceAfterWorkload(`const { capYoungGeneration } = await import(${JSON.stringify(trimmer)}); const cap = newSpace(); capYoungGeneration(cap);`);
  // The workload grows an uncapped young generation to several times its starting size (2 MB -> 32 MB).
  expect(uncapped).toBeGreaterThanOrEqual(4 * capped);
  expect(capped).toBeLessThanOrEqual(4 * 1024 * 1024);
  const chosen = newSpaceAfterWorkload(`const { capYoungGeneration } = await import(${JSON.stringify(trimmer)}); capYoungGeneration(newSpace());`, [
    "--max-semi-space-size=8",
  ]);
  expect(chosen).toBe(16 * 1024 * 1024);
});

/** Peak old space of a fresh Node whose live set (~20 MB) is replaced piece by piece, as ink's frames are. */
function oldSpacePeakAfterWorkload(code: string, nodeArgs: string[] = []): number {
  const script = `
    import v8 from "node:v8";
    ${code}
    const oldSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space").space_size;
    let peak = 0;
    const live = [];
    for (let round = 0; round < 300; round++) {
      live.push(Array.from({ length: 5000 }, (_, i) => ({ round, i, s: "payload " + round + " " + i })));
      if (live.length > 40) live.shift();
      peak = Math.max(peak, oldSpace());
    }
    console.log(peak);`;
  const out = execFileSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", script], { encoding: "utf8" });
  return Number(out.trim());
}

it("has V8 collect the old generation after 20% growth; a factor the user chose is left alone", () => {
  const tighten = `const { tightenOldGenerationGrowth } = await import(${JSON.stringify(trimmer)}); tightenOldGenerationGrowth();`;
  const loose = oldSpacePeakAfterWorkload("");
  const tight = oldSpacePeakAfterWorkload(tighten);
  // Measured: about 200 MB against 80 MB.
  expect(tight).toBeLessThan(loose * 0.6);
  const chosen = oldSpacePeakAfterWorkload(tighten, ["--heap-growing-percent=300"]);
  expect(chosen).toBeGreaterThan(tight * 1.5);
});
