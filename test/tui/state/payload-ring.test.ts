import { describe, expect, it } from "vitest";
import { PayloadRing } from "../../../src/tui/state/payload-ring.js";

const utf8 = new TextEncoder();
const text = new TextDecoder();
const at = (ring: PayloadRing, i: number) => {
  const bytes = ring.get(i);
  return bytes === undefined ? undefined : text.decode(bytes);
};

describe("PayloadRing", () => {
  it("keeps the newest payloads by absolute index, bounded by count", () => {
    const ring = new PayloadRing(3, 1024);
    for (let i = 0; i < 5; i++) expect(ring.push(utf8.encode(`p${i}`))).toBe(i);
    expect([ring.firstIndex, ring.endIndex, ring.size]).toEqual([2, 5, 3]);
    expect(at(ring, 1)).toBeUndefined();
    expect([at(ring, 2), at(ring, 3), at(ring, 4)]).toEqual(["p2", "p3", "p4"]);
  });

  it("bounded by bytes: wraps around the arena and evicts exactly what it overwrites", () => {
    const ring = new PayloadRing(1000, 1024);
    const payloads: string[] = [];
    for (let i = 0; i < 500; i++) {
      // Sizes that do not divide the arena, so wraps leave gaps at its end.
      const p = `${i}:`.padEnd(10 + (i % 37), "x");
      payloads.push(p);
      ring.push(utf8.encode(p));
      // Everything still held is intact, and what is held fits in the arena.
      let bytes = 0;
      for (let j = ring.firstIndex; j < ring.endIndex; j++) {
        expect(at(ring, j)).toBe(payloads[j]);
        bytes += payloads[j]!.length;
      }
      expect(bytes).toBeLessThanOrEqual(1024);
      // And nearly the arena's worth once full: what is lost is at most the gap a wrap leaves at the end and the
      // parts of evicted payloads beyond the range written (each under the largest payload, 46 bytes here).
      if (i >= 40) expect(bytes).toBeGreaterThan(1024 - 4 * 46);
    }
  });

  it("keeps the first bytes of an oversized payload, and clear keeps indices counting", () => {
    const ring = new PayloadRing(10, 2048);
    ring.push(new Uint8Array(5000).fill(65));
    expect(ring.get(0)!.length).toBe(ring.maxPayloadBytes);
    ring.push(utf8.encode("{}"));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.push(utf8.encode("after"))).toBe(2);
    expect(at(ring, 2)).toBe("after");
  });

  it("copies the bytes: the caller's buffer may be reused", () => {
    const ring = new PayloadRing(4, 1024);
    const buffer = utf8.encode("first");
    ring.push(buffer);
    buffer.fill(0);
    expect(at(ring, 0)).toBe("first");
  });
});
