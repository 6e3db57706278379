import { describe, expect, it } from "vitest";
import { RingBuffer } from "../../../src/tui/state/ring-buffer.js";

describe("RingBuffer", () => {
  it("keeps the newest items by absolute index and evicts the oldest", () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 0; i < 5; i++) expect(ring.push(i * 10)).toBe(i);
    expect(ring.size).toBe(3);
    expect(ring.firstIndex).toBe(2);
    expect(ring.endIndex).toBe(5);
    expect(ring.get(1)).toBeUndefined();
    expect(ring.get(2)).toBe(20);
    expect(ring.get(4)).toBe(40);
    expect(ring.get(5)).toBeUndefined();
    expect(ring.slice()).toEqual([20, 30, 40]);
    expect(ring.slice(3, 100)).toEqual([30, 40]);
  });

  it("clear forgets items but keeps counting indices, so held positions never point at another item", () => {
    const ring = new RingBuffer<string>(4);
    ring.push("a");
    ring.push("b");
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.get(0)).toBeUndefined();
    expect(ring.push("c")).toBe(2);
    expect(ring.slice()).toEqual(["c"]);
  });

  it("rejects a capacity that is not a positive integer", () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
