// The dashboard's state and actions, outside React: the panes, focus, zoom, pause, overlays, the filter being
// typed, the connection state. Messages go in through receive() at any rate; the UI takes snapshot() on a timer
// and sends key commands to dispatch().
import { decodeEvent } from "../../eve/event.js";
import { formatMessage, type TimestampMode } from "../../eve/format.js";
import { sanitizeText, toSafePrettyJsonLines } from "../../text/sanitize.js";
import { topKindOf } from "../../eve/top.js";
import { compilePaneFilter, type PaneFilter } from "../../filter/index.js";
import { errorMessage } from "../../errors.js";
import type { ResolvedKey } from "../keymap.js";
import { layoutPanes } from "./layout.js";
import { PaneState, type PaneConfig } from "./pane-state.js";
import type { ConnectionState, DetailSnapshot, PaneSnapshot, TuiSnapshot } from "./snapshot.js";
import { wrapLines } from "./text.js";

export interface TuiStoreOptions {
  panes: PaneConfig[];
  /** The server URL(s), already redacted. */
  server: string;
  color: boolean;
  /** Timestamp style when timestamps are on (`t` turns them off and on). */
  timestamps: TimestampMode;
  now?: () => number;
}

/** Rows of the top-N list (the pane may show fewer). */
const TOP_ROWS = 50;
/** Border (2) and title (1). */
const PANE_CHROME_ROWS = 3;

interface DetailState {
  title: string;
  lines: string[];
  offset: number;
  /** `lines` wrapped to `wrapWidth`: redone when the width changes, not on every frame. */
  wrapped?: string[];
  wrapWidth?: number;
}

/** A filter's problem worth showing: text that looked like JMESPath but did not parse, or failed evaluations. */
function filterProblem(filter: PaneFilter): string | undefined {
  if (filter.parseError !== undefined) {
    // The expression is on screen already (title or input line): keep what is wrong and where.
    const prefix = `invalid filter '${filter.text.trim()}': `;
    const why = filter.parseError.startsWith(prefix) ? filter.parseError.slice(prefix.length) : filter.parseError;
    return `not JMESPath: ${why} (matching as text)`;
  }
  if (filter.errorCount > 0) return `${filter.errorCount} events failed: ${filter.lastError ?? ""}`;
  return undefined;
}

/** Pretty JSON of a payload, each line sanitised; a payload that is not an event is shown escaped as it came. */
export function eventDetailLines(raw: string): string[] {
  const decoded = decodeEvent(raw);
  if (!decoded.ok) return [`(not an event: ${decoded.reason})`, ...raw.split("\n").map(sanitizeText)];
  return toSafePrettyJsonLines(decoded.event);
}

export class TuiStore {
  readonly panes: PaneState[];
  private readonly now: () => number;
  private readonly color: boolean;
  private readonly timestampStyle: TimestampMode;
  focus = 0;
  zoomed = false;
  paused = false;
  timestampsOn: boolean;
  helpOpen = false;
  private detail: DetailState | null = null;
  /** The filter being typed, and the problem its text had when last checked (checked once per edit, not per frame). */
  private filterInput: { text: string; checkedText?: string; problem?: string | undefined } | null = null;
  private readonly topOpen = new Set<number>();
  columns = 80;
  rows = 24;
  connection: ConnectionState = { kind: "connecting" };
  drops = 0;
  notice: string | undefined;
  server: string;
  /** Set by quit; the app watches it to unmount. */
  quitRequested = false;

  constructor(options: TuiStoreOptions) {
    this.panes = options.panes.map((p) => new PaneState(p));
    this.server = options.server;
    this.color = options.color;
    this.now = options.now ?? Date.now;
    this.timestampStyle = options.timestamps === "none" ? "local" : options.timestamps;
    this.timestampsOn = options.timestamps !== "none";
    this.resize(this.columns, this.rows);
  }

  /** A message's payload for a pane (the bytes are copied; the caller's buffer may be reused). */
  receive(pane: number, payload: Uint8Array): void {
    this.panes[pane]?.receive(payload, this.now());
  }

  /** Terminal size; the app draws rows-1 rows (see TuiSnapshot.rows). */
  resize(columns: number, rows: number): void {
    this.columns = Math.max(20, columns);
    this.rows = Math.max(6, rows);
    const rects = this.paneRects();
    this.panes.forEach((pane, i) => {
      pane.rows = Math.max(1, rects[i]!.height - PANE_CHROME_ROWS);
    });
  }

  /** Rows for panes: the drawn rows minus the status bar. */
  private paneArea(): { columns: number; rows: number } {
    return { columns: this.columns, rows: this.rows - 1 - 1 };
  }

  private paneRects() {
    const area = this.paneArea();
    return layoutPanes(this.panes.length, area.columns, area.rows, this.zoomed ? this.focus : undefined);
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
  }

  /** A nats.js status event (connectNats' onStatusEvent): drives the status bar's connection state. */
  onNatsStatus(status: { type: string }): void {
    switch (status.type) {
      case "disconnect":
        this.connection = { kind: "disconnected" };
        break;
      case "reconnecting":
        this.connection = { kind: "reconnecting", attempts: this.connection.kind === "reconnecting" ? this.connection.attempts + 1 : 1 };
        break;
      case "reconnect":
        this.connection = { kind: "connected" };
        break;
      case "close":
        this.connection = { kind: "closed" };
        break;
      default:
        break;
    }
  }

  addDrops(n: number): void {
    this.drops += n;
  }

  get focusedPane(): PaneState | undefined {
    return this.panes[this.focus];
  }

  get inputMode(): "filter" | "detail" | "help" | "panes" {
    if (this.filterInput !== null) return "filter";
    if (this.detail !== null) return "detail";
    if (this.helpOpen) return "help";
    return "panes";
  }

  /** Text typed into the open filter box. */
  typeInFilter(text: string): void {
    if (this.filterInput !== null) this.filterInput.text += text;
  }

  private dispatchFilter(resolved: ResolvedKey): void {
    const input = this.filterInput!;
    switch (resolved.command) {
      case "filterApply":
        this.focusedPane?.setFilter(input.text);
        this.filterInput = null;
        break;
      case "filterCancel":
        this.filterInput = null;
        break;
      case "filterBackspace":
        input.text = [...input.text].slice(0, -1).join("");
        break;
      case "filterErase":
        input.text = "";
        break;
      case "quit":
        this.quitRequested = true;
        break;
      default:
        break;
    }
  }

  dispatch(resolved: ResolvedKey): void {
    const pane = this.focusedPane;
    const page = Math.max(1, (pane?.rows ?? 2) - 1);
    if (this.filterInput !== null) {
      this.dispatchFilter(resolved);
      return;
    }
    if (this.detail !== null) {
      this.dispatchDetail(resolved);
      return;
    }
    switch (resolved.command) {
      case "quit":
        this.quitRequested = true;
        break;
      case "close":
        this.helpOpen = false;
        break;
      case "help":
        this.helpOpen = !this.helpOpen;
        break;
      case "focusNext":
        this.setFocus((this.focus + 1) % this.panes.length);
        break;
      case "focusPrev":
        this.setFocus((this.focus - 1 + this.panes.length) % this.panes.length);
        break;
      case "focusPane":
        if (resolved.digit !== undefined && resolved.digit <= this.panes.length) this.setFocus(resolved.digit - 1);
        break;
      case "zoom":
        this.zoomed = !this.zoomed;
        this.resize(this.columns, this.rows);
        break;
      case "pause":
        this.paused = !this.paused;
        for (const p of this.panes) {
          if (this.paused) p.pause();
          else p.resume();
        }
        break;
      case "scrollUp":
        pane?.scrollUp(1);
        break;
      case "scrollDown":
        pane?.scrollDown(1);
        break;
      case "pageUp":
        pane?.scrollUp(page);
        break;
      case "pageDown":
        pane?.scrollDown(page);
        break;
      case "scrollOldest":
        pane?.scrollToOldest();
        break;
      case "scrollNewest":
        pane?.scrollToNewest();
        break;
      case "filter":
        this.filterInput = { text: pane?.filter?.text ?? "" };
        break;
      case "clearFilter":
        pane?.setFilter("");
        break;
      case "detail":
        this.openDetail();
        break;
      case "timestamps":
        this.timestampsOn = !this.timestampsOn;
        break;
      case "topN":
        if (this.topOpen.has(this.focus)) this.topOpen.delete(this.focus);
        else this.topOpen.add(this.focus);
        break;
      case "clear":
        pane?.clear();
        break;
    }
  }

  private dispatchDetail(resolved: ResolvedKey): void {
    const detail = this.detail!;
    const page = Math.max(1, this.rows - 4);
    switch (resolved.command) {
      case "quit":
        this.quitRequested = true;
        break;
      case "close":
      case "detail":
      case "clearFilter":
        this.detail = null;
        break;
      case "scrollUp":
        detail.offset = Math.max(0, detail.offset - 1);
        break;
      case "scrollDown":
        detail.offset++;
        break;
      case "pageUp":
        detail.offset = Math.max(0, detail.offset - page);
        break;
      case "pageDown":
        detail.offset += page;
        break;
      case "scrollOldest":
        detail.offset = 0;
        break;
      case "scrollNewest":
        detail.offset = Number.MAX_SAFE_INTEGER;
        break;
      default:
        break;
    }
  }

  private setFocus(index: number): void {
    if (index === this.focus) return;
    this.focus = index;
    if (this.zoomed) this.resize(this.columns, this.rows);
  }

  private openDetail(): void {
    const pane = this.focusedPane;
    if (pane === undefined) return;
    const index = pane.currentIndex();
    const bytes = index === undefined ? undefined : pane.lines.get(index);
    if (bytes === undefined) return;
    const raw = decodeEvent(bytes).raw;
    this.detail = { title: `${pane.subject} · event #${index! + 1}`, lines: eventDetailLines(raw), offset: 0 };
  }

  snapshot(): TuiSnapshot {
    const nowMs = this.now();
    const rects = this.paneRects();
    const timestamps: TimestampMode = this.timestampsOn ? this.timestampStyle : "none";
    const panes = this.panes.map((pane, i) => this.paneSnapshot(pane, i, rects[i]!, nowMs, timestamps));
    const snap: TuiSnapshot = {
      columns: this.columns,
      rows: this.rows - 1,
      nowMs,
      panes,
      zoomed: this.zoomed,
      paused: this.paused,
      timestamps: this.timestampsOn,
      overlay: this.detail !== null ? "detail" : this.helpOpen ? "help" : "none",
      status: { server: this.server, connection: this.connection, drops: this.drops },
    };
    if (this.notice !== undefined) snap.status.notice = this.notice;
    if (this.detail !== null) snap.detail = this.detailSnapshot();
    if (this.filterInput !== null) {
      const input = this.filterInput;
      if (input.checkedText !== input.text) {
        input.problem = filterProblem(compilePaneFilterSafe(input.text));
        input.checkedText = input.text;
      }
      const problem = input.problem;
      snap.filterInput = { paneSubject: this.focusedPane?.subject ?? "", text: input.text };
      if (problem !== undefined) snap.filterInput.problem = problem;
    }
    return snap;
  }

  private detailSnapshot(): DetailSnapshot {
    const detail = this.detail!;
    // The app draws rows-1 rows; minus the status bar, the border (2) and the title row.
    const visible = Math.max(1, this.rows - 5);
    const width = Math.max(10, this.columns - 2);
    if (detail.wrapped === undefined || detail.wrapWidth !== width) {
      detail.wrapped = wrapLines(detail.lines, width);
      detail.wrapWidth = width;
    }
    const lines = detail.wrapped;
    detail.offset = Math.min(detail.offset, Math.max(0, lines.length - visible));
    return { title: detail.title, lines: lines.slice(detail.offset, detail.offset + visible), offset: detail.offset, totalLines: lines.length };
  }

  private paneSnapshot(pane: PaneState, i: number, rect: PaneSnapshot["rect"], nowMs: number, timestamps: TimestampMode): PaneSnapshot {
    const contentWidth = Math.max(1, rect.width - 2);
    const visibleOnScreen = rect.width > 0 && rect.height > 0;
    const filter = pane.filter;
    const problem = filter === undefined ? undefined : filterProblem(filter);
    // One content row goes to the filter's problem when there is one.
    const contentRows = Math.max(0, rect.height - PANE_CHROME_ROWS - (problem === undefined ? 0 : 1));
    pane.rows = Math.max(1, contentRows);
    const view: PaneSnapshot["view"] = this.topOpen.has(i) ? "top" : pane.isStats ? "stats" : "lines";
    const snap: PaneSnapshot = {
      index: i,
      subject: pane.subject,
      eventType: pane.eventType,
      focused: i === this.focus,
      rect,
      contentRows,
      contentWidth,
      total: pane.total,
      invalid: pane.invalid,
      perSecond: pane.rate.perSecond(nowMs),
      history: pane.rate.history(nowMs),
      newWhileHeld: pane.newWhileHeld,
      heldDropped: pane.heldDropped,
      scrolled: pane.selected !== null,
      view,
      lines: [],
    };
    if (filter !== undefined) {
      snap.filter = { text: filter.text, kind: filter.kind };
      if (problem !== undefined) snap.filter.problem = problem;
    }
    if (!visibleOnScreen) return snap;
    if (view === "top") {
      snap.top = {
        kind: topKindOf(pane.eventType),
        rows: pane.top.top(TOP_ROWS).map((r) => ({ key: sanitizeText(r.key), weight: r.weight, count: r.count })),
        approximate: pane.top.approximate,
      };
    } else if (view === "stats") {
      // While paused the dashboard stays as it was, like the other panes.
      snap.stats = this.paused ? (this.frozenStats.get(i) ?? this.captureStats(pane, i)) : this.captureStats(pane, i);
    } else {
      const format = { color: this.color, timestamps, width: contentWidth };
      for (const index of pane.visibleIndices(contentRows)) {
        snap.lines.push({ text: formatMessage(decodeEvent(pane.lines.get(index)!), format), selected: index === pane.selected });
      }
    }
    return snap;
  }

  private readonly frozenStats = new Map<number, NonNullable<PaneSnapshot["stats"]>>();

  private captureStats(pane: PaneState, i: number): NonNullable<PaneSnapshot["stats"]> {
    const filter = pane.filter;
    const figures = (pane.stats?.figures() ?? []).filter((f) => filter === undefined || filter.matchesLine(f.event, f.host));
    if (this.paused) this.frozenStats.set(i, figures);
    else this.frozenStats.clear();
    return figures;
  }
}

/** The filter the box's text would give, for showing its problem while typing. */
function compilePaneFilterSafe(text: string): PaneFilter {
  try {
    return compilePaneFilter(text);
  } catch (err) {
    return { kind: "text", text, parseError: errorMessage(err), errorCount: 0, lastError: undefined, matchesLine: () => false };
  }
}
