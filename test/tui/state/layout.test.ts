import { describe, expect, it } from "vitest";
import { gridColumns, layoutPanes } from "../../../src/tui/state/layout.js";

describe("layoutPanes", () => {
  it("puts four panes in a 2x2 grid that fills the area", () => {
    const rects = layoutPanes(4, 120, 38);
    expect(rects).toEqual([
      { x: 0, y: 0, width: 60, height: 19 },
      { x: 60, y: 0, width: 60, height: 19 },
      { x: 0, y: 19, width: 60, height: 19 },
      { x: 60, y: 19, width: 60, height: 19 },
    ]);
  });

  it("stacks panes in one column on a narrow terminal", () => {
    const rects = layoutPanes(4, 80, 40);
    expect(rects.map((r) => [r.x, r.width])).toEqual([[0, 80], [0, 80], [0, 80], [0, 80]]);
    expect(rects.map((r) => r.height)).toEqual([10, 10, 10, 10]);
    expect(gridColumns(4, 99)).toBe(1);
    expect(gridColumns(4, 100)).toBe(2);
  });

  it("gives an odd last pane the full width and shares uneven sizes", () => {
    const rects = layoutPanes(3, 121, 39);
    expect(rects[0]).toEqual({ x: 0, y: 0, width: 61, height: 20 });
    expect(rects[1]).toEqual({ x: 61, y: 0, width: 60, height: 20 });
    expect(rects[2]).toEqual({ x: 0, y: 20, width: 121, height: 19 });
  });

  it("gives the zoomed pane everything and the others nothing", () => {
    const rects = layoutPanes(4, 120, 38, 2);
    expect(rects[2]).toEqual({ x: 0, y: 0, width: 120, height: 38 });
    expect(rects.filter((r) => r.width === 0)).toHaveLength(3);
  });

  it("uses three columns for many panes on a wide screen", () => {
    expect(gridColumns(6, 200)).toBe(3);
    expect(layoutPanes(6, 200, 50).filter((r) => r.y === 0)).toHaveLength(3);
  });
});
