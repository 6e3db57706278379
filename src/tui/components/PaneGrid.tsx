// The panes laid out by the snapshot's rectangles: rows of panes that share a y, or the zoomed pane alone.
import { Box } from "ink";
import type { PaneSnapshot } from "../state/snapshot.js";
import { EventPane } from "./EventPane.js";

/** Groups the visible panes into screen rows by their y, in order. */
export function gridRows(panes: readonly PaneSnapshot[]): PaneSnapshot[][] {
  const rows = new Map<number, PaneSnapshot[]>();
  for (const pane of panes) {
    if (pane.rect.width === 0 || pane.rect.height === 0) continue;
    const row = rows.get(pane.rect.y) ?? [];
    row.push(pane);
    rows.set(pane.rect.y, row);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

export function PaneGrid({ panes, paused, nowMs }: { panes: PaneSnapshot[]; paused: boolean; nowMs: number }) {
  return (
    <Box flexDirection="column">
      {gridRows(panes).map((row) => (
        <Box key={row[0]!.rect.y} flexDirection="row">
          {row.map((pane) => (
            <EventPane key={pane.index} pane={pane} paused={paused} nowMs={nowMs} />
          ))}
        </Box>
      ))}
    </Box>
  );
}
