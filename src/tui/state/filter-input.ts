// The filter box: the text being typed for the focused pane, its keys, and the problem its text has (checked once
// per edit, not on every frame).
import { errorMessage } from "../../errors.js";
import { compilePaneFilter, type PaneFilter } from "../../filter/index.js";
import type { ResolvedKey } from "../keymap.js";
import type { FilterInputSnapshot } from "./snapshot.js";

/** A filter's problem worth showing: text that looked like JMESPath but did not parse, or failed evaluations. */
export function filterProblem(filter: PaneFilter): string | undefined {
  if (filter.parseError !== undefined) {
    // The expression is on screen already (title or input line): keep what is wrong and where.
    const prefix = `invalid filter '${filter.text.trim()}': `;
    const why = filter.parseError.startsWith(prefix) ? filter.parseError.slice(prefix.length) : filter.parseError;
    // A typo check says "at column N, ..." (it parsed, but cannot mean what was typed); a parse error ends with it.
    return why.startsWith("at column") ? `${why} (matching as text)` : `not JMESPath: ${why} (matching as text)`;
  }
  if (filter.errorCount > 0) return `${filter.errorCount} events failed: ${filter.lastError ?? ""}`;
  return undefined;
}

/** The filter the box's text would give, for showing its problem while typing. */
function compilePaneFilterSafe(text: string): PaneFilter {
  try {
    return compilePaneFilter(text);
  } catch (err) {
    return { kind: "text", text, parseError: errorMessage(err), errorCount: 0, lastError: undefined, matchesLine: () => false };
  }
}

/** What a key did to the box: the store applies the text, closes the box or quits. */
export type FilterInputOutcome = "apply" | "cancel" | "quit" | undefined;

export class FilterInput {
  private checkedText: string | undefined;
  private problem: string | undefined;

  constructor(public text: string) {}

  type(text: string): void {
    this.text += text;
  }

  command(resolved: ResolvedKey): FilterInputOutcome {
    switch (resolved.command) {
      case "filterApply":
        return "apply";
      case "filterCancel":
        return "cancel";
      case "quit":
        return "quit";
      case "filterBackspace":
        this.text = [...this.text].slice(0, -1).join("");
        return undefined;
      case "filterErase":
        this.text = "";
        return undefined;
      default:
        return undefined;
    }
  }

  snapshot(paneSubject: string): FilterInputSnapshot {
    if (this.checkedText !== this.text) {
      this.problem = filterProblem(compilePaneFilterSafe(this.text));
      this.checkedText = this.text;
    }
    const snap: FilterInputSnapshot = { paneSubject, text: this.text };
    if (this.problem !== undefined) snap.problem = this.problem;
    return snap;
  }
}
