// EVE event types and NATS subjects: `dns` is published as `<prefix>.dns`, and a pane for `suricata.dns` shows dns.
// Pure and light (no NATS client): commands check their arguments with it before anything is loaded.
import { UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";

const SUBJECT_TOKEN = /^[^\s.*>]+$|^\*$|^>$/;

/** `dns` → `suricata.dns`; a word with a dot is a full subject; no words → `suricata.>`. */
export function subjectsFor(words: readonly string[], prefix: string): string[] {
  if (prefix === "" || /\s/.test(prefix) || prefix.startsWith(".") || prefix.endsWith(".")) {
    throw new UsageError(`invalid --prefix '${prefix}': give a subject prefix such as 'suricata'`);
  }
  if (words.length === 0) return [`${prefix}.>`];
  return words.map((word) => {
    const subject = word.includes(".") ? word : `${prefix}.${word}`;
    const tokens = subject.split(".");
    const bad = tokens.findIndex((t, i) => !SUBJECT_TOKEN.test(t) || (t === ">" && i !== tokens.length - 1));
    if (bad !== -1) {
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

/** `suricata.dns` → dns; a wildcard's last token says nothing about the events, so it is "events". */
export function eventTypeOfSubject(subject: string): string {
  const last = subject.split(".").pop() ?? "";
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


/** NATS subjects: dot-separated tokens, no spaces, wildcards `*` and a final `>`. */
export function checkSubject(subject: string, flag: string): string {
  const tokens = subject.split(".");
  const bad =
    subject === "" ||
    /\s/u.test(subject) ||
    !isSafeText(subject) ||
    tokens.some((t, i) => t === "" || (t.includes(">") && (t !== ">" || i !== tokens.length - 1)) || (t.includes("*") && t !== "*"));
  if (bad) throw new UsageError(`invalid ${flag} '${sanitizeText(subject)}': use a NATS subject such as suricata.> or suricata.dns`);
  return subject;
}
