import { describe, expect, it } from "vitest";
import { FormattedLineCache } from "../../../src/tui/state/line-cache.js";

describe("FormattedLineCache", () => {
  it("formats a message once while it stays on screen at the same width, colour and time style", () => {
    const cache = new FormattedLineCache();
    const formatted: number[] = [];
    const format = (index: number) => {
      formatted.push(index);
      return `line ${index}`;
    };
    expect(cache.linesFor([1, 2, 3], "58 true local", format)).toEqual(["line 1", "line 2", "line 3"]);
    // The next frame: two rows scrolled off, two new ones arrived; only the new ones are formatted.
    expect(cache.linesFor([3, 4, 5], "58 true local", format)).toEqual(["line 3", "line 4", "line 5"]);
    expect(formatted).toEqual([1, 2, 3, 4, 5]);
    // Rows that left the screen are forgotten.
    expect(cache.size).toBe(3);
  });

  it("formats everything again when the width, colour or time style changes", () => {
    const cache = new FormattedLineCache();
    let calls = 0;
    const format = (key: string) => (index: number) => {
      calls++;
      return `${key}:${index}`;
    };
    cache.linesFor([7, 8], "58 true local", format("a"));
    expect(cache.linesFor([7, 8], "118 true local", format("b"))).toEqual(["b:7", "b:8"]);
    expect(cache.linesFor([7, 8], "118 true none", format("c"))).toEqual(["c:7", "c:8"]);
    expect(calls).toBe(6);
  });
});
