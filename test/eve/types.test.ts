// parseEveTimestamp reads the fixed Suricata layout by character codes and leaves every other shape to a pattern;
// both must give what the pattern alone always gave (kept here as the reference).
import { describe, expect, it } from "vitest";
import { parseEveTimestamp } from "../../src/eve/types.js";

const REFERENCE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/;
function referenceParse(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = REFERENCE.exec(value);
  if (m === null) return undefined;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  let epoch = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(epoch) ? epoch : undefined;
}

describe("parseEveTimestamp", () => {
  it("reads Suricata's layout with its offset", () => {
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456+0000")).toBe(Date.parse("2026-11-28T08:20:55.123Z"));
    expect(parseEveTimestamp("2023-05-17T15:16:08.047236+0700")).toBe(Date.parse("2023-05-17T08:16:08.047Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456+0100")).toBe(Date.parse("2026-11-28T07:20:55.123Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456-0530")).toBe(Date.parse("2026-11-28T13:50:55.123Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456+05:30")).toBe(Date.parse("2026-11-28T02:50:55.123Z"));
    // The next day of the same month, and the first day again (the day's epoch is cached).
    expect(parseEveTimestamp("2026-11-29T08:20:55.123456+0000")).toBe(Date.parse("2026-11-29T08:20:55.123Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456+0000")).toBe(Date.parse("2026-11-28T08:20:55.123Z"));
    // Crossing midnight backwards through the offset.
    expect(parseEveTimestamp("2026-01-01T00:10:00.000000+0100")).toBe(Date.parse("2025-12-31T23:10:00.000Z"));
  });

  it("takes a missing fraction, short and long fractions, Z, no zone, and a space for the T", () => {
    expect(parseEveTimestamp("2026-11-28T08:20:55+0000")).toBe(Date.parse("2026-11-28T08:20:55.000Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55-0530")).toBe(Date.parse("2026-11-28T13:50:55.000Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55")).toBe(Date.parse("2026-11-28T08:20:55Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55Z")).toBe(Date.parse("2026-11-28T08:20:55Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.5Z")).toBe(Date.parse("2026-11-28T08:20:55.500Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.12+0000")).toBe(Date.parse("2026-11-28T08:20:55.120Z"));
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456789")).toBe(Date.parse("2026-11-28T08:20:55.123Z"));
    expect(parseEveTimestamp("2026-11-28 08:20:55.123456+0000")).toBe(Date.parse("2026-11-28T08:20:55.123Z"));
  });

  it("leaves spaces before the zone to the pattern, and is undefined for what is not a timestamp", () => {
    expect(parseEveTimestamp("2026-11-28T08:20:55.123456 +0100")).toBe(Date.parse("2026-11-28T07:20:55.123Z"));
    for (const bad of [
      "",
      "yesterday",
      "2026-11-28",
      "2026-11-28T08:20",
      "2026-11-28T08:20:55.",
      "2026-11-28T08:20:55.1234567890",
      "2026-11-28T08:20:55+01",
      "2026-11-28T08:20:55+0100x",
      "2026-11-28T08:20:55Zx",
      "2026-11-28X08:20:55",
      "2026/11/28T08:20:55",
      "2026-11-28T08:20:55.12a",
      "٢٠٢٦-11-28T08:20:55",
      " 2026-11-28T08:20:55",
    ]) {
      expect(parseEveTimestamp(bad), bad).toBeUndefined();
    }
    for (const notText of [undefined, null, 1_700_000_000, {}, []]) expect(parseEveTimestamp(notText)).toBeUndefined();
  });

  it("gives what the pattern gives, for layouts, odd field values and near misses, whatever the date before", () => {
    // mulberry32: a small seeded generator whose low bits are as random as its high ones.
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const digits = (n: number) => Array.from({ length: n }, () => String(random(10))).join("");
    const pick = <T,>(items: readonly T[]) => items[random(items.length)]!;
    const zones = ["", "Z", "+0000", "+0100", "-0530", "+05:30", "-12:00", "+1459", " +0100", "+01", "+01:0", "x"];
    const fractions = ["", ".", ".1", ".12", ".123", ".123456", ".123456789", ".1234567890"];
    for (let n = 0; n < 20_000; n++) {
      // Mostly plausible dates, some odd ones (month 00 or 13, day 00 or 39, hour 25, year 0050) that Date.UTC wraps.
      // Half of them in one month, so that consecutive calls share a year and month but not always the day.
      const year = random(2) === 0 ? "2026" : random(4) === 0 ? digits(4) : String(1990 + random(60));
      const field = (max: number) => String(random(5) === 0 ? random(100) : random(max)).padStart(2, "0");
      const month = year === "2026" && random(4) !== 0 ? "11" : field(13);
      let text = `${year}-${month}-${field(32)}${pick(["T", "T", " ", "t"])}${field(24)}:${field(60)}:${field(60)}${pick(fractions)}${pick(zones)}`;
      if (random(10) === 0) {
        // A near miss: one character replaced.
        const at = random(text.length);
        text = text.slice(0, at) + pick(["-", ":", "a", "9", " ", "."]) + text.slice(at + 1);
      }
      expect(parseEveTimestamp(text), text).toBe(referenceParse(text));
    }
  });
});
