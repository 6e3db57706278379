// A pane's top-N: the keys of src/eve/top.ts ranked by weight (events, or bytes for talkers).
import { Box, Text } from "ink";
import { truncateToWidth } from "../../text/width.js";
import { formatBytes, formatCount } from "../../text/units.js";
import type { PaneSnapshot } from "../state/snapshot.js";
import { useTheme } from "./ThemeContext.js";

export function TopList({ top, rows, width, eventType }: { top: NonNullable<PaneSnapshot["top"]>; rows: number; width: number; eventType: string }) {
  const theme = useTheme();
  if (top.kind === undefined) {
    return (
      <Text color={theme.muted} wrap="truncate-end">
        no top-N for {eventType} events (T to go back)
      </Text>
    );
  }
  const shown = top.rows.slice(0, Math.max(0, rows - 1));
  const weights = shown.map((r) => (top.kind!.unit === "bytes" ? formatBytes(r.weight) : formatCount(r.weight)));
  const weightWidth = Math.max(top.kind.unit === "bytes" ? 5 : 6, ...weights.map((w) => w.length));
  const rankWidth = String(shown.length).length;
  const keyWidth = Math.max(1, width - rankWidth - weightWidth - 3);
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent} wrap="truncate-end">
        {top.kind.title}
        {top.approximate ? " (approximate: rare keys forgotten)" : ""}
        <Text color={theme.muted}> · T to go back</Text>
      </Text>
      {shown.length === 0 ? <Text color={theme.muted}>nothing counted yet</Text> : null}
      {shown.map((r, i) => (
        <Text key={r.key} wrap="truncate-end">
          <Text color={theme.muted}>{String(i + 1).padStart(rankWidth)} </Text>
          {weights[i]!.padStart(weightWidth)}
          {"  "}
          {truncateToWidth(r.key, keyWidth)}
        </Text>
      ))}
    </Box>
  );
}
