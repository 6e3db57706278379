// One status line that rewrites itself on a terminal (\r, then erase to the end of the line), a few times a
// second at most; on a pipe or a file it writes nothing, so logs hold only the lines a command prints itself.
import { sanitizeText } from "../text/sanitize.js";

export interface ProgressLine {
  /** Shows `text` (throttled; `force` shows it now). */
  update(text: string, force?: boolean): void;
  /** Erases the line, so what comes next starts on a clean one. */
  clear(): void;
}

interface LineStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function progressLine(stream: LineStream, opts: { enabled?: boolean; intervalMs?: number; now?: () => number } = {}): ProgressLine {
  const live = opts.enabled !== false && stream.isTTY === true;
  const interval = opts.intervalMs ?? 100;
  const now = opts.now ?? Date.now;
  let shownAt = -Infinity;
  let showing = false;
  return {
    update(text, force = false) {
      if (!live) return;
      const t = now();
      if (!force && t - shownAt < interval) return;
      shownAt = t;
      // One column less than the terminal: a line that fills it wraps on some terminals, and \r then misses.
      const width = Math.max(10, (stream.columns || 80) - 1);
      const line = sanitizeText(text);
      stream.write(`\r${line.length > width ? line.slice(0, width - 1) + "…" : line}\x1b[K`);
      showing = true;
    },
    clear() {
      if (!showing) return;
      stream.write("\r\x1b[K");
      showing = false;
    },
  };
}
