// Defaults and sizes the tui command shows in its --help and the pane state uses; no imports, so the command (and
// the demo) can load it without pulling in the dashboard.

/** The panes `nsm4home tui` (and the demo) opens without subjects. */
export const DEFAULT_TUI_TYPES: readonly string[] = ["dns", "flow", "tls", "stats"];
/** The panes the demo opens without arguments: the default grid plus its alerts. */
export const DEFAULT_DEMO_TYPES: readonly string[] = ["dns", "flow", "tls", "alert", "stats"];
/** Keys 1-9 focus a pane. */
export const MAX_PANES = 9;

/** Payloads kept per pane: the history you can scroll, and the bound on what a pause buffers (tmux keeps 2,000
 * lines of history by default; --history raises it, at about 768 bytes a message per pane). */
export const DEFAULT_PANE_CAPACITY = 2_000;
/** Arena bytes per kept payload: a generated EVE event averages ~650 bytes, alerts and stats are larger. */
export const ARENA_BYTES_PER_PAYLOAD = 768;
