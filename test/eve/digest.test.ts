import { describe, expect, it } from "vitest";
import { DIGEST_MARKER, digestEvent } from "../../src/eve/digest.js";
import { formatEvent } from "../../src/eve/format.js";
import { toSafeJson } from "../../src/text/sanitize.js";

describe("digestEvent", () => {
  it("keeps an oversized DNS answer recognisable and small", () => {
    const answers = Array.from({ length: 20_000 }, (_, i) => ({ rrname: "big.example", rrtype: "A", ttl: 60, rdata: `10.0.${i >> 8}.${i & 255}` }));
    const event = { event_type: "dns", src_ip: "10.0.0.53", dest_ip: "10.0.0.1", dns: { version: 2, type: "answer", rrname: "big.example", rcode: "NOERROR", answers } };
    const original = JSON.stringify(event).length;
    const digest = digestEvent(event, original);
    const json = toSafeJson(digest);
    expect(original).toBeGreaterThan(1_000_000);
    expect(json.length).toBeLessThan(40 * 1024);
    expect(digest[DIGEST_MARKER]).toBe(`event of ${original} bytes, shortened for display`);
    const line = formatEvent(digest, { color: false, timestamps: "none" });
    expect(line).toContain("big.example");
    expect(line).toContain("NOERROR");
    const kept = (digest.dns as { answers: unknown[] }).answers;
    expect(kept.at(-1)).toBe(`… ${20_000 - (kept.length - 1)} more`);
  });

  it("clips long strings, wide objects and deep nesting; __proto__ stays a plain key", () => {
    const deep = JSON.parse('{"a":'.repeat(5_000) + "1" + "}".repeat(5_000)) as Record<string, unknown>;
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const event = JSON.parse(JSON.stringify({ event_type: "weird", s: "x".repeat(300_000), wide })) as Record<string, unknown>;
    event.deep = deep;
    Object.defineProperty(event, "__proto__", { value: { polluted: true }, enumerable: true });
    const digest = digestEvent(event, 1);
    expect((digest.s as string).length).toBeLessThan(1100);
    expect((digest.s as string).endsWith("… (300000 chars)")).toBe(true);
    expect(Object.keys(digest.wide as object).length).toBe(65);
    expect(toSafeJson(digest).length).toBeLessThan(40 * 1024);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.parse(toSafeJson(digest)).__proto__).toEqual({ polluted: true });
  });
});
