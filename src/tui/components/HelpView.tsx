// `?`: every key of the keymap table, grouped by where it applies.
import { Box, Text } from "ink";
import { KEY_BINDINGS, type KeyContext } from "../keymap.js";
import { useTheme } from "./ThemeContext.js";

const SECTIONS: Array<{ context: KeyContext; title: string }> = [
  { context: "panes", title: "Panes" },
  { context: "global", title: "Everywhere" },
  { context: "filter", title: "Filter box (after /)" },
  { context: "detail", title: "Event view" },
  { context: "help", title: "This help" },
];

export function HelpView({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const keyWidth = Math.max(...KEY_BINDINGS.map((b) => b.keys.length)) + 2;
  return (
    <Box width={width} height={height} flexDirection="column" borderStyle="round" borderColor={theme.focus} overflow="hidden">
      <Text bold color={theme.focus}>
        Keys
      </Text>
      {SECTIONS.map((section) => (
        <Box key={section.context} flexDirection="column">
          <Text color={theme.accent}>{section.title}</Text>
          {KEY_BINDINGS.filter((b) => b.context === section.context).map((b) => (
            <Text key={`${b.context}-${b.command}-${b.keys}`} wrap="truncate-end">
              {"  "}
              <Text bold>{b.keys.padEnd(keyWidth)}</Text>
              {b.description}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
