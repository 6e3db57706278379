// URLs may carry credentials (user:password@, token@). Whatever a user typed, parsable or not, only its masked
// form may reach a message: a misspelt scheme or a bad port must not echo the password back.

const SCHEME_PREFIX = /^[a-z][a-z0-9+.-]*:\/{1,2}/i;

/**
 * `text` with everything between the scheme and the last `@` replaced by `***`: `redis://u:pw@h:x/k` becomes
 * `redis://***@h:x/k`, `u:pw@h` becomes `***@h`. Masking too much is harmless here, so the last `@` wins (a
 * password may hold `/` or `@`); text without `@` is returned as it is.
 */
export function maskUrlCredentials(text: string): string {
  const at = text.lastIndexOf("@");
  if (at === -1) return text;
  const scheme = SCHEME_PREFIX.exec(text)?.[0] ?? "";
  if (scheme.length > at) return text;
  return `${scheme}***${text.slice(at)}`;
}
