// Stream and consumer names as nats-server and natscli allow them (and stricter where a name could rewrite a
// terminal): checked once, here, for every command that takes one.
import { UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";

/**
 * Stream and consumer names as nats-server and natscli allow them: no whitespace, `.`, `*`, `>`, path separators,
 * and (stricter than the server, which takes them) no control, bidi or invisible characters, which would make the
 * name rewrite the terminal of whoever lists it. The rejected name is shown escaped.
 */
export function checkApiName(name: string, what: string): string {
  if (name === "" || /[\s.*>/\\]/u.test(name) || !isSafeText(name) || name.length > 255) {
    throw new UsageError(
      `invalid ${what} '${sanitizeText(name)}': use letters, digits, - and _, at most 255 characters ` +
        "(no whitespace, dots, *, >, slashes, control or invisible characters)",
    );
  }
  return name;
}

export function checkStreamName(name: string): string {
  return checkApiName(name, "stream name");
}


export function checkConsumerName(name: string): string {
  return checkApiName(name, "consumer name");
}
