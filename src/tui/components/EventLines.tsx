// The newest events of a pane, one formatted line each; the selected one in reverse video.
import { Box, Text } from "ink";
import type { PaneLine } from "../state/snapshot.js";
import { useTheme } from "./ThemeContext.js";

export function EventLines({ lines, waiting }: { lines: PaneLine[]; waiting: string }) {
  const theme = useTheme();
  if (lines.length === 0) {
    return (
      <Text color={theme.muted} wrap="truncate-end">
        {waiting}
      </Text>
    );
  }
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" inverse={line.selected}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
