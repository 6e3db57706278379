// Every key of the dashboard in one table: what it does, where it applies, and how `?` shows it. Components never
// compare key strings themselves; they ask resolveKey() for a command.
import type { Key } from "ink";

export type Command =
  | "focusNext"
  | "focusPrev"
  | "focusPane"
  | "zoom"
  | "pause"
  | "scrollUp"
  | "scrollDown"
  | "pageUp"
  | "pageDown"
  | "scrollOldest"
  | "scrollNewest"
  | "filter"
  | "clearFilter"
  | "detail"
  | "timestamps"
  | "topN"
  | "clear"
  | "alerts"
  | "flowTimeline"
  | "hostSource"
  | "hostDestination"
  | "help"
  | "quit"
  | "close"
  | "filterApply"
  | "filterCancel"
  | "filterErase"
  | "filterBackspace";

/**
 * Where a binding applies: the pane grid, the detail view, the help screen, the filter box, or everywhere but the
 * filter box (where letters are text).
 */
export type KeyContext = "global" | "panes" | "detail" | "help" | "filter";

export interface KeyMatch {
  /** The character typed (`q`, `?`, ` `); compared exactly, so `t` and `T` differ. */
  input?: string;
  /** A named key from ink's Key (tab, return, escape, pageUp, ...). */
  key?: "tab" | "return" | "escape" | "pageUp" | "pageDown" | "upArrow" | "downArrow" | "home" | "end" | "backspace" | "delete";
  shift?: boolean;
  ctrl?: boolean;
  /** Any of the digits 1-9 (the command gets the digit as its argument). */
  digit?: true;
}

export interface KeyBinding {
  command: Command;
  context: KeyContext;
  /** How the help screen writes the keys. */
  keys: string;
  description: string;
  /** Its word in the status bar, for the keys worth a reminder there. */
  hint?: string;
  match: KeyMatch[];
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { command: "focusNext", context: "panes", keys: "Tab", description: "focus the next pane", hint: "focus", match: [{ key: "tab", shift: false }] },
  { command: "focusPrev", context: "panes", keys: "Shift-Tab", description: "focus the previous pane", match: [{ key: "tab", shift: true }] },
  { command: "focusPane", context: "panes", keys: "1-9", description: "focus pane N", match: [{ digit: true }] },
  { command: "zoom", context: "panes", keys: "z", description: "zoom the focused pane full screen, and back", hint: "zoom", match: [{ input: "z" }] },
  {
    command: "pause",
    context: "panes",
    keys: "space",
    description: 'pause the display (counting and buffering go on, titles show "+N new"); again to resume', hint: "pause",
    match: [{ input: " " }],
  },
  { command: "scrollUp", context: "global", keys: "k / ↑", description: "scroll up (select an older event)", match: [{ input: "k" }, { key: "upArrow" }] },
  { command: "scrollDown", context: "global", keys: "j / ↓", description: "scroll down", match: [{ input: "j" }, { key: "downArrow" }] },
  { command: "pageUp", context: "global", keys: "PgUp", description: "scroll up a page", match: [{ key: "pageUp" }] },
  { command: "pageDown", context: "global", keys: "PgDn", description: "scroll down a page", match: [{ key: "pageDown" }] },
  { command: "scrollOldest", context: "global", keys: "g / Home", description: "oldest kept event", match: [{ input: "g" }, { key: "home" }] },
  { command: "scrollNewest", context: "global", keys: "G / End", description: "newest event, follow live", match: [{ input: "G" }, { key: "end" }] },
  {
    command: "filter",
    context: "panes",
    keys: "/",
    description: "filter the focused pane: a JMESPath expression, or text matched against the line", hint: "filter",
    match: [{ input: "/" }],
  },
  { command: "clearFilter", context: "panes", keys: "Esc", description: "clear the focused pane's filter", match: [{ key: "escape" }] },
  { command: "detail", context: "panes", keys: "Enter", description: "open the selected event as JSON", hint: "event", match: [{ key: "return" }] },
  { command: "close", context: "detail", keys: "Esc / Enter", description: "close the event view (or the page over it)", match: [{ key: "escape" }, { key: "return" }] },
  {
    command: "flowTimeline",
    context: "detail",
    keys: "f",
    description: "the flow timeline of this event: its flow's events and DNS lookup, 10 minutes around it",
    match: [{ input: "f" }],
  },
  { command: "hostSource", context: "detail", keys: "h", description: "the host view of the event's source (src_ip)", match: [{ input: "h" }] },
  { command: "hostDestination", context: "detail", keys: "H", description: "the host view of the event's destination (dest_ip)", match: [{ input: "H" }] },
  { command: "timestamps", context: "panes", keys: "t", description: "timestamps on/off", match: [{ input: "t" }] },
  {
    command: "topN",
    context: "panes",
    keys: "T",
    description: "top-N of the focused pane: domains, SNIs, talkers by bytes, signatures", hint: "top",
    match: [{ input: "T" }],
  },
  { command: "clear", context: "panes", keys: "c", description: "clear the focused pane (totals keep counting)", match: [{ input: "c", ctrl: false }] },
  { command: "alerts", context: "panes", keys: "a", description: "recent alerts, newest first (counted since start)", hint: "alerts", match: [{ input: "a" }] },
  { command: "help", context: "panes", keys: "?", description: "this help", hint: "help", match: [{ input: "?" }] },
  { command: "close", context: "help", keys: "? / Esc", description: "close the help", match: [{ input: "?" }, { key: "escape" }] },
  { command: "quit", context: "global", keys: "q / Ctrl-C", description: "quit", hint: "quit", match: [{ input: "q", ctrl: false }, { input: "c", ctrl: true }] },
  { command: "filterApply", context: "filter", keys: "Enter", description: "apply the filter", match: [{ key: "return" }] },
  { command: "filterCancel", context: "filter", keys: "Esc", description: "leave the filter as it was", match: [{ key: "escape" }] },
  { command: "filterBackspace", context: "filter", keys: "Backspace", description: "delete a character", match: [{ key: "backspace" }, { key: "delete" }] },
  // Ctrl-U can arrive as its raw byte when sent together with other keys.
  { command: "filterErase", context: "filter", keys: "Ctrl-U", description: "erase the line", match: [{ input: "u", ctrl: true }, { input: "\u0015" }] },
  { command: "quit", context: "filter", keys: "Ctrl-C", description: "quit", match: [{ input: "c", ctrl: true }] },
];

export interface ResolvedKey {
  command: Command;
  /** The digit for focusPane. */
  digit?: number;
}

function matches(m: KeyMatch, input: string, key: Key): number | boolean {
  if (m.ctrl !== undefined && key.ctrl !== m.ctrl) return false;
  if (m.shift !== undefined && key.shift !== m.shift) return false;
  if (m.key !== undefined) return key[m.key] === true;
  if (m.digit) return /^[1-9]$/.test(input) && !key.ctrl && !key.meta ? Number(input) : false;
  return m.input !== undefined && input === m.input && !key.meta;
}

/** The command a key press means in a context (global bindings apply in every context). */
export function resolveKey(input: string, key: Key, context: Exclude<KeyContext, "global">): ResolvedKey | undefined {
  for (const binding of KEY_BINDINGS) {
    // In the filter box letters are text: only its own bindings apply there.
    if (binding.context !== context && (binding.context !== "global" || context === "filter")) continue;
    for (const m of binding.match) {
      const hit = matches(m, input, key);
      if (hit === false) continue;
      return typeof hit === "number" ? { command: binding.command, digit: hit } : { command: binding.command };
    }
  }
  return undefined;
}

/** The help's sections: where bindings apply, in the order `?` and `tui --help` list them. */
export const KEY_SECTIONS: ReadonlyArray<{ context: KeyContext; title: string }> = [
  { context: "panes", title: "Panes" },
  { context: "global", title: "Everywhere" },
  { context: "filter", title: "Filter box (after /)" },
  { context: "detail", title: "Event view" },
  { context: "help", title: "This help" },
];

/** Lines of the help screen: a title per section and a line per binding (for how far it can scroll). */
export const HELP_ROW_COUNT = KEY_SECTIONS.reduce((n, section) => n + 1 + KEY_BINDINGS.filter((b) => b.context === section.context).length, 0);

/** The reminders a status bar with little room keeps: how to learn the rest, and how to leave. */
const FIRST_HINTS: ReadonlySet<Command> = new Set(["help", "quit"]);

function hintLine(bindings: readonly KeyBinding[]): string {
  return bindings.map((b) => `${b.keys.split(" / ")[0]} ${b.hint}`).join("  ");
}

const HINTED = KEY_BINDINGS.filter((b) => b.hint !== undefined);

/** The reminders the status bar keeps in sight however narrow it is: "? help  q quit". */
export const KEPT_STATUS_HINTS = hintLine(HINTED.filter((b) => FIRST_HINTS.has(b.command)));

/** The status bar's reminders, from the bindings that have a hint: "? help  q quit  Tab focus  z zoom  ...". */
export const STATUS_HINTS = [KEPT_STATUS_HINTS, hintLine(HINTED.filter((b) => !FIRST_HINTS.has(b.command)))].join("  ");

/** Every binding as plain text lines, section by section (for `tui --help`). */
export function keyHelpLines(): string[] {
  const width = Math.max(...KEY_BINDINGS.map((b) => b.keys.length)) + 2;
  return KEY_SECTIONS.flatMap((section) => [
    `${section.title}:`,
    ...KEY_BINDINGS.filter((b) => b.context === section.context).map((b) => `  ${b.keys.padEnd(width)}${b.description}`),
  ]);
}
