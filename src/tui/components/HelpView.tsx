// `?`: every key of the keymap table, grouped by where it applies; in two columns when one does not fit.
import { Box, Text } from "ink";
import { KEY_BINDINGS, KEY_SECTIONS, type KeyBinding } from "../keymap.js";
import { useTheme } from "./ThemeContext.js";

type HelpRow = { title: string } | { binding: KeyBinding };

export function helpRows(): HelpRow[] {
  const rows: HelpRow[] = [];
  for (const section of KEY_SECTIONS) {
    rows.push({ title: section.title });
    for (const binding of KEY_BINDINGS.filter((b) => b.context === section.context)) rows.push({ binding });
  }
  return rows;
}

/** Splits the rows into columns of at most `height` (two at most), breaking before a section title if it can. */
export function helpColumns(rows: HelpRow[], height: number, width: number): HelpRow[][] {
  if (rows.length <= height || width < 100) return [rows];
  let cut = Math.ceil(rows.length / 2);
  for (let i = cut; i > cut / 2; i--) {
    if ("title" in rows[i]!) {
      cut = i;
      break;
    }
  }
  return [rows.slice(0, cut), rows.slice(cut)];
}

const KEY_WIDTH = Math.max(...KEY_BINDINGS.map((b) => b.keys.length)) + 2;

function Column({ rows, height, width }: { rows: HelpRow[]; height: number; width: number }) {
  const theme = useTheme();
  const clipped = rows.length > height;
  const shown = clipped ? rows.slice(0, Math.max(0, height - 1)) : rows;
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((row, i) =>
        "title" in row ? (
          <Text key={i} color={theme.accent} wrap="truncate-end">
            {row.title}
          </Text>
        ) : (
          <Text key={i} wrap="truncate-end">
            {"  "}
            <Text bold>{row.binding.keys.padEnd(KEY_WIDTH)}</Text>
            {row.binding.description}
          </Text>
        ),
      )}
      {clipped ? (
        <Text color={theme.muted} wrap="truncate-end">
          … j/PgDn for the rest
        </Text>
      ) : null}
    </Box>
  );
}

export function HelpView({ width, height, scroll = 0 }: { width: number; height: number; scroll?: number }) {
  const theme = useTheme();
  // Inside the border (2 rows, 2 columns) and below the heading.
  const rowsAvailable = Math.max(1, height - 3);
  const rows = helpRows();
  // Scrolled no further than the last line shown at the bottom.
  const skipped = Math.min(scroll, Math.max(0, rows.length - rowsAvailable));
  const columns = helpColumns(rows.slice(skipped), rowsAvailable, width - 2);
  const columnWidth = Math.floor((width - 2) / columns.length);
  return (
    <Box width={width} height={height} flexDirection="column" borderStyle="round" borderColor={theme.focus} overflow="hidden">
      <Text bold color={theme.focus}>
        Keys{skipped > 0 ? ` (from line ${skipped + 1} of ${rows.length}; k/PgUp back)` : ""}
      </Text>
      <Box flexDirection="row">
        {columns.map((rows, i) => (
          <Column key={i} rows={rows} height={rowsAvailable} width={columnWidth} />
        ))}
      </Box>
    </Box>
  );
}
