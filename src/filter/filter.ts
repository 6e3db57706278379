// Filters (--filter) and projections (--select): compiled once at start, evaluated per message on the hot path.
// A per-event evaluation error never escapes: it counts, and callers report it once.

import type { JSONValue } from "@jmespath-community/jmespath";
import { compileExpression, type ExpressionNode } from "./compile.js";
import { interpreter } from "./runtime.js";

/** Evaluation failures seen so far, so a caller can print "N events failed the filter: <reason>" once. */
export interface EvaluationErrors {
  /** How many events failed to evaluate. */
  readonly errorCount: number;
  /** The message of the most recent failure, undefined while errorCount is 0. */
  readonly lastError: string | undefined;
}

export interface EventFilter extends EvaluationErrors {
  /** The expression as the user wrote it. */
  readonly expression: string;
  /** JMESPath truthiness: false, null, "", [] and {} do not match; evaluation errors do not match either. */
  matches(event: unknown): boolean;
}

export interface EventProjection extends EvaluationErrors {
  readonly expression: string;
  /** The projected value; null for missing fields and for evaluation errors. */
  project(event: unknown): unknown;
}

/** JMESPath truthiness: false, null (and undefined), "", [] and {} are false; everything else, 0 included, is true. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return false;
  if (typeof value !== "object") return true;
  if (Array.isArray(value)) return value.length > 0;
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return true;
  return false;
}

/** Error counting shared by filters and projections. */
class Evaluation implements EvaluationErrors {
  errorCount = 0;
  lastError: string | undefined = undefined;

  constructor(
    readonly expression: string,
    private readonly ast: ExpressionNode,
  ) {}

  protected evaluate(event: unknown): JSONValue {
    try {
      return interpreter.search(this.ast, event as JSONValue);
    } catch (err) {
      this.errorCount++;
      this.lastError = err instanceof Error ? err.message : String(err);
      return null;
    }
  }
}

class CompiledFilter extends Evaluation implements EventFilter {
  matches(event: unknown): boolean {
    return isTruthy(this.evaluate(event));
  }
}

class CompiledProjection extends Evaluation implements EventProjection {
  project(event: unknown): unknown {
    return this.evaluate(event);
  }
}

/**
 * Compiles a --filter expression; throws UsageError (with the column) when it does not parse or, unless `unsafe`,
 * when it cannot mean what was typed (`=` for `==`, a bare word for text, a value instead of a condition).
 */
export function compileFilter(expression: string, flag = "--filter", unsafe = false): EventFilter {
  return new CompiledFilter(expression, compileExpression(expression, flag, unsafe ? "expression" : "condition"));
}

/** Compiles a --select expression; throws UsageError (with the column) when it does not parse. */
export function compileProjection(expression: string, flag = "--select"): EventProjection {
  return new CompiledProjection(expression, compileExpression(expression, flag));
}

/** "3 events failed the filter 'x': <reason>", or undefined when nothing failed. */
export function describeEvaluationErrors(what: string, source: EventFilter | EventProjection): string | undefined {
  if (source.errorCount === 0) return undefined;
  const events = source.errorCount === 1 ? "1 event" : `${source.errorCount} events`;
  return `${events} failed ${what} '${source.expression}': ${source.lastError ?? "unknown error"}`;
}
