import { describe, expect, it } from "vitest";
import { downsample, sparkline } from "../../../src/tui/state/sparkline.js";

describe("sparkline", () => {
  it("scales blocks to the largest value, zero as the baseline", () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe("▁▂▃▅█");
    expect(sparkline([0, 0, 0])).toBe("▁▁▁");
    expect(sparkline([])).toBe("");
  });

  it("sums groups of seconds into fewer columns", () => {
    expect(downsample([1, 1, 1, 1, 1, 1], 3)).toEqual([2, 2, 2]);
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
    expect(sparkline(new Array(60).fill(1), 20)).toHaveLength(20);
  });
});
