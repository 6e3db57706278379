// Literal prefilter for --filter: most events a filter such as `dns.type == 'query'` rejects do not contain the
// bytes "query" at all, and looking for them costs a fraction of JSON.parse. Sound by construction: it says "cannot
// match" only when a string the filter needs is absent, and payloads with \u escapes always take the full filter.
import { compile } from "@jmespath-community/jmespath";
import type { AstNode } from "./ast.js";

// Characters every JSON encoder writes as themselves (anything else may be escaped, and \u escapes are checked).
const VERBATIM_LITERAL = /^[A-Za-z0-9 ._:@+=,;!?~#%*()[\]{}$^|'-]+$/;

/** A path into the event (a.b, a.b[0]): its value is event data, not computed. */
function isDataPath(node: AstNode | undefined): boolean {
  if (node === undefined) return false;
  switch (node.type) {
    case "Field":
    case "Index":
      return true;
    case "Subexpression":
    case "IndexExpression":
      return isDataPath(node.left) && isDataPath(node.right);
    default:
      return false;
  }
}

function verbatim(node: AstNode | undefined): string | undefined {
  return node?.type === "Literal" && typeof node.value === "string" && VERBATIM_LITERAL.test(node.value) ? node.value : undefined;
}

/**
 * Byte strings a payload must contain for the filter to match, as clauses: every clause needs one of its strings.
 * undefined when the expression's shape promises nothing. Recognised: `path == 'x'` (either order), contains,
 * starts_with and ends_with of a path and a literal, and && / || of those.
 */
export function requiredLiterals(node: AstNode): string[][] | undefined {
  switch (node.type) {
    case "Comparator": {
      if (node.name !== "EQ") return undefined;
      const literal = isDataPath(node.left) ? verbatim(node.right) : isDataPath(node.right) ? verbatim(node.left) : undefined;
      // Not `"x"`: a pattern starting with a quote stops at every quote of the JSON text and is 5x slower to find.
      return literal === undefined ? undefined : [[`${literal}"`]];
    }
    case "Function": {
      const [subject, search] = node.children ?? [];
      const literal = isDataPath(subject) ? verbatim(search) : undefined;
      if (literal === undefined || node.children!.length !== 2) return undefined;
      if (node.name === "contains") return [[literal]];
      if (node.name === "starts_with") return [[literal]];
      if (node.name === "ends_with") return [[`${literal}"`]];
      return undefined;
    }
    case "AndExpression": {
      const left = requiredLiterals(node.left!);
      const right = requiredLiterals(node.right!);
      if (left === undefined) return right;
      if (right === undefined) return left;
      return [...left, ...right];
    }
    case "OrExpression": {
      // Either side's first clause is necessary for that side, so one of the two is necessary for the whole.
      const left = requiredLiterals(node.left!);
      const right = requiredLiterals(node.right!);
      return left === undefined || right === undefined ? undefined : [[...left[0]!, ...right[0]!]];
    }
    default:
      return undefined;
  }
}

/**
 * A quick test on the payload text that says false only when it cannot match; payloads with \u escapes (which could
 * spell a literal differently) always pass to the full filter. Strings, not bytes: V8's one-byte string search is
 * several times faster than Buffer.indexOf on short payloads, and the text is needed for JSON.parse anyway.
 */
export function literalPrefilter(clauses: string[][]): (text: string) => boolean {
  return (text) => {
    if (text.includes("\\u")) return true;
    for (const clause of clauses) {
      let found = false;
      for (const needle of clause) {
        if (text.includes(needle)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  };
}

/** The prefilter for a filter expression (already checked by compileFilter), or undefined when it promises nothing. */
export function literalPrefilterFor(expression: string): ((text: string) => boolean) | undefined {
  const clauses = requiredLiterals(compile(expression) as unknown as AstNode);
  return clauses === undefined ? undefined : literalPrefilter(clauses);
}
