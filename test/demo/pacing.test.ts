import { describe, expect, it } from "vitest";
import { DemoPacer, poisson } from "../../src/demo/pacing.js";

describe("DemoPacer", () => {
  it("averages the asked rate over a long run, with quiet spells and bursts", () => {
    const pacer = new DemoPacer({ eventsPerSecond: 25, seed: 3 });
    let total = 0;
    const perSecond: number[] = [];
    let second = 0;
    for (let t = 0; t <= 600_000; t += 100) {
      const n = pacer.eventsDue(t);
      total += n;
      second += n;
      if (t % 1000 === 0 && t > 0) {
        perSecond.push(second);
        second = 0;
      }
    }
    expect(total / 600).toBeGreaterThan(25 * 0.8);
    expect(total / 600).toBeLessThan(25 * 1.2);
    // Not a metronome: some seconds are much busier than others.
    expect(Math.max(...perSecond)).toBeGreaterThan(45);
    expect(Math.min(...perSecond)).toBeLessThan(15);
  });

  it("is deterministic for a seed", () => {
    const run = () => {
      const p = new DemoPacer({ eventsPerSecond: 10, seed: 9 });
      return Array.from({ length: 50 }, (_, i) => p.eventsDue(i * 100));
    };
    expect(run()).toEqual(run());
  });

  it("asks for stats at once, then every 8 s", () => {
    const pacer = new DemoPacer({ eventsPerSecond: 1 });
    const due: number[] = [];
    for (let t = 1000; t <= 30_000; t += 100) if (pacer.statsDue(t)) due.push(t);
    expect(due).toEqual([1000, 9000, 17000, 25000]);
  });

  it("draws Poisson counts with the right mean", () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const mean of [0.5, 4, 80]) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += poisson(mean, random);
      expect(sum / 20_000).toBeCloseTo(mean, mean < 10 ? 1 : 0);
    }
  });
});
