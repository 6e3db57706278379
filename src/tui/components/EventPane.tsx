// One pane: a border (double when focused), the title row, then its events, its top-N or the stats dashboard.
import { Box, Text } from "ink";
import type { PaneSnapshot } from "../state/snapshot.js";
import { EventLines } from "./EventLines.js";
import { PaneTitle } from "./PaneTitle.js";
import { StatsDashboardView } from "./StatsDashboardView.js";
import { TopList } from "./TopList.js";
import { useTheme } from "./ThemeContext.js";

export function EventPane({ pane, paused, nowMs }: { pane: PaneSnapshot; paused: boolean; nowMs: number }) {
  const theme = useTheme();
  let body: React.ReactNode;
  if (pane.view === "top" && pane.top !== undefined) {
    body = <TopList top={pane.top} rows={pane.contentRows} width={pane.contentWidth} eventType={pane.eventType} />;
  } else if (pane.view === "stats") {
    body = <StatsDashboardView figures={pane.stats ?? []} nowMs={nowMs} width={pane.contentWidth} rows={pane.contentRows} />;
  } else {
    const waiting = pane.filter !== undefined && pane.total > 0 ? "no event matches the filter (Esc clears it)" : `waiting for ${pane.subject}…`;
    body = <EventLines lines={pane.lines} waiting={waiting} />;
  }
  return (
    <Box
      width={pane.rect.width}
      height={pane.rect.height}
      flexDirection="column"
      borderStyle={pane.focused ? "double" : "round"}
      borderColor={pane.focused ? theme.focus : theme.border}
    >
      <PaneTitle pane={pane} paused={paused} />
      {pane.filter?.problem !== undefined ? (
        <Text color={theme.warn} wrap="truncate-end">
          ! {pane.filter.problem}
        </Text>
      ) : null}
            {/* Rows only: clipping columns would cut every line again (lines already fit the width). */}
      <Box flexDirection="column" height={pane.contentRows} overflowY="hidden">
        {body}
      </Box>
    </Box>
  );
}
