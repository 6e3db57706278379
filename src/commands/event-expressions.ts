// --filter, --select and their companions, the same in every command that shows events (tail, stream view):
// the options, their checks, and the compiled expressions with the filter's quick literal test.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { EventFilter, EventProjection } from "../filter/index.js";

export interface EventExpressionFlags {
  filter?: string;
  filterUnsafe?: boolean;
  select?: string;
  bare?: boolean;
}

export interface EventExpressions {
  filter?: EventFilter;
  /** A quick test on the payload text that rules out most events the filter would reject (before JSON.parse). */
  mayMatch?: (text: string) => boolean;
  projection?: EventProjection;
  /** After the run: a line about expressions that failed on some events, for stderr. */
  problems(): string[];
}

export function addEventExpressionOptions(cmd: Command): Command {
  return cmd
    .option("--filter <expr>", "JMESPath condition; only matching events are shown, e.g. \"dns.type == 'query'\"")
    .option("--filter-unsafe", "run --filter as written, without refusing '=', bare words and non-conditions")
    .option("--select <expr>", "JMESPath projection; prints its JSON result per event, e.g. dns.rrname")
    .option("--bare", "with --select: print string results without JSON quotes (escaped)");
}

/** Compiles once; JMESPath and RE2 are large, so they are loaded only when there is an expression. */
export async function compileEventExpressions(flags: EventExpressionFlags): Promise<EventExpressions> {
  if (flags.bare && flags.select === undefined) throw new UsageError("--bare prints --select results that are strings without quotes: give --select too");
  if (flags.filterUnsafe && flags.filter === undefined) throw new UsageError("--filter-unsafe runs --filter as written: give --filter too");
  if (flags.filter === undefined && flags.select === undefined) return { problems: () => [] };
  const filters = await import("../filter/index.js");
  const filter = flags.filter === undefined ? undefined : filters.compileFilter(flags.filter, "--filter", flags.filterUnsafe === true);
  const projection = flags.select === undefined ? undefined : filters.compileProjection(flags.select, "--select");
  const problems = () =>
    (
      [
        ["the filter", filter],
        ["the projection", projection],
      ] as const
    ).flatMap(([what, compiled]) => {
      const problem = compiled === undefined ? undefined : filters.describeEvaluationErrors(what, compiled);
      return problem === undefined ? [] : [problem];
    });
  const mayMatch = flags.filter === undefined ? undefined : filters.literalPrefilterFor(flags.filter);
  return {
    ...(filter !== undefined ? { filter } : {}),
    ...(mayMatch !== undefined ? { mayMatch } : {}),
    ...(projection !== undefined ? { projection } : {}),
    problems,
  };
}
