// Enter: the selected event as pretty JSON, every line sanitised, wrapped to the screen, scrollable.
import { Box, Text } from "ink";
import type { DetailSnapshot } from "../state/snapshot.js";
import { useTheme } from "./ThemeContext.js";

export function DetailView({ detail, width, height }: { detail: DetailSnapshot; width: number; height: number }) {
  const theme = useTheme();
  const last = Math.min(detail.totalLines, detail.offset + detail.lines.length);
  return (
    <Box width={width} height={height} flexDirection="column" borderStyle="round" borderColor={theme.focus} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold color={theme.focus}>
          {detail.title}
        </Text>
        <Text color={theme.muted}>
          {"  "}lines {detail.totalLines === 0 ? 0 : detail.offset + 1}-{last} of {detail.totalLines} · j/k PgUp/PgDn scroll · Esc close
        </Text>
      </Text>
      {detail.lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
