// The dashboard's shortcut for Intl.Segmenter must give exactly what the real segmenter gives, for every text it
// answers itself, and leave every other text and granularity to the real one.
import stringWidth from "string-width";
import { afterEach, describe, expect, it } from "vitest";
import { installGraphemeFastPath, isOneUnitGraphemeText } from "../../src/tui/grapheme-fast-path.js";

const realSegment = Intl.Segmenter.prototype.segment;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** [segment, index] pairs as the unpatched segmenter gives them. */
function realSegments(text: string, segmenter: Intl.Segmenter = graphemes): Array<[string, number]> {
  return [...realSegment.call(segmenter, text)].map((s) => [s.segment, s.index]);
}

function segments(text: string, segmenter: Intl.Segmenter = graphemes): Array<[string, number]> {
  return [...segmenter.segment(text)].map((s) => [s.segment, s.index]);
}

/** Every BMP code unit the shortcut answers for. */
const shortcutUnits = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((c) => isOneUnitGraphemeText(c));

let remove: (() => void) | undefined;
afterEach(() => {
  remove?.();
  remove = undefined;
});

describe("grapheme fast path", () => {
  it("covers what the dashboard draws, and not what joins or combines", () => {
    for (const c of ["a", " ", "~", "\u001b", "é", "·", "…", "→", "›", "│", "─", "║", "█", "▁", "●", "⏸"]) expect(isOneUnitGraphemeText(c), c).toBe(true);
    for (const c of ["\r", "\n", "\t", "\u00ad", "\u0301", "\u200d", "\ufe0f", "\ud83d", "中", "😀", "\u202e"]) expect(isOneUnitGraphemeText(c), c).toBe(false);
    expect(shortcutUnits.length).toBeGreaterThan(400);
  });

  it("no two of its characters form one cluster in the real segmenter (every pair, both orders)", () => {
    for (const a of shortcutUnits) {
      for (const b of shortcutUnits) {
        const pair = a + b;
        const [first, second] = realSegment.call(graphemes, pair);
        if (first?.segment !== a || second?.segment !== b) throw new Error(`U+${a.charCodeAt(0).toString(16)} U+${b.charCodeAt(0).toString(16)} form one cluster`);
      }
    }
  });

  it("gives the real segments, and string-width the same widths, for event lines with colour codes", () => {
    remove = installGraphemeFastPath();
    const lines = [
      "10:00:00.123 FLOW  192.168.1.10:40000 → 8.8.8.8:53 UDP pkts 1/1 bytes 70 B/120 B age 0s new",
      "\u001b[36mDNS  \u001b[39m \u001b[1mwww.example.com\u001b[22m A \u001b[90m→\u001b[39m cut here…",
      "║ suricata.dns ─────── 1,234/s ▁▂▃▄▅▆▇█ ● ⏸ › café",
      "",
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i++) {
      lines.push(Array.from({ length: 1 + Math.floor(random() * 60) }, () => shortcutUnits[Math.floor(random() * shortcutUnits.length)]).join(""));
    }
    for (const line of lines) {
      expect(isOneUnitGraphemeText(line)).toBe(true);
      expect(segments(line)).toEqual(realSegments(line));
      const patchedWidth = stringWidth(line);
      remove();
      const realWidth = stringWidth(line);
      remove = installGraphemeFastPath();
      expect(patchedWidth, JSON.stringify(line)).toBe(realWidth);
    }
  });

  it("hands other texts and other granularities to the real segmenter", () => {
    remove = installGraphemeFastPath();
    for (const text of ["e\u0301 → x", "👍🏽 ok", "🇩🇪🇫🇷", "a\r\nb", "中文 → 字", "x\u200d\u2764\ufe0f"]) {
      expect(segments(text)).toEqual(realSegments(text));
    }
    const words = new Intl.Segmenter("en", { granularity: "word" });
    const wordData = [...words.segment("hello → world")].map((s) => [s.segment, s.isWordLike]);
    expect(wordData).toEqual([...realSegment.call(words, "hello → world")].map((s) => [s.segment, s.isWordLike]));
    expect(wordData).toContainEqual(["hello", true]);
  });

  it("containing() answers as the real one does, and removing it restores the original", () => {
    remove = installGraphemeFastPath();
    const text = "a → b…";
    for (const index of [-1, 0, 2, 5, 6, 7, Number.NaN, undefined, 2.7, Infinity]) {
      expect(graphemes.segment(text).containing(index)).toEqual(realSegment.call(graphemes, text).containing(index));
    }
    remove();
    remove = undefined;
    expect(Intl.Segmenter.prototype.segment).toBe(realSegment);
  });
});
