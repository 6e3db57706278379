// Where each pane goes on the screen: a grid that adapts to the terminal (2x2 for four panes, one column on
// narrow terminals), or the focused pane alone when zoomed. Pure: sizes in, rectangles out.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Below this many columns panes stack in one column: a 2x2 grid would leave ~40 columns per event line. */
export const STACK_BELOW_COLUMNS = 100;
/** At this width and five or more panes, three columns. */
const THREE_COLUMNS_FROM = 180;

export function gridColumns(paneCount: number, columns: number): number {
  if (paneCount <= 1 || columns < STACK_BELOW_COLUMNS) return 1;
  if (paneCount >= 5 && columns >= THREE_COLUMNS_FROM) return 3;
  return 2;
}

/** Splits `total` into `parts` sizes that differ by at most one, the larger ones first. */
function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Rectangles for `paneCount` panes in an area of `columns` x `rows`. The last grid row takes whatever panes are
 * left and shares the full width among them (three panes: two on top, one wide below).
 */
export function layoutPanes(paneCount: number, columns: number, rows: number, zoomed?: number): Rect[] {
  if (paneCount === 0) return [];
  if (zoomed !== undefined) {
    return Array.from({ length: paneCount }, (_, i) =>
      i === zoomed ? { x: 0, y: 0, width: columns, height: rows } : { x: 0, y: 0, width: 0, height: 0 },
    );
  }
  const perRow = gridColumns(paneCount, columns);
  const gridRows = Math.ceil(paneCount / perRow);
  const heights = split(rows, gridRows);
  const rects: Rect[] = [];
  let y = 0;
  for (let r = 0; r < gridRows; r++) {
    const inRow = Math.min(perRow, paneCount - r * perRow);
    const widths = split(columns, inRow);
    let x = 0;
    for (let c = 0; c < inRow; c++) {
      rects.push({ x, y, width: widths[c]!, height: heights[r]! });
      x += widths[c]!;
    }
    y += heights[r]!;
  }
  return rects;
}
