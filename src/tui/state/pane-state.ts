// One pane's data, outside React: the newest payloads in a ring, exact counters, the per-second rate, the top-N
// counts, the stats dashboard (stats panes), the filter and where the user has scrolled to. Messages arrive here
// at full rate; the UI reads a snapshot of it a few times a second.
import { decodeEvent, type DecodedMessage } from "../../eve/event.js";
import { formatMessage } from "../../eve/format.js";
import { topKeysOf } from "../../eve/top.js";
import { compilePaneFilter, type PaneFilter } from "../../filter/index.js";
import { RateCounter } from "./rate-counter.js";
import { ARENA_BYTES_PER_PAYLOAD, DEFAULT_PANE_CAPACITY } from "../limits.js";
import { PayloadRing } from "./payload-ring.js";
import { digestEvent } from "../../eve/digest.js";
import { sanitizeText, toSafeJson } from "../../text/sanitize.js";
import { StatsDashboard } from "./stats-dashboard.js";
import { TopCounter } from "./top-counter.js";

const digestEncoder = new TextEncoder();

export interface PaneConfig {
  /** The NATS subject shown in the title (may be a wildcard). */
  subject: string;
  /** The event type the pane is for (`dns`, `stats`, ...): decides the top-N and the stats dashboard. */
  eventType: string;
  /** Payloads kept (default DEFAULT_PANE_CAPACITY). */
  capacity?: number;
  /** Bytes for them (default capacity x ARENA_BYTES_PER_PAYLOAD): large payloads mean fewer are kept. */
  arenaBytes?: number;
}

const UNKNOWN = 0;
const MATCH = 1;
const NO_MATCH = 2;

/** The line a plain-text filter searches: what the pane shows, without colour, time or truncation. */
function plainLine(decoded: DecodedMessage): string {
  return formatMessage(decoded, { color: false, timestamps: "none" });
}

export class PaneState {
  readonly subject: string;
  /** The subject as a terminal may show it: it comes from the command line, where anything can be typed or pasted. */
  readonly shownSubject: string;
  readonly eventType: string;
  readonly isStats: boolean;
  /** Messages received: exact, whatever is paused, filtered or cleared. */
  total = 0;
  /** Of those, payloads that were not JSON event objects. */
  invalid = 0;
  readonly rate = new RateCounter();
  readonly top = new TopCounter();
  readonly stats: StatsDashboard | undefined;
  /** Payloads as received; decoded again only for the few rows on screen. */
  readonly lines: PayloadRing;
  /** Filter result per ring slot, so a filter is evaluated once per message. */
  private readonly flags: Uint8Array;
  private paneFilter: PaneFilter | undefined;

  /** Absolute index of the selected message; null follows the newest. */
  selected: number | null = null;
  /** One past the newest row shown while a row is selected. */
  private windowEnd = 0;
  /** One past the newest row shown while paused (and following). */
  private pausedEnd: number | null = null;
  /** Messages not buffered because the display was held (paused or scrolled) and the ring was full. */
  heldDropped = 0;
  /** Oldest row on screen at the last snapshot: a held display keeps it from being evicted. */
  private visibleTop = 0;
  /** Content rows the pane has on screen; set by the layout. */
  rows = 10;

  constructor(config: PaneConfig) {
    this.subject = config.subject;
    this.shownSubject = sanitizeText(config.subject);
    this.eventType = config.eventType;
    this.isStats = config.eventType === "stats";
    const capacity = config.capacity ?? DEFAULT_PANE_CAPACITY;
    this.lines = new PayloadRing(capacity, config.arenaBytes ?? capacity * ARENA_BYTES_PER_PAYLOAD);
    this.flags = new Uint8Array(capacity);
    this.stats = this.isStats ? new StatsDashboard() : undefined;
  }

  get filter(): PaneFilter | undefined {
    return this.paneFilter;
  }

  /** Paused or scrolled: what is on screen stays, new messages queue behind it. */
  get held(): boolean {
    return this.pausedEnd !== null || this.selected !== null;
  }

  get paused(): boolean {
    return this.pausedEnd !== null;
  }

  /** Messages that arrived behind a held display: "+N new" in the title. */
  get newWhileHeld(): number {
    if (!this.held) return 0;
    return this.lines.endIndex - this.viewEnd() + this.heldDropped;
  }

  /**
   * One message: counted, decoded once for top-N, stats and the filter, and its bytes kept. A backfilled one
   * (`storedAtMs`: when the stream stored it) counts in the totals but not in the rate, and its stats are as old as
   * they are ("last stats 10m ago", not "1s ago").
   */
  receive(payload: Uint8Array, nowMs: number, storedAtMs?: number): void {
    const decoded = decodeEvent(payload);
    this.total++;
    if (storedAtMs === undefined) this.rate.add(1, nowMs);
    if (decoded.ok) {
      for (const { key, weight } of topKeysOf(decoded.event)) this.top.add(key, weight);
      if (this.stats !== undefined && decoded.event.event_type === "stats") this.stats.update(decoded.event, storedAtMs ?? nowMs);
    } else {
      this.invalid++;
    }
    // A held display keeps its rows: once the ring would evict them, further messages are counted, not kept.
    if (this.held && this.lines.endIndex - Math.max(this.visibleTop, this.lines.firstIndex) >= this.lines.capacity) {
      this.heldDropped++;
      return;
    }
    const index = this.lines.push(this.keepable(payload, decoded));
    this.flags[index % this.lines.capacity] =
      this.paneFilter === undefined ? UNKNOWN : this.evaluate(decoded) ? MATCH : NO_MATCH;
  }

  /**
   * The bytes to keep: the payload itself, or for an event too large for the ring a bounded digest of it (a cut
   * payload would no longer parse and would show as "not JSON").
   */
  private keepable(payload: Uint8Array, decoded: DecodedMessage): Uint8Array {
    if (payload.length <= this.lines.maxPayloadBytes || !decoded.ok) return payload;
    return digestEncoder.encode(toSafeJson(digestEvent(decoded.event, payload.length)));
  }

  private evaluate(decoded: DecodedMessage): boolean {
    const filter = this.paneFilter!;
    const event = decoded.ok ? decoded.event : null;
    // A JMESPath filter never looks at the line; formatting it would be wasted at tens of thousands a second.
    return filter.matchesLine(event, filter.kind === "jmespath" ? "" : plainLine(decoded));
  }

  /** Does the message at this absolute index pass the pane's filter? Evaluated on first need, then remembered. */
  matchesAt(index: number): boolean {
    if (this.paneFilter === undefined) return true;
    const slot = index % this.lines.capacity;
    const flag = this.flags[slot];
    if (flag !== UNKNOWN) return flag === MATCH;
    const bytes = this.lines.get(index);
    if (bytes === undefined) return false;
    const ok = this.evaluate(decodeEvent(bytes));
    this.flags[slot] = ok ? MATCH : NO_MATCH;
    return ok;
  }

  /** Sets (or with "" clears) the filter; returns it so the caller can show a parse problem. */
  setFilter(text: string): PaneFilter | undefined {
    const filter = compilePaneFilter(text);
    this.paneFilter = filter.kind === "all" ? undefined : filter;
    this.flags.fill(UNKNOWN);
    this.selected = null;
    return this.paneFilter;
  }

  private viewEnd(): number {
    if (this.selected !== null) return this.windowEnd;
    return this.pausedEnd ?? this.lines.endIndex;
  }

  private previousMatch(index: number): number | undefined {
    for (let i = index - 1; i >= this.lines.firstIndex; i--) if (this.matchesAt(i)) return i;
    return undefined;
  }

  private nextMatch(index: number, end = this.lines.endIndex): number | undefined {
    for (let i = Math.max(index + 1, this.lines.firstIndex); i < end; i++) if (this.matchesAt(i)) return i;
    return undefined;
  }

  /** Absolute indices of the rows on screen, oldest first (at most `rows`). */
  visibleIndices(rows = this.rows): number[] {
    if (this.selected !== null && !this.lines.has(this.selected)) {
      // The selected message was evicted (live data kept flowing): hold on to the oldest one left.
      const first = this.nextMatch(this.lines.firstIndex - 1);
      if (first === undefined) this.selected = null;
      else this.select(first);
    }
    const out: number[] = [];
    for (let i = this.viewEnd() - 1; i >= this.lines.firstIndex && out.length < rows; i--) {
      if (this.matchesAt(i)) out.push(i);
    }
    out.reverse();
    this.visibleTop = out.length > 0 ? out[0]! : this.viewEnd();
    return out;
  }

  /** The message Enter opens: the selected one, else the newest on screen. */
  currentIndex(): number | undefined {
    if (this.selected !== null && this.lines.has(this.selected)) return this.selected;
    return this.previousMatch(this.viewEnd());
  }

  private select(index: number): void {
    this.selected = index;
    if (index >= this.windowEnd) {
      this.windowEnd = index + 1;
      return;
    }
    // Scrolled above the window: the selected row becomes the top row.
    let shown = 0;
    let last = index;
    for (let i = index; i < this.windowEnd && shown < this.rows; i++) {
      if (this.matchesAt(i)) {
        shown++;
        last = i;
      }
    }
    if (shown >= this.rows) this.windowEnd = last + 1;
  }

  /** k / PgUp: the first step selects the bottom row, later ones move up through matching messages. */
  scrollUp(steps: number): void {
    let current: number | undefined = this.selected ?? undefined;
    if (current === undefined) {
      current = this.previousMatch(this.viewEnd());
      if (current === undefined) return;
      this.windowEnd = this.viewEnd();
      steps--;
    }
    for (; steps > 0; steps--) {
      const prev = this.previousMatch(current);
      if (prev === undefined) break;
      current = prev;
    }
    this.select(current);
  }

  /** j / PgDn: moves the selection down, into messages that arrived while held too. */
  scrollDown(steps: number): void {
    if (this.selected === null) return;
    let current = this.selected;
    for (; steps > 0; steps--) {
      const next = this.nextMatch(current);
      if (next === undefined) break;
      current = next;
    }
    this.select(current);
  }

  /** g: the oldest message kept. */
  scrollToOldest(): void {
    const first = this.nextMatch(this.lines.firstIndex - 1);
    if (first === undefined) return;
    // From the newest end, so select() makes the oldest message the top row with later ones below it.
    this.windowEnd = this.lines.endIndex;
    this.select(first);
  }

  /** G: follow the newest again; while paused, the newest buffered message becomes the frozen end. */
  scrollToNewest(): void {
    this.selected = null;
    if (this.pausedEnd !== null) this.pausedEnd = this.lines.endIndex;
    else this.heldDropped = 0;
  }

  pause(): void {
    if (this.pausedEnd === null) this.pausedEnd = this.selected !== null ? this.windowEnd : this.lines.endIndex;
  }

  resume(): void {
    this.pausedEnd = null;
    if (this.selected === null) this.heldDropped = 0;
  }

  /** c: forgets lines, top-N and dashboard; the total keeps counting everything received. */
  clear(): void {
    this.lines.clear();
    this.top.clear();
    this.stats?.clear();
    this.selected = null;
    this.heldDropped = 0;
    if (this.pausedEnd !== null) this.pausedEnd = this.lines.endIndex;
  }
}
