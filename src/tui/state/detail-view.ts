// The event view (Enter): one event as pretty, sanitised JSON, wrapped to the screen width, and its scroll keys.
import { decodeEvent } from "../../eve/event.js";
import { sanitizeText, toSafePrettyJsonLines } from "../../text/sanitize.js";
import type { ResolvedKey } from "../keymap.js";
import type { DetailSnapshot } from "./snapshot.js";
import { wrapLines } from "./text.js";

/** Pretty JSON of a payload, each line sanitised; a payload that is not an event is shown escaped as it came. */
export function eventDetailLines(raw: string): string[] {
  const decoded = decodeEvent(raw);
  if (!decoded.ok) return [`(not an event: ${decoded.reason})`, ...raw.split("\n").map(sanitizeText)];
  return toSafePrettyJsonLines(decoded.event);
}

/** What a key did to the view: the store closes it or quits. */
export type DetailOutcome = "close" | "quit" | undefined;

export class DetailView {
  private readonly lines: string[];
  private offset = 0;
  /** `lines` wrapped to `wrapWidth`: redone when the width changes, not on every frame. */
  private wrapped: string[] | undefined;
  private wrapWidth: number | undefined;

  constructor(
    readonly title: string,
    raw: string,
  ) {
    this.lines = eventDetailLines(raw);
  }

  /** `rows` is the terminal's height: a page is what the view shows of it. */
  command(resolved: ResolvedKey, rows: number): DetailOutcome {
    const page = Math.max(1, rows - 4);
    switch (resolved.command) {
      case "quit":
        return "quit";
      case "close":
      case "detail":
      case "clearFilter":
        return "close";
      case "scrollUp":
        this.offset = Math.max(0, this.offset - 1);
        break;
      case "scrollDown":
        this.offset++;
        break;
      case "pageUp":
        this.offset = Math.max(0, this.offset - page);
        break;
      case "pageDown":
        this.offset += page;
        break;
      case "scrollOldest":
        this.offset = 0;
        break;
      case "scrollNewest":
        this.offset = Number.MAX_SAFE_INTEGER;
        break;
      default:
        break;
    }
    return undefined;
  }

  snapshot(columns: number, rows: number): DetailSnapshot {
    // The app draws rows-1 rows; minus the status bar, the border (2) and the title row.
    const visible = Math.max(1, rows - 5);
    const width = Math.max(10, columns - 2);
    if (this.wrapped === undefined || this.wrapWidth !== width) {
      this.wrapped = wrapLines(this.lines, width);
      this.wrapWidth = width;
    }
    const lines = this.wrapped;
    this.offset = Math.min(this.offset, Math.max(0, lines.length - visible));
    return { title: this.title, lines: lines.slice(this.offset, this.offset + visible), offset: this.offset, totalLines: lines.length };
  }
}
