// A scrollable page of ready-made, sanitised lines over the panes: a flow timeline, a host view, recent alerts.
// Its lines may arrive later (a scan of the stream): until then it says what it is waiting for.
import type { ResolvedKey } from "../keymap.js";
import type { DetailSnapshot } from "./snapshot.js";
import { wrapLines } from "./text.js";

export type TextViewOutcome = "close" | "quit" | undefined;

export class TextView {
  private lines: string[];
  private offset = 0;
  private wrapped: string[] | undefined;
  private wrapWidth: number | undefined;

  constructor(
    public title: string,
    lines: string[],
    /** Called on every snapshot; a new array replaces the lines (the alert list follows new alerts). */
    private readonly refresh?: () => string[] | undefined,
  ) {
    this.lines = lines;
  }

  setLines(lines: string[]): void {
    this.lines = lines;
    this.wrapped = undefined;
  }

  command(resolved: ResolvedKey, rows: number): TextViewOutcome {
    const page = Math.max(1, rows - 4);
    switch (resolved.command) {
      case "quit":
        return "quit";
      case "close":
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
    const fresh = this.refresh?.();
    if (fresh !== undefined) this.setLines(fresh);
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
