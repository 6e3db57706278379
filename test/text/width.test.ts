import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import { codePointWidth, truncateToWidth, visibleWidth } from "../../src/text/width.js";
import { wrapLine } from "../../src/tui/state/text.js";

describe("visibleWidth", () => {
  it("counts ASCII, skips SGR sequences, counts wide characters twice and combining marks not at all", () => {
    expect(visibleWidth("hello")).toBe(5);
    expect(visibleWidth("\x1b[31mred\x1b[39m")).toBe(3);
    expect(visibleWidth("日本")).toBe(4);
    expect(visibleWidth("e\u0301")).toBe(1);
    expect(visibleWidth("😀")).toBe(2);
    expect(visibleWidth("→…")).toBe(2);
  });

  it("counts a pictograph with the emoji selector (U+FE0F) two columns, as ink and terminals draw it", () => {
    expect(visibleWidth("\u263a")).toBe(1);
    expect(visibleWidth("\u263a\ufe0f")).toBe(2);
    expect(visibleWidth("\u{1f3f3}\ufe0f")).toBe(2); // white flag
    expect(visibleWidth("\u2764\ufe0f.example")).toBe(10);
    expect(visibleWidth("1\ufe0f\u20e3")).toBe(2); // keycap
    expect(visibleWidth("a\ufe0f")).toBe(1); // not a pictograph: the selector changes nothing
  });

  it("never measures emoji text narrower than ink does (a narrower count wraps a pane's line past its edge)", () => {
    const samples = ["\u263a\ufe0f".repeat(40) + ".example", "\u00a9\ufe0f x", "1\u20e3", "#\ufe0f\u20e3", "\u{1f44d}\u{1f3fb}", "\u{1f1e9}\u{1f1ea}", "\u2600\ufe0f\u26a0\ufe0f"];
    for (const s of samples) expect(visibleWidth(s), JSON.stringify(s)).toBeGreaterThanOrEqual(stringWidth(s));
    const cut = truncateToWidth("\u263a\ufe0f".repeat(40) + ".example", 30);
    expect(stringWidth(cut)).toBeLessThanOrEqual(30);
    for (const row of wrapLine("\u263a\ufe0f".repeat(40), 25)) expect(stringWidth(row)).toBeLessThanOrEqual(25);
  });

  it("knows a few code points", () => {
    expect(codePointWidth(0x41)).toBe(1);
    expect(codePointWidth(0xac00)).toBe(2); // Hangul
    expect(codePointWidth(0xff21)).toBe(2); // fullwidth A
    expect(codePointWidth(0x0300)).toBe(0);
    expect(codePointWidth(0x1b)).toBe(0);
  });
});

describe("truncateToWidth", () => {
  it("returns the same string when it fits", () => {
    expect(truncateToWidth("abc", 3)).toBe("abc");
    expect(truncateToWidth("\x1b[1mab\x1b[22m", 2)).toBe("\x1b[1mab\x1b[22m");
  });

  it("cuts with an ellipsis inside the width", () => {
    expect(truncateToWidth("abcdef", 4)).toBe("abc…");
    expect(truncateToWidth("abcdef", 1)).toBe("…");
    expect(truncateToWidth("abcdef", 0)).toBe("");
  });

  it("keeps colour codes whole and resets after the cut", () => {
    expect(truncateToWidth("\x1b[31mabcdef\x1b[39m", 4)).toBe("\x1b[31mabc…\x1b[0m");
  });

  it("does not split a surrogate pair or a wide character", () => {
    expect(truncateToWidth("a😀😀", 4)).toBe("a😀…");
    expect(truncateToWidth("日本語", 4)).toBe("日…");
  });
});
