// JSON written from the text it came as: numbers exactly as the sensor wrote them, whitespace only where it was
// insignificant, terminal-unsafe characters escaped in strings, and the same value as the parsed event otherwise.
import { describe, expect, it } from "vitest";
import { compactJsonText, MAX_INDENT_LEVELS, prettyJsonTextLines } from "../../src/text/json-text.js";

const SPACED = '{ "flow_id" : 18446744073709551615,\n\t"big": 1e400, "tiny": 1.50E-3, "s": "a, b: {c} [d] \\"e\\" \\\\", "n": [ ], "o": { } , "t": true }';

describe("compactJsonText", () => {
  it("keeps number text and string content, drops whitespace between tokens", () => {
    expect(compactJsonText(SPACED)).toBe('{"flow_id":18446744073709551615,"big":1e400,"tiny":1.50E-3,"s":"a, b: {c} [d] \\"e\\" \\\\","n":[],"o":{},"t":true}');
    // parses to the same value as the text it came from
    expect(JSON.parse(compactJsonText(SPACED))).toEqual(JSON.parse(SPACED));
  });

  it("returns compact text as it is, and escapes bidi, C1 and DEL inside strings", () => {
    const compact = '{"event_type":"dns","flow_id":1234567890123456789}';
    expect(compactJsonText(compact)).toBe(compact);
    const hostile = `{"sni":"evil\u202Egro.example\u0085\u007F"}`;
    expect(compactJsonText(hostile)).toBe('{"sni":"evil\\u202egro.example\\u0085\\u007f"}');
    expect(JSON.parse(compactJsonText(hostile))).toEqual(JSON.parse(hostile));
  });
});

describe("prettyJsonTextLines", () => {
  it("indents like JSON.stringify(value, null, 2) where numbers allow, and keeps their text", () => {
    const plain = '{"a":[1,{"b":"x"}],"c":{},"d":[],"e":null}';
    expect(prettyJsonTextLines(plain)).toEqual(JSON.stringify(JSON.parse(plain), null, 2).split("\n"));
    const lines = prettyJsonTextLines(SPACED);
    expect(lines[1]).toBe('  "flow_id": 18446744073709551615,');
    expect(lines[2]).toBe('  "big": 1e400,');
    expect(lines).toContain('  "n": [],');
    expect(JSON.parse(lines.join("\n"))).toEqual(JSON.parse(SPACED));
  });

  it("indents at most MAX_INDENT_LEVELS deep: a payload nested 5,000 deep stays small (and the same JSON)", () => {
    const deep = `{"dns":${"[".repeat(5000)}1${"]".repeat(5000)}}`;
    const lines = prettyJsonTextLines(deep);
    expect(lines.reduce((longest, l) => Math.max(longest, l.length), 0)).toBeLessThanOrEqual(MAX_INDENT_LEVELS * 2 + 1);
    expect(lines.reduce((n, l) => n + l.length, 0)).toBeLessThan(400_000);
    expect(lines[MAX_INDENT_LEVELS - 1]).toBe(`${" ".repeat((MAX_INDENT_LEVELS - 1) * 2)}[`);
    expect(lines[MAX_INDENT_LEVELS + 5]).toBe(`${" ".repeat(MAX_INDENT_LEVELS * 2)}[`);
    // The same JSON, only laid out (the text has no strings with spaces in them).
    expect(lines.join("").replace(/\s+/g, "")).toBe(deep);
  });

  it("shows a string's escape sequences and invisible characters escaped, never as they are", () => {
    const lines = prettyJsonTextLines(`{"sni":"a\\u001b[31mb\u202Ec"}`);
    expect(lines[1]).toBe('  "sni": "a\\u001b[31mb\\u202Ec"');
  });
});
