// The dashboard's state and actions, outside React: the panes, focus, zoom, pause, overlays, the connection state.
// Messages go in through receive() at any rate; the UI takes snapshot() on a timer and sends key commands to
// dispatch(). The filter box, the event view, the connection state and each pane's view live in files of their own.
import { decodeEvent, type EveEvent } from "../../eve/event.js";
import type { TimestampMode } from "../../eve/format.js";
import { asRawString } from "../../eve/types.js";
import { formatCount } from "../../text/units.js";
import { HELP_ROW_COUNT, type ResolvedKey } from "../keymap.js";
import { AlertFeed } from "./alert-feed.js";
import { connectionAfter } from "./connection-status.js";
import { DetailView } from "./detail-view.js";
import { FilterInput } from "./filter-input.js";
import { layoutPanes } from "./layout.js";
import { PaneState, type PaneConfig } from "./pane-state.js";
import { PANE_CHROME_ROWS, PaneView } from "./pane-view.js";
import type { ConnectionState, TuiSnapshot } from "./snapshot.js";
import { TextView } from "./text-view.js";

/** Reads the stream for the event view's pivots (f, h): given by run.tsx, which holds the connection. */
export interface Investigator {
  flow(event: EveEvent): Promise<string[]>;
  host(ip: string, event: EveEvent): Promise<string[]>;
}

export interface TuiStoreOptions {
  panes: PaneConfig[];
  /** The server URL(s), already redacted. */
  server: string;
  color: boolean;
  /** Timestamp style when timestamps are on (`t` turns them off and on). */
  timestamps: TimestampMode;
  now?: () => number;
  /** Without one, the pivots say there is no stream to read. */
  investigator?: Investigator;
  /** The alert count starts with the backfill the panes have (`--since 1h`), not when the dashboard started. */
  alertsBackfill?: string;
}

export class TuiStore {
  readonly panes: PaneState[];
  private readonly views: PaneView[];
  private readonly now: () => number;
  private readonly color: boolean;
  private readonly timestampStyle: TimestampMode;
  focus = 0;
  zoomed = false;
  paused = false;
  timestampsOn: boolean;
  helpOpen = false;
  /** Help lines scrolled past. */
  helpScroll = 0;
  private detail: DetailView | null = null;
  /** The event view's payload, for its pivots. */
  private detailRaw: string | undefined;
  /** Pages over the panes or the event view (a flow timeline, a host, the alert list); Esc pops one. */
  private readonly sheets: TextView[] = [];
  /** Set once the dashboard is connected (run.tsx); the pivots say so while there is none. */
  investigator: Investigator | undefined;
  readonly alerts: AlertFeed;
  private filterInput: FilterInput | null = null;
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
    this.views = this.panes.map((p) => new PaneView(p));
    this.server = options.server;
    this.color = options.color;
    this.now = options.now ?? Date.now;
    this.timestampStyle = options.timestamps === "none" ? "local" : options.timestamps;
    this.timestampsOn = options.timestamps !== "none";
    this.investigator = options.investigator;
    this.alerts = new AlertFeed(options.alertsBackfill);
    this.resize(this.columns, this.rows);
  }

  /** The alerts could not be backfilled: they count from now on, and say so. */
  alertsFromNow(): void {
    this.alerts.backfill = undefined;
  }

  /**
   * A message's payload for a pane (the bytes are copied; the caller's buffer may be reused). `storedAtMs` for a
   * backfilled message: when the stream stored it (it is not arriving now).
   */
  receive(pane: number, payload: Uint8Array, storedAtMs?: number): void {
    this.panes[pane]?.receive(payload, this.now(), storedAtMs);
  }

  /** An alert from the dashboard's own alert subscription (counted whatever the panes show). */
  receiveAlert(payload: Uint8Array): void {
    this.alerts.receive(payload);
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

  private paneRects() {
    // The drawn rows (rows-1) minus the status bar.
    return layoutPanes(this.panes.length, this.columns, this.rows - 2, this.zoomed ? this.focus : undefined);
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
  }

  /** A nats.js status event (connectNats' onStatusEvent): drives the status bar's connection state. */
  onNatsStatus(status: { type: string }): void {
    this.connection = connectionAfter(this.connection, status.type);
  }

  addDrops(n: number): void {
    this.drops += n;
  }

  get focusedPane(): PaneState | undefined {
    return this.panes[this.focus];
  }

  get inputMode(): "filter" | "detail" | "help" | "panes" {
    if (this.filterInput !== null) return "filter";
    if (this.sheets.length > 0 || this.detail !== null) return "detail";
    if (this.helpOpen) return "help";
    return "panes";
  }

  /** Text typed into the open filter box. */
  typeInFilter(text: string): void {
    this.filterInput?.type(text);
  }

  /** A key command, for whichever has the keys: the filter box, the event view, or the panes. */
  dispatch(resolved: ResolvedKey): void {
    if (this.filterInput !== null) {
      const outcome = this.filterInput.command(resolved);
      if (outcome === "apply") this.focusedPane?.setFilter(this.filterInput.text);
      if (outcome === "apply" || outcome === "cancel") this.filterInput = null;
      if (outcome === "quit") this.quitRequested = true;
      return;
    }
    const sheet = this.sheets[this.sheets.length - 1];
    if (sheet !== undefined) {
      const outcome = sheet.command(resolved, this.rows);
      if (outcome === "close") this.sheets.pop();
      if (outcome === "quit") this.quitRequested = true;
      return;
    }
    if (this.detail !== null) {
      if (resolved.command === "flowTimeline" || resolved.command === "hostSource" || resolved.command === "hostDestination") {
        this.pivot(resolved.command);
        return;
      }
      const outcome = this.detail.command(resolved, this.rows);
      if (outcome === "close") this.detail = null;
      if (outcome === "quit") this.quitRequested = true;
      return;
    }
    this.dispatchPanes(resolved);
  }

  /** The scroll keys move the help while it is open (not the pane behind it); true when `command` was one. */
  private scrollHelp(command: ResolvedKey["command"]): boolean {
    const page = Math.max(1, this.rows - 5);
    const last = HELP_ROW_COUNT - 1;
    const by: Partial<Record<ResolvedKey["command"], number>> = {
      scrollUp: -1,
      scrollDown: 1,
      pageUp: -page,
      pageDown: page,
      scrollOldest: -Infinity,
      scrollNewest: Infinity,
    };
    const step = by[command];
    if (step === undefined) return false;
    this.helpScroll = Math.min(last, Math.max(0, this.helpScroll + step));
    return true;
  }

  private dispatchPanes(resolved: ResolvedKey): void {
    if (this.helpOpen && this.scrollHelp(resolved.command)) return;
    const pane = this.focusedPane;
    const page = Math.max(1, (pane?.rows ?? 2) - 1);
    switch (resolved.command) {
      case "quit":
        this.quitRequested = true;
        break;
      case "close":
        this.helpOpen = false;
        break;
      case "help":
        this.helpOpen = !this.helpOpen;
        this.helpScroll = 0;
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
        this.filterInput = new FilterInput(pane?.filter?.text ?? "");
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
      case "alerts":
        this.openAlerts();
        break;
    }
  }

  private openAlerts(): void {
    let shown = -1;
    const title = () => `alerts · ${formatCount(this.alerts.count)} ${this.alerts.counted}, newest first`;
    const view = new TextView(title(), [], () => {
      if (shown === this.alerts.version) return undefined;
      shown = this.alerts.version;
      view.title = title();
      return this.alerts.lines(this.timestampsOn ? this.timestampStyle : "none");
    });
    this.sheets.push(view);
  }

  /** f, h, H in the event view: a page that fills in when the scan of the stream is done. */
  private pivot(command: "flowTimeline" | "hostSource" | "hostDestination"): void {
    const decoded = this.detailRaw === undefined ? undefined : decodeEvent(this.detailRaw);
    if (decoded === undefined || !decoded.ok) {
      this.sheets.push(new TextView("pivot", ["this is not an event: nothing to follow"]));
      return;
    }
    const event = decoded.event;
    const investigator = this.investigator;
    let title: string;
    let run: ((i: Investigator) => Promise<string[]>) | undefined;
    if (command === "flowTimeline") {
      const id = asRawString(String(event["flow_id"] ?? event["community_id"] ?? ""));
      title = `flow ${id === "" ? "?" : id} · 10 minutes around the event`;
      run = (i) => i.flow(event);
    } else {
      const ip = asRawString(command === "hostSource" ? event.src_ip : event.dest_ip);
      title = `host ${ip ?? "?"} · 10 minutes around the event`;
      if (ip !== undefined && ip !== "") run = (i) => i.host(ip, event);
    }
    const view = new TextView(title, ["reading the stream around the event…"]);
    this.sheets.push(view);
    if (run === undefined) view.setLines([`the event has no ${command === "hostSource" ? "src_ip" : "dest_ip"}`]);
    else if (investigator === undefined) view.setLines(["no stream to read: the dashboard has no connection to JetStream"]);
    else run(investigator).then((lines) => view.setLines(lines), (err: unknown) => view.setLines([`the scan failed: ${String(err)}`]));
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
    this.detailRaw = new TextDecoder().decode(bytes);
    this.detail = new DetailView(`${pane.shownSubject} · event #${index! + 1} · f flow · h/H host`, this.detailRaw);
  }

  snapshot(): TuiSnapshot {
    const nowMs = this.now();
    const rects = this.paneRects();
    const timestamps: TimestampMode = this.timestampsOn ? this.timestampStyle : "none";
    const panes = this.views.map((view, i) =>
      view.snapshot({ index: i, rect: rects[i]!, focused: i === this.focus, topOpen: this.topOpen.has(i), paused: this.paused, nowMs, color: this.color, timestamps }),
    );
    const snap: TuiSnapshot = {
      columns: this.columns,
      rows: this.rows - 1,
      nowMs,
      panes,
      zoomed: this.zoomed,
      paused: this.paused,
      timestamps: this.timestampsOn,
      overlay: this.sheets.length > 0 || this.detail !== null ? "detail" : this.helpOpen ? "help" : "none",
      helpScroll: this.helpScroll,
      status: { server: this.server, connection: this.connection, drops: this.drops, alerts: { count: this.alerts.count, ...(this.alerts.newest ? { newest: this.alerts.newest } : {}) } },
    };
    if (this.notice !== undefined) snap.status.notice = this.notice;
    const sheet = this.sheets[this.sheets.length - 1];
    if (sheet !== undefined) snap.detail = sheet.snapshot(this.columns, this.rows);
    else if (this.detail !== null) snap.detail = this.detail.snapshot(this.columns, this.rows);
    if (this.filterInput !== null) snap.filterInput = this.filterInput.snapshot(this.focusedPane?.shownSubject ?? "");
    return snap;
  }
}
