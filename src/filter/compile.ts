// Parses a JMESPath expression once and turns the library's position-less syntax errors into one-line
// UsageErrors with a 1-based column, and catches unknown functions, wrong argument counts and bad literal
// CIDRs/patterns before the first event instead of on every event.

import { compile, tokenize, type JSONValue } from "@jmespath-community/jmespath";
import { UsageError } from "../errors.js";
import { cidrFromArgument, functionSignature, regexFromArgument } from "./runtime.js";
import { findBareWordTypos, findNonBooleanFilter, findOperatorTypos, findUnclosedQuote } from "./typos.js";

/** A parsed expression tree as the library returns it. */
export type ExpressionNode = ReturnType<typeof compile>;

interface Token {
  type: string;
  value: unknown;
  start: number;
}

interface Located {
  reason: string;
  /** 0-based offset into the expression; expression.length means "at the end". */
  offset: number;
}

const DISPLAY_LIMIT = 80;
// Past this length the quadratic prefix search is not worth it; report the library's message at the end.
const LOCATE_LIMIT = 2000;

/** How strictly a filter is checked: "condition" also refuses what parses but cannot mean what was typed. */
export type ExpressionCheck = "expression" | "condition";

/**
 * Compiles `expression` for the command-line flag `flag`, or throws a UsageError naming flag, reason and column.
 * With check "condition" (filters), `=` for `==`, bare words compared as text and results that are no condition
 * are refused too, with a hint to `--filter-unsafe`.
 */
export function compileExpression(expression: string, flag: string, check: ExpressionCheck = "expression"): ExpressionNode {
  if (expression.trim() === "") throw new UsageError(`empty ${flag} expression: give a JMESPath expression such as "event_type == 'dns'"`);
  const operatorTypo = check === "condition" ? findOperatorTypos(expression) : null;
  if (operatorTypo !== null) throw typoError(flag, expression, operatorTypo);
  let ast: ExpressionNode;
  try {
    ast = compile(expression);
  } catch (err) {
    throw usageError(flag, expression, locateSyntaxError(expression, err));
  }
  // Only what parsed: the library reports the other unclosed quotes itself, in its own words.
  const unclosed = findUnclosedQuote(expression);
  if (unclosed !== null) throw usageError(flag, expression, unclosed);
  const problem = checkFunctions(ast, expression);
  if (problem !== null) throw usageError(flag, expression, problem);
  const typo = check === "condition" ? (findBareWordTypos(expression) ?? findNonBooleanFilter(ast)) : null;
  if (typo !== null) throw typoError(flag, expression, typo);
  return ast;
}

/** A filter that parses but cannot mean what was typed (`=` for `==`, a bare word for text, a value). */
export class FilterTypoError extends UsageError {}

function typoError(flag: string, expression: string, { reason, offset }: Located): FilterTypoError {
  // Only the command line has an escape hatch; the dashboard's filter box shows the problem as it is typed.
  const escape = flag.startsWith("--") ? " (--filter-unsafe runs it as written)" : "";
  return new FilterTypoError(`invalid ${flag} '${displayExpression(expression)}': at column ${offset + 1}, ${reason}${escape}`);
}

function usageError(flag: string, expression: string, { reason, offset }: Located): UsageError {
  return new UsageError(`invalid ${flag} '${displayExpression(expression)}': ${reason} at column ${offset + 1}`);
}

function displayExpression(expression: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = expression.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
  return oneLine.length > DISPLAY_LIMIT ? `${oneLine.slice(0, DISPLAY_LIMIT - 1)}…` : oneLine;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isEndOfInputError(err: unknown): boolean {
  // Running out of tokens shows up as an EOF token in the message, or as a TypeError past the token list.
  return err instanceof TypeError || /\bEOF\b/.test(errorText(err));
}

function compiles(text: string): unknown {
  try {
    compile(text);
    return null;
  } catch (err) {
    return err;
  }
}

function locateSyntaxError(expression: string, err: unknown): Located {
  if (expression.length > LOCATE_LIMIT) return { reason: friendlyReason(errorText(err), null), offset: expression.length };
  let tokens: Token[];
  try {
    tokens = tokenize(expression) as Token[];
  } catch (lexError) {
    return locateLexerError(expression, lexError);
  }
  // The parser reads left to right: the first token whose addition produces an error other than "ran out of
  // input" is where the expression went wrong. If none does, the expression simply ends too early.
  for (let i = 0; i < tokens.length; i++) {
    const end = i + 1 < tokens.length ? tokens[i + 1]!.start : expression.length;
    const prefixError = compiles(expression.slice(0, end));
    if (prefixError !== null && !isEndOfInputError(prefixError)) {
      const token = tokens[i]!;
      const text = expression.slice(token.start, end).trim() || String(token.value);
      return { reason: friendlyReason(errorText(prefixError), text), offset: token.start };
    }
  }
  return { reason: "unexpected end of expression", offset: expression.length };
}

function locateLexerError(expression: string, err: unknown): Located {
  const message = errorText(err);
  // The shortest prefix the lexer rejects ends at the offending character.
  let offset = expression.length;
  for (let end = 1; end <= expression.length; end++) {
    try {
      tokenize(expression.slice(0, end));
    } catch {
      offset = end - 1;
      break;
    }
  }
  const unknownCharacter = /unknown character: (.*)$/.exec(message);
  if (unknownCharacter) return { reason: `unexpected character '${unknownCharacter[1]}'`, offset };
  const opener = expression[offset];
  if (opener === "`") return { reason: "invalid JSON literal between backticks", offset };
  if (opener === '"') return { reason: "unterminated quoted identifier", offset };
  if (opener === "'") return { reason: "unterminated string", offset };
  return { reason: message.replace(/^syntax( error)?:\s*/i, ""), offset };
}

const TOKEN_SPELLING: Record<string, string> = {
  Rbracket: "]",
  Rparen: ")",
  Rbrace: "}",
  Colon: ":",
  Comma: ",",
  Dot: ".",
};

function friendlyReason(message: string, tokenText: string | null): string {
  const expected = /expected (\w+)/.exec(message);
  const expectation = expected && TOKEN_SPELLING[expected[1]!] ? ` (expected '${TOKEN_SPELLING[expected[1]!]}')` : "";
  if (/quoted identifier not allowed for function names/.test(message)) return "a function name cannot be quoted";
  if (tokenText === null) return message.replace(/^syntax( error)?[:,]\s*/i, "");
  return `unexpected '${tokenText}'${expectation}`;
}

interface AnyNode {
  type: string;
  name?: string;
  children?: AnyNode[];
  value?: JSONValue;
  [key: string]: unknown;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

function forEachNode(node: AnyNode, visit: (node: AnyNode) => void): void {
  visit(node);
  if (node.type === "Literal") return;
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) forEachNode(item, visit);
    } else if (isNode(child)) {
      forEachNode(child, visit);
    }
  }
}

/** Offset of the `occurrence`-th call of `name` (0-based) in the source. */
function functionOffset(expression: string, name: string, occurrence: number): number {
  try {
    const tokens = tokenize(expression) as Token[];
    const calls = tokens.filter((t, i) => t.value === name && tokens[i + 1]?.type === "Lparen");
    const call = calls[occurrence] ?? calls[0];
    if (call !== undefined) return call.start;
  } catch {
    // Compiled already, so tokenizing cannot fail; fall back to the start.
  }
  return 0;
}

function literalString(node: AnyNode | undefined): string | undefined {
  return node?.type === "Literal" && typeof node.value === "string" ? node.value : undefined;
}

function checkFunctions(ast: ExpressionNode, expression: string): Located | null {
  let problem: Located | null = null;
  // Calls are visited outer before inner and left before right, which is their order in the source.
  const seen = new Map<string, number>();
  forEachNode(ast as AnyNode, (node) => {
    if (problem !== null || node.type !== "Function") return;
    const name = node.name ?? "";
    const args = node.children ?? [];
    const occurrence = seen.get(name) ?? 0;
    seen.set(name, occurrence + 1);
    const at = (reason: string): Located => ({ reason, offset: functionOffset(expression, name, occurrence) });
    const signature = functionSignature(name);
    if (signature === undefined) {
      problem = at(`unknown function ${name}()`);
      return;
    }
    const required = signature.filter((arg) => arg.optional !== true).length;
    const variadic = signature[signature.length - 1]?.variadic === true;
    if (args.length < required || (!variadic && args.length > signature.length)) {
      const count = variadic ? `at least ${required}` : required === signature.length ? `${required}` : `${required} to ${signature.length}`;
      problem = at(`${name}() takes ${count} argument${signature.length === 1 ? "" : "s"}, got ${args.length}`);
      return;
    }
    try {
      const network = literalString(args[1]);
      if (name === "cidr_match" && network !== undefined) cidrFromArgument(network);
      const pattern = literalString(args[1]);
      if (name === "regex_match" && pattern !== undefined) regexFromArgument(pattern, literalString(args[2]) ?? "");
    } catch (err) {
      problem = at(errorText(err));
    }
  });
  return problem;
}
