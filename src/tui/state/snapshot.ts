// What the UI renders: a plain, immutable picture of the store taken a few times a second. Components get this
// and nothing else, which is what lets them be tested with a hand-made snapshot.
import type { TopKind } from "../../eve/top.js";
import type { HostFigures } from "./stats-dashboard.js";
import type { Rect } from "./layout.js";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "reconnecting"; attempts: number }
  | { kind: "disconnected" }
  | { kind: "closed" };

export interface PaneLine {
  /** Formatted by src/eve (sanitised, cut to the pane width); may hold colour codes. */
  text: string;
  selected: boolean;
}

export interface TopRow {
  /** Sanitised. */
  key: string;
  weight: number;
  count: number;
}

export interface PaneSnapshot {
  index: number;
  subject: string;
  eventType: string;
  focused: boolean;
  rect: Rect;
  /** Content rows and columns inside the border and title. */
  contentRows: number;
  contentWidth: number;
  total: number;
  invalid: number;
  perSecond: number;
  /** Per-second counts of the last minute, oldest first. */
  history: number[];
  /** "+N new" while the display is held (paused or scrolled); 0 otherwise. */
  newWhileHeld: number;
  heldDropped: number;
  scrolled: boolean;
  filter?: { text: string; kind: string; problem?: string };
  view: "lines" | "top" | "stats";
  lines: PaneLine[];
  top?: { kind: TopKind | undefined; rows: TopRow[]; approximate: boolean };
  stats?: HostFigures[];
}

export interface DetailSnapshot {
  title: string;
  /** Wrapped to the screen width; sanitised. */
  lines: string[];
  offset: number;
  totalLines: number;
}

export interface FilterInputSnapshot {
  paneSubject: string;
  text: string;
  problem?: string;
}

export interface TuiSnapshot {
  columns: number;
  /** Rows the app draws: the terminal's rows minus one (ink redraws the whole screen at full height). */
  rows: number;
  nowMs: number;
  panes: PaneSnapshot[];
  zoomed: boolean;
  paused: boolean;
  timestamps: boolean;
  overlay: "none" | "help" | "detail";
  /** Help lines scrolled past (a short terminal cannot show them all). */
  helpScroll: number;
  detail?: DetailSnapshot;
  filterInput?: FilterInputSnapshot;
  status: {
    server: string;
    connection: ConnectionState;
    drops: number;
    /** Alerts since the dashboard started, and the newest one (signature sanitised). */
    alerts?: { count: number; newest?: { severity?: number; signature: string } };
    /** A message about the event source (e.g. backfill progress or a failure), shown in the status bar. */
    notice?: string;
  };
}
