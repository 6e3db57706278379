// Filters that parse but cannot mean what was typed. JMESPath accepts `dns.type = 'query'` (a binding: every event
// matches), `dns.type == query` (a field named "query": null == null matches every non-DNS event) and `dns.rrname`
// (a value, not a condition). Each is found here with its column and the likely fix, before the first event.

import { tokenize } from "@jmespath-community/jmespath";
import { EVE_FIELD_NAMES, EVE_TOP_LEVEL_FIELDS, WORD_VALUED_FIELDS } from "../eve/fields.js";
import type { AstNode } from "./ast.js";

/** A problem with a 0-based offset into the expression. */
export interface FilterTypo {
  reason: string;
  offset: number;
}

interface Token {
  type: string;
  value: unknown;
  start: number;
}

const COMPARATORS = new Set(["EQ", "NE", "LT", "LTE", "GT", "GTE"]);
const IDENTIFIERS = new Set(["UnquotedIdentifier", "QuotedIdentifier"]);
// What may follow the last name of a path (a call, an index, a sub-field or a filter makes it no bare word).
const PATH_CONTINUES = new Set(["Dot", "Lbracket", "Filter", "Lparen", "Flatten", "Star"]);
const BOOLEAN_FUNCTIONS = new Set(["contains", "starts_with", "ends_with", "cidr_match", "regex_match"]);

function tokensOf(expression: string): Token[] | null {
  try {
    return tokenize(expression) as Token[];
  } catch {
    return null; // the parser reports lexer errors with their column
  }
}

/**
 * A quote never closed: the library takes `dns.rrname == 'evil.com` (a quote lost to the shell) as if it were
 * closed, and `2 without its closing backtick too. A syntax error, refused whatever --filter-unsafe says.
 */
export function findUnclosedQuote(expression: string): FilterTypo | null {
  let open: string | undefined;
  let at = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (open !== undefined) {
      if (c === "\\") i++; // an escaped quote or backslash
      else if (c === open) open = undefined;
    } else if (c === "'" || c === "`" || c === '"') {
      open = c;
      at = i;
    }
  }
  return open === undefined ? null : { reason: `the ${open} here is never closed`, offset: at };
}

/** `=` for `==` and bare numbers: checked before parsing, since they may also make the parse fail less clearly. */
export function findOperatorTypos(expression: string): FilterTypo | null {
  const tokens = tokensOf(expression) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    if (token.type === "Assign" && previous?.type !== "Variable") {
      return { reason: "'=' is not a comparison (it binds a variable): write '==' to compare", offset: token.start };
    }
    if (token.type === "Number" && previous !== undefined && COMPARATORS.has(previous.type)) {
      return { reason: `a number is written in backticks: \`${String(token.value)}\``, offset: token.start };
    }
  }
  return null;
}

/** Bare words compared as if they were text (`dns.type == query`); checked once the expression parses. */
export function findBareWordTypos(expression: string): FilterTypo | null {
  const tokens = tokensOf(expression) ?? [];
  // Inside `[? ...]` or after `&` the current value is a nested object: any EVE field name may be meant there.
  const scopes: boolean[] = [];
  let exprefDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (token.type === "Filter") scopes.push(true);
    else if (token.type === "Lbracket") scopes.push(false);
    else if (token.type === "Rbracket") scopes.pop();
    else if (token.type === "Expref") exprefDepth++;
    if (!IDENTIFIERS.has(token.type)) continue;
    const leftOperand = next !== undefined && COMPARATORS.has(next.type) && previous?.type !== "Dot";
    const rightOperand = previous !== undefined && COMPARATORS.has(previous.type) && !(next !== undefined && PATH_CONTINUES.has(next.type));
    if (!leftOperand && !rightOperand) continue;
    const word = String(token.value);
    // `x != null` compares with a field named null, which no event has: it works as meant, and everyone writes it.
    if (word === "null" && token.type === "UnquotedIdentifier") continue;
    if ((word === "true" || word === "false") && token.type === "UnquotedIdentifier") {
      return { reason: `${word} unquoted is a field name: write \`${word}\` for the JSON value`, offset: token.start };
    }
    const nested = scopes.includes(true) || exprefDepth > 0;
    const otherField = leftOperand ? lastNameOfPathAfter(tokens, i + 2) : lastNameOfPathBefore(tokens, i - 2);
    const known = (nested ? EVE_FIELD_NAMES : EVE_TOP_LEVEL_FIELDS).has(word);
    const comparedWithWords = otherField !== undefined && WORD_VALUED_FIELDS.has(otherField);
    if (known && !comparedWithWords) continue;
    const quoted = `'${word.replace(/'/g, "\\'")}'`;
    const why = token.type === "QuotedIdentifier"
      ? `"${word}" in double quotes is a field name, and no EVE event has that field`
      : known
        ? `${word} unquoted is the field '${word}', not the text`
        : `${word} unquoted is a field name, and no EVE event has that field`;
    return { reason: `${why}: write ${quoted} to compare with text`, offset: token.start };
  }
  return null;
}

/** The last name of the path starting at tokens[at] (`dns.type` gives "type"), if it is a plain path. */
function lastNameOfPathAfter(tokens: Token[], at: number): string | undefined {
  let name: string | undefined;
  for (let i = at; i < tokens.length; i += 2) {
    if (!IDENTIFIERS.has(tokens[i]!.type)) return undefined;
    name = String(tokens[i]!.value);
    if (tokens[i + 1]?.type !== "Dot") return tokens[i + 1] !== undefined && PATH_CONTINUES.has(tokens[i + 1]!.type) ? undefined : name;
  }
  return name;
}

/** The last name of the path ending at tokens[at] (`dns.type ==` gives "type"). */
function lastNameOfPathBefore(tokens: Token[], at: number): string | undefined {
  const token = tokens[at];
  return token !== undefined && IDENTIFIERS.has(token.type) ? String(token.value) : undefined;
}

/** Does this expression certainly give true or false? Unknown shapes count as not boolean. */
function givesBoolean(node: AstNode | undefined): boolean {
  if (node === undefined) return false;
  switch (node.type) {
    case "Comparator":
    case "NotExpression":
      return true;
    case "Literal":
      return typeof node.value === "boolean";
    case "AndExpression":
    case "OrExpression":
      return givesBoolean(node.left) && givesBoolean(node.right);
    case "Function":
      return BOOLEAN_FUNCTIONS.has(node.name ?? "");
    case "Pipe":
      return givesBoolean(node.right);
    case "LetExpression":
      return givesBoolean(node.expression);
    case "Ternary":
      return givesBoolean(node.trueExpr) && givesBoolean(node.falseExpr);
    default:
      return false;
  }
}

/** `dns.rrname` for a plain path, undefined for anything else. */
function pathText(node: AstNode | undefined): string | undefined {
  if (node?.type === "Field") return node.name;
  if (node?.type === "Subexpression") {
    const left = pathText(node.left);
    const right = pathText(node.right);
    return left !== undefined && right !== undefined ? `${left}.${right}` : undefined;
  }
  return undefined;
}

/** The first part of an && / || chain (or the node itself) that is not a condition. */
function firstValuePart(node: AstNode): AstNode {
  if (node.type === "AndExpression" || node.type === "OrExpression") {
    if (!givesBoolean(node.left)) return firstValuePart(node.left!);
    return firstValuePart(node.right!);
  }
  return node;
}

/** A filter whose result is a value, not a condition: it would keep every event where the value is non-empty. */
export function findNonBooleanFilter(ast: unknown): FilterTypo | null {
  const root = ast as AstNode;
  if (givesBoolean(root)) return null;
  const part = firstValuePart(root);
  const what = part === root ? "the filter" : "each side of && and ||";
  const path = pathText(part);
  if (path !== undefined) {
    return { reason: `${what} must be a condition, and ${path} is a value: write '${path} != null' to keep events that have it`, offset: 0 };
  }
  if (part.type === "FilterProjection" || part.type === "Projection" || part.type === "Flatten") {
    return { reason: `${what} must be a condition, and this part gives a list: wrap it as 'length(...) > \`0\`' to keep events where it is not empty`, offset: 0 };
  }
  return { reason: `${what} must be a condition: compare the value (==, !=, <, >) or use contains(), starts_with(), cidr_match()`, offset: 0 };
}
