import { describe, expect, it } from "vitest";
import { isSafeText, sanitizeText, toSafeJson } from "../../src/text/sanitize.js";
import { hasLoneSurrogate } from "../eve/fixtures.js";

describe("sanitizeText", () => {
  it("returns the very same string when nothing needs escaping", () => {
    const clean = "www.example.com/päth?q=日本語 😀 \\backslash";
    expect(sanitizeText(clean)).toBe(clean);
    expect(isSafeText(clean)).toBe(true);
  });

  it("escapes C0 controls, including tab, newline, CR, ESC and BEL, as \\xNN", () => {
    expect(sanitizeText("a\tb\nc\rd")).toBe("a\\x09b\\x0Ac\\x0Dd");
    expect(sanitizeText("\u001b]0;owned\u0007evil.com")).toBe("\\x1B]0;owned\\x07evil.com");
    expect(sanitizeText("\u0000")).toBe("\\x00");
  });

  it("escapes DEL and C1 controls (CSI U+009B would start an escape sequence)", () => {
    expect(sanitizeText("x\u007fy")).toBe("x\\x7Fy");
    expect(sanitizeText("\u009b31m\u0085")).toBe("\\x9B31m\\x85");
  });

  it("escapes bidi controls and invisible format characters as \\uNNNN", () => {
    expect(sanitizeText("abc\u202Emoc.exe")).toBe("abc\\u202Emoc.exe");
    expect(sanitizeText("\u2066\u2067\u2068\u2069\u200E\u200F\u061C")).toBe(
      "\\u2066\\u2067\\u2068\\u2069\\u200E\\u200F\\u061C",
    );
    expect(sanitizeText("pay\u200Bpal\u200C\u200D\u2028\u2029\uFEFF")).toBe(
      "pay\\u200Bpal\\u200C\\u200D\\u2028\\u2029\\uFEFF",
    );
  });

  it("escapes lone surrogates but keeps surrogate pairs (emoji)", () => {
    expect(sanitizeText("a\uD800b")).toBe("a\\uD800b");
    expect(sanitizeText("\uDC00")).toBe("\\uDC00");
    expect(sanitizeText("\uDBFF")).toBe("\\uDBFF");
    expect(sanitizeText("ok \uD83D\uDE00")).toBe("ok \uD83D\uDE00");
  });

  it("leaves backslashes as they are", () => {
    expect(sanitizeText("C:\\Windows\\x41")).toBe("C:\\Windows\\x41");
  });

  it("handles a huge string with a control char at the end", () => {
    const huge = "a".repeat(1_000_000) + "\u001b";
    const out = sanitizeText(huge);
    expect(out.length).toBe(1_000_000 + 4);
    expect(out.endsWith("\\x1B")).toBe(true);
  });
});

describe("toSafeJson", () => {
  const hostile = {
    sni: "\u001b]0;owned\u0007evil.com",
    name: "abc\u202Egnp.exe",
    c1: "\u0085\u009b\u007f",
    invisible: "\u200b\u2028\u2029\ufeff",
    lone: "x\uD800y\uDC00",
    emoji: "\uD83D\uDE00",
    nested: [{ "key\u202e": 1, n: null, b: true }],
  };

  it("round-trips: JSON.parse(toSafeJson(x)) deep-equals x", () => {
    expect(JSON.parse(toSafeJson(hostile))).toEqual(hostile);
    for (const value of [null, 1.5, "plain", [], {}, [1, "a\u009b"], { a: { b: { c: "\u202e" } } }]) {
      expect(JSON.parse(toSafeJson(value))).toEqual(value);
    }
  });

  it("writes DEL, C1, bidi, invisible characters and lone surrogates as \\u escapes", () => {
    const json = toSafeJson(hostile);
    expect(json).toContain("\\u001b]0;owned\\u0007evil.com");
    expect(json).toContain("abc\\u202egnp.exe");
    expect(json).toContain("\\u0085\\u009b\\u007f");
    expect(json).toContain("\\u200b\\u2028\\u2029\\ufeff");
    expect(json).toContain("x\\ud800y\\udc00");
    expect(json).toContain("key\\u202e");
    // eslint-disable-next-line no-control-regex
    expect(json).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2028\u2029\ufeff]/);
    expect(hasLoneSurrogate(json)).toBe(false);
  });

  it("is compact JSON, identical to JSON.stringify when nothing needs escaping", () => {
    const event = { event_type: "dns", dns: { rrname: "example.com", answers: [{ rdata: "1.2.3.4" }] } };
    expect(toSafeJson(event)).toBe(JSON.stringify(event));
  });

  it("gives null for undefined", () => {
    expect(toSafeJson(undefined)).toBe("null");
  });
});
