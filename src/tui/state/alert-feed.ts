// Alerts are never missed: every alert the dashboard sees (its own live subscription, whatever the panes show) is
// counted, the newest is named in the status bar, and the last few hundred are kept for the `a` list.
import { decodeEvent } from "../../eve/event.js";
import { formatEvent, type TimestampMode } from "../../eve/format.js";
import { asNumber, asRawString, clip, path } from "../../eve/types.js";
import { sanitizeText } from "../../text/sanitize.js";

/** Alerts kept for the list (newest first); older ones still count. */
export const RECENT_ALERTS = 500;
/** Longest payload kept for the list: a hostile alert cannot make the list hold megabytes. */
const MAX_KEPT_BYTES = 64 * 1024;

export interface NewestAlert {
  severity?: number;
  /** Sanitised, cut. */
  signature: string;
}

export class AlertFeed {
  /** `tui --since 1h`: the alerts of that hour are counted too. */
  constructor(public backfill?: string) {}

  count = 0;
  newest: NewestAlert | undefined;
  /** Bumped on every alert, so a list on screen knows when to redraw. */
  version = 0;
  private readonly recent: string[] = [];

  receive(payload: Uint8Array): void {
    this.count++;
    this.version++;
    const decoded = decodeEvent(payload);
    if (!decoded.ok) {
      this.newest = { signature: "(not an event)" };
      return;
    }
    const signature = asRawString(path(decoded.event, "alert", "signature"));
    const severity = asNumber(path(decoded.event, "alert", "severity"));
    this.newest = {
      signature: sanitizeText(clip(signature ?? "(no signature)", 80)),
      ...(severity !== undefined ? { severity } : {}),
    };
    if (decoded.raw.length <= MAX_KEPT_BYTES) {
      this.recent.push(decoded.raw);
      if (this.recent.length > RECENT_ALERTS) this.recent.shift();
    }
  }

  /** What the count covers: "since start", or "with --since 1h" when the alerts were backfilled like the panes. */
  get counted(): string {
    return this.backfill === undefined ? "since start" : `with ${this.backfill}`;
  }

  /** The kept alerts, newest first, one formatted line each (plain text: the list wraps them itself). */
  lines(timestamps: TimestampMode): string[] {
    if (this.recent.length === 0) {
      return [this.backfill === undefined ? "no alert since the dashboard started" : `no alert in the backfill (${this.backfill}) or since`];
    }
    const out: string[] = [];
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const decoded = decodeEvent(this.recent[i]!);
      if (decoded.ok) out.push(formatEvent(decoded.event, { color: false, timestamps }));
    }
    return out;
  }
}
