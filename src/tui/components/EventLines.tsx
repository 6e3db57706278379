// The newest events of a pane, one formatted line each; the selected one in reverse video. One Text node for
// all of them: ink measures and lays out every node on every frame, and a pane redraws ten times a second.
import { Text } from "ink";
import type { PaneLine } from "../state/snapshot.js";
import { useTheme } from "./ThemeContext.js";

const INVERSE_ON = "\x1b[7m";
const INVERSE_OFF = "\x1b[27m";

/** The lines as one block of text; lines are already cut to the pane width by the formatters. */
export function joinLines(lines: readonly PaneLine[]): string {
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > 0) out += "\n";
    // Colour codes inside the line end with their own resets (39, 22, ...), which leave reverse video on.
    out += line.selected ? INVERSE_ON + line.text + INVERSE_OFF : line.text;
  }
  return out;
}

export function EventLines({ lines, waiting }: { lines: PaneLine[]; waiting: string }) {
  const theme = useTheme();
  if (lines.length === 0) {
    return (
      <Text color={theme.muted} wrap="truncate-end">
        {waiting}
      </Text>
    );
  }
  return <Text>{joinLines(lines)}</Text>;
}
