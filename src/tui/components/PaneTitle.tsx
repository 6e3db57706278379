// A pane's title row: subject, msgs/s, total, what holds the display, the filter, a sparkline of the last minute.
import { Text } from "ink";
import { formatCompact, formatCount } from "../../text/units.js";
import { sparkline } from "../state/sparkline.js";
import type { PaneSnapshot } from "../state/snapshot.js";
import { useTheme } from "./ThemeContext.js";

/** Sparkline columns: the last minute in 20 columns (3 s each) when the pane is wide enough. */
export function sparklineWidth(contentWidth: number): number {
  if (contentWidth >= 70) return 20;
  if (contentWidth >= 50) return 12;
  return 0;
}

export function PaneTitle({ pane, paused }: { pane: PaneSnapshot; paused: boolean }) {
  const theme = useTheme();
  const spark = sparklineWidth(pane.contentWidth);
  const held = pane.newWhileHeld > 0 || paused || pane.scrolled;
  return (
    <Text wrap="truncate-end">
      <Text bold color={pane.focused ? theme.focus : theme.title}>
        {pane.index + 1} {pane.subject}
      </Text>
      <Text> {formatCompact(pane.perSecond)}/s</Text>
      <Text color={theme.muted}> total </Text>
      <Text>{formatCount(pane.total)}</Text>
      {held ? (
        <Text color={theme.warn}>
          {" "}
          {paused ? "⏸ " : ""}+{formatCount(pane.newWhileHeld)} new
          {pane.heldDropped > 0 ? ` (${formatCount(pane.heldDropped)} over buffer)` : ""}
        </Text>
      ) : null}
      {pane.filter !== undefined ? <Text color={theme.accent}> filter: {pane.filter.text}</Text> : null}
      {pane.invalid > 0 ? <Text color={theme.bad}> {formatCount(pane.invalid)} invalid</Text> : null}
      {/* Last: when the title is too long for the pane, the sparkline is what gets cut. */}
      {spark > 0 ? <Text color={theme.chart}> {sparkline(pane.history, spark)}</Text> : null}
    </Text>
  );
}
