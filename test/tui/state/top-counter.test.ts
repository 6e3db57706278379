import { describe, expect, it } from "vitest";
import { TopCounter } from "../../../src/tui/state/top-counter.js";

describe("TopCounter", () => {
  it("ranks keys by weight, then by count", () => {
    const top = new TopCounter();
    top.add("a.example", 1);
    top.add("b.example", 5);
    top.add("a.example", 1);
    top.add("c.example", 2);
    expect(top.top(2)).toEqual([
      { key: "b.example", weight: 5, count: 1 },
      { key: "a.example", weight: 2, count: 2 },
    ]);
    expect(top.approximate).toBe(false);
  });

  it("treats attacker-chosen names such as __proto__ as ordinary keys", () => {
    const top = new TopCounter();
    top.add("__proto__");
    top.add("constructor");
    expect(top.top(5).map((e) => e.key).sort()).toEqual(["__proto__", "constructor"]);
  });

  it("stays bounded with endless new keys and keeps the heavy hitters", () => {
    const top = new TopCounter(100);
    for (let i = 0; i < 10_000; i++) {
      top.add(`noise-${i}`);
      if (i % 10 === 0) top.add("heavy", 10);
    }
    expect(top.size).toBeLessThanOrEqual(100);
    expect(top.top(1)[0]!.key).toBe("heavy");
    expect(top.approximate).toBe(true);
  });
});
