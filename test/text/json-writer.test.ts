import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stringifyJson, writeJsonIteratively } from "../../src/text/json-writer.js";
import { toSafeJson } from "../../src/text/sanitize.js";
import { prettyJsonTextLines } from "../../src/text/json-text.js";

const sampleEvents = readFileSync(new URL("../fixtures/eve/surevego-2017-multi.eve.json", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as unknown);

function nestedArrays(depth: number): string {
  return "[".repeat(depth) + "1" + "]".repeat(depth);
}
function nestedObjects(depth: number): string {
  return '{"a":'.repeat(depth) + "null" + "}".repeat(depth);
}

describe("writeJsonIteratively", () => {
  it("writes exactly what JSON.stringify writes, compact and indented, for real events", () => {
    expect(sampleEvents.length).toBeGreaterThan(100);
    for (const event of sampleEvents) {
      expect(writeJsonIteratively(event)).toBe(JSON.stringify(event));
      expect(writeJsonIteratively(event, 2)).toBe(JSON.stringify(event, null, 2));
    }
  });

  it("follows JSON.stringify for empty containers, undefined, non-finite numbers and odd keys", () => {
    const value = { a: [], b: {}, c: [undefined, () => 1, NaN, Infinity], d: undefined, "__proto__x": "p", "k\u001b": "\u202e" };
    expect(writeJsonIteratively(value)).toBe(JSON.stringify(value));
    expect(writeJsonIteratively(value, 2)).toBe(JSON.stringify(value, null, 2));
    expect(writeJsonIteratively(undefined)).toBe("null");
  });

  it("writes values nested far deeper than JSON.stringify can (an attacker's 10,000-level event)", () => {
    for (const text of [nestedArrays(10_000), nestedObjects(10_000), `{"event_type":"deep","x":${nestedArrays(50_000)}}`]) {
      const value = JSON.parse(text) as unknown;
      expect(() => JSON.stringify(value)).toThrow(RangeError);
      expect(stringifyJson(value)).toBe(text);
    }
  });
});

describe("toSafeJson and prettyJsonTextLines on hostile depth", () => {
  it("gives one parseable line equal in value", () => {
    const text = `{"event_type":"deep","sni":"\\u001b]0;owned\\u0007x","x":${nestedArrays(10_000)}}`;
    const value = JSON.parse(text) as unknown;
    const line = toSafeJson(value);
    expect(line).not.toMatch(/[\u001b\u0007]/);
    // toEqual recurses too; equal canonical text is equal value.
    expect(stringifyJson(JSON.parse(line))).toBe(stringifyJson(value));
  });

  it("gives printable lines for the detail view", () => {
    const lines = prettyJsonTextLines(nestedObjects(10_000));
    expect(lines.length).toBe(20_001);
    expect(lines[1]).toBe('  "a": {');
  });
});
