import { stringifyJson } from "./json-writer.js";

// Every string in an EVE event can be chosen by whoever sends the traffic (DNS names, SNI, URLs, user agents), so
// nothing from an event reaches a terminal before these functions have made its invisible characters visible.

/**
 * Characters a terminal interprets or hides: C0 controls (incl. tab/newline/ESC), DEL, C1, bidi overrides and
 * isolates, zero-width and other invisible format characters that can make one name look like another, line and
 * paragraph separators, the BOM, Unicode tag characters, and lone surrogates (the `u` flag sees a paired
 * surrogate as one astral code point, so the surrogate class below only matches lone halves).
 */
const UNSAFE_CHARS =
  /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}\uD800-\uDFFF]/u;
const UNSAFE_CHARS_GLOBAL = new RegExp(UNSAFE_CHARS.source, "gu");

/** Same set minus C0, which JSON.stringify already escapes (as do lone surrogates since ES2019). */
const JSON_UNSAFE_GLOBAL =
  /[\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, "0");
}

/** `\xNN` below 0x100, `\uNNNN` above; astral (tag) characters as their two surrogate escapes. */
function escapeVisible(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp > 0xffff) return `\\u${hex(ch.charCodeAt(0), 4)}\\u${hex(ch.charCodeAt(1), 4)}`;
  return `\\u${hex(cp, 4)}`;
}

function escapeJson(ch: string): string {
  if (ch.length === 2) return `\\u${ch.charCodeAt(0).toString(16)}\\u${ch.charCodeAt(1).toString(16)}`;
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * Makes a string safe to print: every control, bidi, invisible or lone-surrogate character becomes a visible
 * `\xNN` / `\uNNNN` escape. A backslash stays as it is (the result is for reading, not for parsing back).
 * Returns the very same string when there is nothing to escape, which is the common case.
 */
export function sanitizeText(s: string): string {
  if (!UNSAFE_CHARS.test(s)) return s;
  return s.replace(UNSAFE_CHARS_GLOBAL, escapeVisible);
}

/** True when the string would print unchanged. */
export function isSafeText(s: string): boolean {
  return !UNSAFE_CHARS.test(s);
}

/**
 * Compact JSON (as JSON.stringify) that is also safe on a terminal: DEL, C1, bidi and invisible format characters
 * are written as `\uXXXX` escapes, so the line parses back to an equal value. Those characters can only occur
 * inside JSON strings, where a `\u` escape means the same character. `undefined` (and functions) give "null".
 */
export function toSafeJson(value: unknown): string {
  const json = stringifyJson(value);
  if (json === undefined) return "null";
  return json.replace(JSON_UNSAFE_GLOBAL, escapeJson);
}

/** JSON text with DEL, C1, bidi and invisible format characters (which can only be inside strings) as `\u` escapes. */
export function escapeJsonUnsafe(json: string): string {
  return json.replace(JSON_UNSAFE_GLOBAL, escapeJson);
}

/** As toSafeJson, indented (for `--json` documents a person may also read). */
export function toSafePrettyJson(value: unknown, indent = 2): string {
  const json = stringifyJson(value, indent);
  if (json === undefined) return "null";
  return json.replace(JSON_UNSAFE_GLOBAL, escapeJson);
}
