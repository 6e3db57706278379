// Terminal column width of formatted lines, and cutting them to fit. Our lines only ever contain SGR colour
// sequences that we added ourselves (event text is sanitised first), so a small scanner is enough; it avoids
// depending on the string-width/slice-ansi copies that ink happens to bring along.

const ELLIPSIS = "…";
const ESC = 0x1b;
const NON_ASCII = /[^\x00-\x7F]/;

/** Code point ranges that a terminal draws two columns wide (East Asian Wide/Fullwidth and emoji presentation). */
const WIDE_RANGES = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe,
  0x2614, 0x2615, 0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be,
  0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa,
  0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755,
  0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55,
  0x2e80, 0x303e, 0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xa000, 0xa4cf, 0xa960, 0xa97f, 0xac00, 0xd7a3,
  0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x17000,
  0x18cff, 0x1b000, 0x1b2ff, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e, 0x1f191, 0x1f19a, 0x1f200,
  0x1f251, 0x1f300, 0x1f320, 0x1f32d, 0x1f335, 0x1f337, 0x1f37c, 0x1f37e, 0x1f393, 0x1f3a0, 0x1f3ca, 0x1f3cf,
  0x1f3d3, 0x1f3e0, 0x1f3f0, 0x1f3f4, 0x1f3f4, 0x1f3f8, 0x1f43e, 0x1f440, 0x1f440, 0x1f442, 0x1f4fc, 0x1f4ff,
  0x1f53d, 0x1f54b, 0x1f54e, 0x1f550, 0x1f567, 0x1f57a, 0x1f57a, 0x1f595, 0x1f596, 0x1f5a4, 0x1f5a4, 0x1f5fb,
  0x1f64f, 0x1f680, 0x1f6c5, 0x1f6cc, 0x1f6cc, 0x1f6d0, 0x1f6d2, 0x1f6d5, 0x1f6d7, 0x1f6dc, 0x1f6df, 0x1f6eb,
  0x1f6ec, 0x1f6f4, 0x1f6fc, 0x1f7e0, 0x1f7eb, 0x1f7f0, 0x1f7f0, 0x1f90c, 0x1f93a, 0x1f93c, 0x1f945, 0x1f947,
  0x1f9ff, 0x1fa70, 0x1faff, 0x20000, 0x2fffd, 0x30000, 0x3fffd,
];

/** Combining marks and other characters that take no column of their own. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  let lo = 0;
  let hi = WIDE_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE_RANGES[mid * 2]!) hi = mid - 1;
    else if (cp > WIDE_RANGES[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const EXTENDED_PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
const EMOJI_SELECTOR = 0xfe0f;
const KEYCAP = 0x20e3;

/** Columns one code point takes: 0, 1 or 2. Control characters count 0 (they never reach here unescaped). */
export function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (isWide(cp)) return 2;
  // An enclosing mark, but "1⃣" is drawn (and measured by ink) two columns wide: never count it short.
  if (cp === KEYCAP) return 1;
  if (ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  return 1;
}

/**
 * Columns `cp` adds after `prev`. The emoji selector U+FE0F turns a one-column pictograph into a two-column emoji
 * (☺ → ☺️) for ink's measure and for terminals; counting it 0 let hostile text push a pane's lines past its edge.
 */
export function codePointWidthAfter(prev: number, cp: number): number {
  if (cp !== EMOJI_SELECTOR) return codePointWidth(cp);
  return prev >= 0xa9 && codePointWidth(prev) === 1 && EXTENDED_PICTOGRAPHIC.test(String.fromCodePoint(prev)) ? 1 : 0;
}

/** Length of the escape sequence starting at `i` (CSI `ESC [ ... final` or a two-byte `ESC x`). */
function escapeLength(s: string, i: number): number {
  if (s.charCodeAt(i + 1) !== 0x5b) return Math.min(2, s.length - i);
  let j = i + 2;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    j++;
    if (c >= 0x40 && c <= 0x7e) break;
  }
  return j - i;
}

/** Visible columns of a line that may hold SGR colour sequences. */
export function visibleWidth(s: string): number {
  const hasEscape = s.indexOf("\x1b") !== -1;
  if (!hasEscape && !NON_ASCII.test(s)) return s.length;
  let width = 0;
  let prev = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === ESC) {
      i += escapeLength(s, i);
      continue;
    }
    const cp = s.codePointAt(i)!;
    width += codePointWidthAfter(prev, cp);
    prev = cp;
    i += cp > 0xffff ? 2 : 1;
  }
  return width;
}

/**
 * Cuts a line to at most `width` visible columns, ending it with "…" when something was cut. Colour sequences
 * are kept whole, and a reset is added after a cut inside coloured text so the colour does not leak.
 */
export function truncateToWidth(s: string, width: number): string {
  if (width <= 0) return "";
  // Fast path: pure ASCII without escapes is as wide as it is long.
  const hasEscape = s.indexOf("\x1b") !== -1;
  if (!hasEscape && !NON_ASCII.test(s)) {
    return s.length <= width ? s : s.slice(0, width - 1) + ELLIPSIS;
  }
  if (visibleWidth(s) <= width) return s;
  const budget = width - 1; // one column for the ellipsis
  let used = 0;
  let sawEscape = false;
  let prev = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === ESC) {
      i += escapeLength(s, i);
      sawEscape = true;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const w = codePointWidthAfter(prev, cp);
    if (used + w > budget) break;
    used += w;
    prev = cp;
    i += cp > 0xffff ? 2 : 1;
  }
  return s.slice(0, i) + ELLIPSIS + (sawEscape ? "\x1b[0m" : "");
}
