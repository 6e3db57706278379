import { describe, expect, it } from "vitest";
import { RateCounter } from "../../../src/tui/state/rate-counter.js";

describe("RateCounter", () => {
  const t0 = 1_700_000_000_000;

  it("reports the last complete second exactly", () => {
    const rate = new RateCounter();
    rate.add(5, t0);
    rate.add(7, t0 + 999);
    rate.add(3, t0 + 1000);
    expect(rate.perSecond(t0 + 500)).toBe(0);
    expect(rate.perSecond(t0 + 1500)).toBe(12);
    expect(rate.perSecond(t0 + 2500)).toBe(3);
    expect(rate.perSecond(t0 + 3500)).toBe(0);
  });

  it("keeps a minute of per-second counts, oldest first, and forgets older ones", () => {
    const rate = new RateCounter();
    for (let s = 0; s < 70; s++) rate.add(s, t0 + s * 1000);
    const history = rate.history(t0 + 70 * 1000);
    expect(history).toHaveLength(60);
    expect(history[history.length - 1]).toBe(69);
    expect(history[0]).toBe(10);
    // A slot reused after a minute starts from zero, not from the old count.
    expect(rate.countAt(Math.floor(t0 / 1000) + 5)).toBe(0);
  });

  it("shows gaps as zero", () => {
    const rate = new RateCounter();
    rate.add(4, t0);
    rate.add(4, t0 + 3000);
    expect(rate.history(t0 + 4000, 4)).toEqual([4, 0, 0, 4]);
  });
});
