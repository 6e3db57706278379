import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { PaneGrid, gridRows } from "../../../src/tui/components/PaneGrid.js";
import { layoutPanes } from "../../../src/tui/state/layout.js";
import { paneSnapshot, plain } from "../helpers.js";

afterEach(cleanup);

const SUBJECTS = ["suricata.dns", "suricata.flow", "suricata.tls", "suricata.stats"];

function panes(columns: number, rows: number, zoomed?: number) {
  return layoutPanes(4, columns, rows, zoomed).map((rect, i) =>
    paneSnapshot({ index: i, subject: SUBJECTS[i]!, rect, contentRows: Math.max(0, rect.height - 3), contentWidth: rect.width - 2 }),
  );
}

describe("PaneGrid", () => {
  it("draws four panes 2x2 on a wide terminal", () => {
    const frame = plain(render(<PaneGrid panes={panes(100, 20)} paused={false} nowMs={0} />).lastFrame());
    const lines = frame.split("\n");
    expect(lines).toHaveLength(20);
    expect(lines[1]).toMatch(/^│1 suricata\.dns .*││2 suricata\.flow .*│$/);
    expect(lines[11]).toMatch(/^│3 suricata\.tls .*││4 suricata\.stats .*│$/);
  });

  it("stacks them on a narrow one, and shows only the zoomed pane", () => {
    const stacked = plain(render(<PaneGrid panes={panes(80, 24)} paused={false} nowMs={0} />).lastFrame()).split("\n");
    expect(stacked.filter((l) => /^│\d suricata/.test(l)).map((l) => l.slice(1, 16))).toEqual([
      "1 suricata.dns ",
      "2 suricata.flow",
      "3 suricata.tls ",
      "4 suricata.stat",
    ]);
    expect(gridRows(panes(100, 20, 2)).flat().map((p) => p.subject)).toEqual(["suricata.tls"]);
  });
});
