// Cutting sanitised text into screen rows for the event view.
import { codePointWidthAfter } from "../../text/width.js";

/** Splits one line (no colour codes) into rows of at most `width` columns. */
export function wrapLine(line: string, width: number): string[] {
  if (width <= 0) return [];
  const rows: string[] = [];
  let current = "";
  let used = 0;
  let prev = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    const w = codePointWidthAfter(prev, cp);
    prev = cp;
    if (used + w > width) {
      rows.push(current);
      current = "";
      used = 0;
    }
    current += ch;
    used += w;
  }
  rows.push(current);
  return rows;
}

export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) out.push(...wrapLine(line, width));
  return out;
}
