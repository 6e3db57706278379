// What nsm4home counts as a NATS subject, a subject filter (wildcards `*` and a final `>`) and a subject prefix, and
// how a filter matches a subject: every check and match in the tree calls this file, so the rules live in one place.
// Pure and light (no NATS client): commands check their arguments with it before anything is loaded.
import { UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";

/** A token nsm4home publishes under or builds from event data: letters, digits, '-' and '_'. */
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+$/;

/** An event_type longer than this (from event data) is not made a subject token; ingest's prefix keeps to it too. */
export const MAX_EVENT_TYPE_LENGTH = 64;

/** A token with no dots, spaces, wildcards or control characters, at most `maxLength` characters. */
export function isPlainToken(token: string, maxLength = Infinity): boolean {
  return token.length <= maxLength && PLAIN_TOKEN.test(token);
}

/** A prefix nsm4home publishes under: plain tokens joined by dots (`suricata`, `nsm.home`). */
export function isPublishPrefix(prefix: string, maxTokenLength = MAX_EVENT_TYPE_LENGTH): boolean {
  return prefix.split(".").every((t) => isPlainToken(t, maxTokenLength));
}

/** `--prefix` of a command that publishes (ingest, replay, demo); `example` ends the message with "(e.g. ...)". */
export function checkPublishPrefix(prefix: string, rule: { maxTokenLength?: number; example?: string } = {}): string {
  if (!isPublishPrefix(prefix, rule.maxTokenLength)) {
    const example = rule.example === undefined ? "" : ` (e.g. ${rule.example})`;
    throw new UsageError(`invalid --prefix '${prefix}': use subject tokens of letters, digits, '-' or '_' joined by dots${example}`);
  }
  return prefix;
}

/** Dot-separated tokens, none empty, no whitespace; `*` only as a whole token, `>` only as the whole last token. */
export function isSubjectFilter(subject: string): boolean {
  if (/\s/u.test(subject)) return false;
  const tokens = subject.split(".");
  return tokens.every((t, i) => t !== "" && (t === "*" || !t.includes("*")) && (t === ">" ? i === tokens.length - 1 : !t.includes(">")));
}

/** A filter with `*` or `>` in it, which stands for many subjects. */
export function hasWildcard(subject: string): boolean {
  return subject.split(".").some((t) => t === "*" || t === ">");
}

/** One subject, no wildcards: what an API or inbox prefix must be. */
export function isLiteralSubject(subject: string): boolean {
  return isSubjectFilter(subject) && !hasWildcard(subject);
}

/** A prefix `tail` and `tui` put event types under: anything but empty, spaced, or starting or ending with a dot. */
function isReadPrefix(prefix: string): boolean {
  return prefix !== "" && !/\s/.test(prefix) && !prefix.startsWith(".") && !prefix.endsWith(".");
}

/** `dns` → `suricata.dns`; a word with a dot is a full subject; no words → `suricata.>`. */
export function subjectsFor(words: readonly string[], prefix: string): string[] {
  if (!isReadPrefix(prefix)) {
    throw new UsageError(`invalid --prefix '${prefix}': give a subject prefix such as 'suricata'`);
  }
  if (words.length === 0) return [`${prefix}.>`];
  return words.map((word) => {
    const subject = word.includes(".") ? word : `${prefix}.${word}`;
    if (!isSubjectFilter(subject)) {
      throw new UsageError(`invalid subject '${word}': use an event type such as dns, or a subject such as suricata.dns or suricata.>`);
    }
    return subject;
  });
}

/**
 * A note when `--prefix` was given but no word uses it (every word has a dot, so is a full subject already):
 * `tail sensor2.dns --prefix ids` reads sensor2.dns, and saying so beats a prefix silently ignored.
 */
export function unusedPrefixNote(words: readonly string[], prefix: string): string | undefined {
  if (words.length === 0 || !words.every((w) => w.includes("."))) return undefined;
  const example = words[0]!.split(".").pop();
  return `--prefix ${prefix} is not used: ${words.join(", ")} ${words.length === 1 ? "is a full subject" : "are full subjects"} (a word with a dot); for ${prefix}.${example} give the event type alone: ${example} --prefix ${prefix}`;
}

/** `suricata.dns` → dns: the last token names the event type, whatever the prefix (and a hub's sensor token). */
export function lastToken(subject: string): string {
  return subject.slice(subject.lastIndexOf(".") + 1);
}

/** `suricata.dns` → dns; a wildcard's last token says nothing about the events, so it is "events". */
export function eventTypeOfSubject(subject: string): string {
  const last = lastToken(subject);
  return last === "*" || last === ">" || last === "" ? "events" : last;
}

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (pattern === subject) return true;
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== "*" && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Drops subjects another one in the list already covers (`suricata.>` covers `suricata.dns`), and repeats. */
export function dedupeSubjects(subjects: string[]): string[] {
  const unique = [...new Set(subjects)];
  return unique.filter((s) => !unique.some((other) => other !== s && subjectMatches(other, s)));
}


/** A subject or filter from the command line, as `flag` names it; the rejected one is shown escaped. */
export function checkSubject(subject: string, flag: string): string {
  if (!isSubjectFilter(subject) || !isSafeText(subject)) {
    throw new UsageError(`invalid ${flag} '${sanitizeText(subject)}': use a NATS subject such as suricata.> or suricata.dns`);
  }
  return subject;
}
