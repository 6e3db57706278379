// The TUI's filter box: whatever the user types becomes a filter, never an error. Text that reads like a
// JMESPath expression is one; anything else is a case-insensitive search of the line as displayed.

import { errorMessage } from "../errors.js";
import { FilterTypoError } from "./compile.js";
import { compileFilter, type EventFilter } from "./filter.js";

/**
 * - "all": empty text, everything matches.
 * - "jmespath": an expression evaluated against the event.
 * - "text": a case-insensitive substring of the displayed line.
 * - "path-or-text": a bare dotted name such as `google.com` or `tls.sni`; it is both a valid path and
 *   the thing people type to find a domain, so an event matches when the path is truthy or the line contains it.
 */
export type PaneFilterKind = "all" | "jmespath" | "text" | "path-or-text";

export interface PaneFilter {
  readonly kind: PaneFilterKind;
  /** The text as typed. */
  readonly text: string;
  /** Why text that looked like an expression is searched as plain text instead (to show under the box). */
  readonly parseError: string | undefined;
  /** Evaluation failures of the JMESPath part (0 for plain text). */
  readonly errorCount: number;
  readonly lastError: string | undefined;
  /** Does this event, displayed as `line` (plain text, no colour codes), pass? */
  matchesLine(event: unknown, line: string): boolean;
}

// Characters that only make sense in an expression; a backtick opens a JSON literal.
const EXPRESSION_MARKERS = ["==", "!=", "<", ">", "&&", "||", "(", "[", "`"];
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

/** Does `text` look like it was meant as an expression rather than words to search for? */
export function looksLikeExpression(text: string): boolean {
  return text.includes(".") || EXPRESSION_MARKERS.some((marker) => text.includes(marker));
}

class AllPaneFilter implements PaneFilter {
  readonly kind = "all";
  readonly parseError = undefined;
  readonly errorCount = 0;
  readonly lastError = undefined;
  constructor(readonly text: string) {}
  matchesLine(): boolean {
    return true;
  }
}

class TextPaneFilter implements PaneFilter {
  readonly kind = "text";
  readonly errorCount = 0;
  readonly lastError = undefined;
  private readonly needle: string;
  constructor(
    readonly text: string,
    readonly parseError: string | undefined,
  ) {
    this.needle = text.toLowerCase();
  }
  matchesLine(_event: unknown, line: string): boolean {
    return line.toLowerCase().includes(this.needle);
  }
}

class ExpressionPaneFilter implements PaneFilter {
  readonly parseError = undefined;
  private readonly needle: string;
  constructor(
    readonly kind: "jmespath" | "path-or-text",
    readonly text: string,
    private readonly filter: EventFilter,
  ) {
    this.needle = text.trim().toLowerCase();
  }
  get errorCount(): number {
    return this.filter.errorCount;
  }
  get lastError(): string | undefined {
    return this.filter.lastError;
  }
  matchesLine(event: unknown, line: string): boolean {
    if (this.filter.matches(event)) return true;
    return this.kind === "path-or-text" && line.toLowerCase().includes(this.needle);
  }
}

/** Turns the filter box's text into a filter; never throws. */
export function compilePaneFilter(text: string): PaneFilter {
  const trimmed = text.trim();
  if (trimmed === "") return new AllPaneFilter(text);
  if (!looksLikeExpression(trimmed)) return new TextPaneFilter(trimmed, undefined);
  const pathOrText = DOTTED_NAME.test(trimmed);
  let filter: EventFilter;
  try {
    // A bare dotted name is meant as "has this field, or shows this text"; anything else must be a condition.
    filter = compileFilter(trimmed, "filter", pathOrText);
  } catch (err) {
    // Only worth mentioning when the text had expression syntax beyond a dot (a URL or a sentence is just text).
    const meantAsExpression = err instanceof FilterTypoError || EXPRESSION_MARKERS.some((marker) => trimmed.includes(marker));
    return new TextPaneFilter(trimmed, meantAsExpression ? errorMessage(err) : undefined);
  }
  return new ExpressionPaneFilter(pathOrText ? "path-or-text" : "jmespath", trimmed, filter);
}
