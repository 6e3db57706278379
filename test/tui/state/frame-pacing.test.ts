import { describe, expect, it } from "vitest";
import { FramePacer } from "../../../src/tui/state/frame-pacing.js";

describe("FramePacer", () => {
  it("keeps the fastest pace while the event loop has time to spare", () => {
    const pacer = new FramePacer(100, 400);
    for (let i = 0; i < 20; i++) expect(pacer.next(0.15)).toBe(100);
  });

  it("slows down towards the slowest pace as the event loop fills, and back when it empties", () => {
    const pacer = new FramePacer(100, 400);
    const busy = Array.from({ length: 30 }, () => pacer.next(0.95));
    expect(busy[0]).toBeLessThan(busy[29]!);
    expect(busy[29]).toBe(400);
    // In between: half-way utilisation lands between the two paces.
    const middle = new FramePacer(100, 400);
    let delay = 0;
    for (let i = 0; i < 30; i++) delay = middle.next(0.35);
    expect(delay).toBeGreaterThan(100);
    expect(delay).toBeLessThan(400);
    const calm = Array.from({ length: 30 }, () => pacer.next(0.05));
    expect(calm[29]).toBe(100);
  });

  it("one busy frame does not swing the pace to the slowest", () => {
    const pacer = new FramePacer(100, 400);
    expect(pacer.next(1)).toBeLessThan(400);
  });

  it("takes nonsense utilisation as idle", () => {
    const pacer = new FramePacer(100, 400);
    expect(pacer.next(Number.NaN)).toBe(100);
    expect(pacer.next(-3)).toBe(100);
  });
});
