// Plain-text tables for `stream ls`, `consumer ls`, `stream subjects`: a header row, a rule, right-aligned
// numbers, and a total width that fits the terminal by shrinking the columns marked `shrink` first.
import { sanitizeText } from "../text/sanitize.js";
import { truncateToWidth, visibleWidth } from "../text/width.js";

export interface TableColumn {
  header: string;
  /** Numbers read best right-aligned so their digits line up. */
  align?: "left" | "right";
  /** May be cut (with "…") to fit the width; only such columns ever shrink. */
  shrink?: boolean;
  /** The narrowest a shrinking column gets before the table just overflows. */
  minWidth?: number;
}

export interface TableOptions {
  /** Total visible columns available; undefined = no limit (a pipe). */
  width?: number;
  /** Spaces between columns. */
  gap?: number;
  /** The ─ rule under the header; default true. Off on a pipe, where scripts split plain columns (awk, cut). */
  rule?: boolean;
}

const DEFAULT_GAP = 2;
const DEFAULT_MIN_WIDTH = 6;

/** Each column's width: its widest cell, then shrinkable columns cut (widest first) until the table fits. */
export function columnWidths(columns: TableColumn[], rows: string[][], opts: TableOptions = {}): number[] {
  const gap = opts.gap ?? DEFAULT_GAP;
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...rows.map((r) => visibleWidth(r[i] ?? ""))));
  if (opts.width === undefined) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, columns.length - 1);
  let excess = total() - opts.width;
  while (excess > 0) {
    // Take one column at a time from the widest shrinkable column, so long subjects give way before short names.
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      if (!col.shrink) continue;
      const floor = Math.max(col.minWidth ?? DEFAULT_MIN_WIDTH, visibleWidth(col.header));
      if (widths[i]! <= floor) continue;
      if (widest === -1 || widths[i]! > widths[widest]!) widest = i;
    }
    if (widest === -1) break;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const cell = visibleWidth(text) > width ? truncateToWidth(text, width) : text;
  const fill = " ".repeat(Math.max(0, width - visibleWidth(cell)));
  return align === "right" ? fill + cell : cell + fill;
}

/**
 * The table as lines joined with "\n" (and a final newline); trailing spaces trimmed. Every cell is sanitised here
 * (names, subjects and the like come from the server, where anyone with API rights chose them), before widths are
 * measured, so an escape shows as its visible `\x1B` and takes the room it prints in.
 */
export function renderTable(columns: TableColumn[], rawRows: string[][], opts: TableOptions = {}): string {
  const rows = rawRows.map((r) => r.map(sanitizeText));
  let gapWidth = opts.gap ?? DEFAULT_GAP;
  let widths = columnWidths(columns, rows, { ...opts, gap: gapWidth });
  const total = (ws: number[], g: number) => ws.reduce((a, b) => a + b, 0) + g * Math.max(0, ws.length - 1);
  // Still wider than the terminal with every column at its floor: one space between columns before the
  // terminal wraps the last column onto a line of its own (a lone "─" under the header).
  if (opts.width !== undefined && gapWidth > 1 && total(widths, gapWidth) > opts.width) {
    gapWidth = 1;
    widths = columnWidths(columns, rows, { ...opts, gap: gapWidth });
  }
  const gap = " ".repeat(gapWidth);
  const line = (cells: string[]) =>
    columns
      .map((c, i) => pad(cells[i] ?? "", widths[i]!, c.align ?? "left"))
      .join(gap)
      .trimEnd();
  const rule = opts.rule === false ? [] : [line(widths.map((w) => "─".repeat(w)))];
  const out = [line(columns.map((c) => c.header)), ...rule, ...rows.map(line)];
  return out.join("\n") + "\n";
}

/** How a table is laid out for `stream`: fitted with a rule on a terminal; whole lines, no rule, on a pipe. */
export function tableLayout(stream: { isTTY?: boolean; columns?: number } = process.stdout): TableOptions {
  return { width: terminalWidth(stream), rule: stream.isTTY === true };
}

/** The width to fit: the terminal's columns on a TTY, none on a pipe (other programs want whole lines). */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}
