// The dashboard: panes in a grid (or one zoomed), the help or an event view over them, the status bar below.
// Everything it shows comes from a store snapshot; everything it does goes to the store as a keymap command.
import { Box } from "ink";
import { DetailView } from "./components/DetailView.js";
import { HelpView } from "./components/HelpView.js";
import { PaneGrid } from "./components/PaneGrid.js";
import { StatusBar } from "./components/StatusBar.js";
import { ThemeContext } from "./components/ThemeContext.js";
import { useKeyCommands } from "./hooks/useKeyCommands.js";
import { DEFAULT_REFRESH_MS, useSnapshot } from "./hooks/useSnapshot.js";
import type { TuiStore } from "./state/store.js";
import { themeFor } from "./theme.js";

export interface AppProps {
  store: TuiStore;
  /** Terminal size: passed in (not read here) so tests choose it. */
  columns: number;
  rows: number;
  color: boolean;
  refreshMs?: number;
  onQuit(): void;
}

export function App({ store, columns, rows, color, refreshMs = DEFAULT_REFRESH_MS, onQuit }: AppProps) {
  const [snapshot, refresh] = useSnapshot(store, columns, rows, refreshMs);
  useKeyCommands(store, refresh, onQuit);
  const mainHeight = Math.max(1, snapshot.rows - 1);
  let main: React.ReactNode;
  if (snapshot.overlay === "detail" && snapshot.detail !== undefined) {
    main = <DetailView detail={snapshot.detail} width={snapshot.columns} height={mainHeight} />;
  } else if (snapshot.overlay === "help") {
    main = <HelpView width={snapshot.columns} height={mainHeight} scroll={snapshot.helpScroll} />;
  } else {
    main = <PaneGrid panes={snapshot.panes} paused={snapshot.paused} nowMs={snapshot.nowMs} />;
  }
  return (
    <ThemeContext.Provider value={themeFor(color)}>
      <Box flexDirection="column" width={snapshot.columns} height={snapshot.rows}>
        <Box height={mainHeight} flexDirection="column" overflowY="hidden">
          {main}
        </Box>
        <StatusBar snapshot={snapshot} />
      </Box>
    </ThemeContext.Provider>
  );
}
