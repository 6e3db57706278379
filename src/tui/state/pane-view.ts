// One pane as the UI draws it: its title figures, and the rows of its view (event lines, the top-N list or the
// stats dashboard) at the size the layout gave it. Event lines are formatted once per message and width.
import { decodeEvent } from "../../eve/event.js";
import { formatMessage, type TimestampMode } from "../../eve/format.js";
import { sanitizeText } from "../../text/sanitize.js";
import { topKindOf } from "../../eve/top.js";
import { filterProblem } from "./filter-input.js";
import { FormattedLineCache } from "./line-cache.js";
import type { PaneState } from "./pane-state.js";
import type { PaneSnapshot } from "./snapshot.js";

/** Rows of the top-N list (the pane may show fewer). */
const TOP_ROWS = 50;
/** Border (2) and title (1). */
export const PANE_CHROME_ROWS = 3;

export interface PaneViewContext {
  index: number;
  rect: PaneSnapshot["rect"];
  focused: boolean;
  topOpen: boolean;
  paused: boolean;
  nowMs: number;
  color: boolean;
  timestamps: TimestampMode;
}

export class PaneView {
  private readonly lineCache = new FormattedLineCache();
  /** The stats dashboard as it was when paused: while paused it stays as it was, like the other panes. */
  private frozenStats: NonNullable<PaneSnapshot["stats"]> | undefined;

  constructor(readonly pane: PaneState) {}

  snapshot(ctx: PaneViewContext): PaneSnapshot {
    const pane = this.pane;
    const { rect } = ctx;
    const contentWidth = Math.max(1, rect.width - 2);
    const visibleOnScreen = rect.width > 0 && rect.height > 0;
    const filter = pane.filter;
    const problem = filter === undefined ? undefined : filterProblem(filter);
    // One content row goes to the filter's problem when there is one.
    const contentRows = Math.max(0, rect.height - PANE_CHROME_ROWS - (problem === undefined ? 0 : 1));
    pane.rows = Math.max(1, contentRows);
    const view: PaneSnapshot["view"] = ctx.topOpen ? "top" : pane.isStats ? "stats" : "lines";
    const snap: PaneSnapshot = {
      index: ctx.index,
      subject: pane.shownSubject,
      eventType: pane.eventType,
      focused: ctx.focused,
      rect,
      contentRows,
      contentWidth,
      total: pane.total,
      invalid: pane.invalid,
      perSecond: pane.rate.perSecond(ctx.nowMs),
      history: pane.rate.history(ctx.nowMs),
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
      snap.stats = ctx.paused ? (this.frozenStats ??= this.currentStats()) : this.currentStats();
      if (!ctx.paused) this.frozenStats = undefined;
    } else {
      const indices = pane.visibleIndices(contentRows);
      const format = { color: ctx.color, timestamps: ctx.timestamps, width: contentWidth };
      const texts = this.lineCache.linesFor(indices, `${contentWidth} ${ctx.color} ${ctx.timestamps}`, (index) =>
        formatMessage(decodeEvent(pane.lines.get(index)!), format),
      );
      snap.lines = indices.map((index, row) => ({ text: texts[row]!, selected: index === pane.selected }));
    }
    return snap;
  }

  private currentStats(): NonNullable<PaneSnapshot["stats"]> {
    const filter = this.pane.filter;
    return (this.pane.stats?.figures() ?? []).filter((f) => filter === undefined || filter.matchesLine(f.event, f.host));
  }
}
