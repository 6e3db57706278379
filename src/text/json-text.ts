// JSON written from the text it arrived as, not from the parsed value: numbers stay exactly as the sender wrote
// them (Suricata's 64-bit flow_id is beyond a double's 2^53, 1e400 is no double at all), and key order and
// duplicate keys are kept. Only whitespace outside strings changes, and the characters a terminal would act on are
// escaped inside strings. The input must already have parsed as JSON. No recursion: any nesting depth works.
import { escapeJsonUnsafe, sanitizeText } from "./sanitize.js";

const QUOTE = 34;
const BACKSLASH = 92;

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Compact JSON text: `raw` without whitespace between tokens, terminal-unsafe characters as `\u` escapes. */
export function compactJsonText(raw: string): string {
  let out = "";
  let start = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (isJsonSpace(c)) {
      out += raw.slice(start, i);
      start = i + 1;
    }
  }
  // Suricata writes compact JSON: then the text is returned as it is.
  return escapeJsonUnsafe(start === 0 ? raw : out + raw.slice(start));
}

/** The tokens of valid JSON text: strings and literals as written, punctuation as one character. */
function* tokens(raw: string): Generator<string> {
  let i = 0;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (isJsonSpace(c)) {
      i++;
    } else if (c === QUOTE) {
      let j = i + 1;
      while (j < raw.length) {
        const d = raw.charCodeAt(j);
        if (d === BACKSLASH) j += 2;
        else if (d === QUOTE) break;
        else j++;
      }
      yield raw.slice(i, j + 1);
      i = j + 1;
    } else if ("{}[]:,".includes(raw[i]!)) {
      yield raw[i]!;
      i++;
    } else {
      let j = i + 1;
      while (j < raw.length && !isJsonSpace(raw.charCodeAt(j)) && !"{}[]:,".includes(raw[j]!)) j++;
      yield raw.slice(i, j);
      i = j;
    }
  }
}

/**
 * Levels of nesting that indent further. Deeper levels stay at this indentation: a payload nested thousands deep
 * (any publisher can send one) would otherwise make lines of thousands of spaces each, megabytes in all, and the
 * view that wraps them to the screen would take minutes and a gigabyte.
 */
export const MAX_INDENT_LEVELS = 16;

/** Indented JSON text as lines, each safe to print (for the TUI's event view): numbers as written. */
export function prettyJsonTextLines(raw: string, indent = 2): string[] {
  const lines: string[] = [];
  let line = "";
  let depth = 0;
  const pad = (n: number) => " ".repeat(Math.min(n, MAX_INDENT_LEVELS) * indent);
  const iterator = tokens(raw);
  let next = iterator.next();
  while (!next.done) {
    const token = next.value;
    next = iterator.next();
    if (token === "{" || token === "[") {
      const close = token === "{" ? "}" : "]";
      if (!next.done && next.value === close) {
        line += token + close;
        next = iterator.next();
      } else {
        line += token;
        lines.push(line);
        depth++;
        line = pad(depth);
      }
    } else if (token === "}" || token === "]") {
      lines.push(line);
      depth--;
      line = pad(depth) + token;
    } else if (token === ",") {
      lines.push(line + ",");
      line = pad(depth);
    } else if (token === ":") {
      line += ": ";
    } else {
      line += token;
    }
  }
  lines.push(line);
  return lines.map(sanitizeText);
}
