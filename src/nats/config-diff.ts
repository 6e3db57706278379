// Comparing a wanted JetStream configuration with the one the server holds, for idempotent `add` and for
// `edit` previews; and quoting values so a suggested command can be pasted into a shell as printed.

export interface ConfigChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The value a field has when the server leaves it out: false, "", 0 or [] depending on the wanted value's type. */
function emptyLike(value: unknown): unknown {
  if (typeof value === "boolean") return false;
  if (typeof value === "string") return "";
  if (typeof value === "number") return 0;
  if (Array.isArray(value)) return [];
  return undefined;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

export function sameConfigValue(current: unknown, wanted: unknown): boolean {
  const have = current === undefined || current === null ? emptyLike(wanted) : current;
  const want = wanted === undefined || wanted === null ? emptyLike(current) : wanted;
  return canonical(have) === canonical(want);
}

/**
 * The fields of `wanted` whose value differs from `current`. Only fields present in `wanted` count: what the
 * user did not ask for is the server's business (it fills in defaults such as max_consumers or max_waiting).
 */
export function diffConfig(current: object, wanted: object, ignore: readonly string[] = []): ConfigChange[] {
  const have = current as Record<string, unknown>;
  const changes: ConfigChange[] = [];
  for (const [field, to] of Object.entries(wanted as Record<string, unknown>)) {
    if (to === undefined || ignore.includes(field)) continue;
    if (!sameConfigValue(have[field], to)) changes.push({ field, from: have[field], to });
  }
  return changes;
}

/** Shell-safe as printed: plain words stay bare, anything else goes in single quotes (`'suricata.>'`). */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_.,:/=@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** How `edit` sets one field: the flag words for the new value; [] when another changed field's flag covers it. */
export type EditFlag = (to: unknown, changed: ReadonlyMap<string, unknown>) => string[];

/** `--name` for true, `--no-name` for false. */
export const booleanEditFlag =
  (name: string): EditFlag =>
  (to) => [to ? `--${name}` : `--no-${name}`];

export interface EditFlags {
  flags: string[];
  /** Changed fields no flag sets: only a --config file can. */
  unsettable: string[];
}

/** The `edit` flags that would apply `changes`, in their order, from a table of the fields that have flags. */
export function editFlagsFor(changes: ConfigChange[], table: Readonly<Record<string, EditFlag>>): EditFlags {
  const flags: string[] = [];
  const unsettable: string[] = [];
  const changed = new Map(changes.map((c) => [c.field, c.to]));
  for (const { field, to } of changes) {
    const flagFor = Object.prototype.hasOwnProperty.call(table, field) ? table[field] : undefined;
    if (flagFor === undefined) unsettable.push(field);
    else flags.push(...flagFor(to, changed));
  }
  return { flags, unsettable };
}

/** `nsm4home <words...> [--config FILE] <flags...>`, shell-quoted; the file only when some change has no flag. */
export function editCommandText(words: string[], edit: EditFlags, configFile?: string): string {
  const parts = ["nsm4home", ...words.map(shellQuote)];
  if (configFile !== undefined && edit.unsettable.length > 0) parts.push("--config", shellQuote(configFile));
  return [...parts, ...edit.flags].join(" ");
}

/** `  field: from → to` lines, each value shown by `show` (units, "unlimited"). */
export function renderChanges(changes: ConfigChange[], show: (field: string, value: unknown) => string): string {
  if (changes.length === 0) return "";
  const width = Math.max(...changes.map((c) => c.field.length));
  return changes.map((c) => `  ${c.field.padEnd(width)}  ${show(c.field, c.from)} → ${show(c.field, c.to)}`).join("\n") + "\n";
}

/** An API response without its envelope (`type`, and the paging fields of info responses): the object itself. */
export function apiObject<T extends object>(response: T): T {
  const { type: _type, total: _total, offset: _offset, limit: _limit, ...rest } = response as Record<string, unknown>;
  return rest as T;
}

/** `--json` output: the API object(s) without envelopes, pretty-printed, one document. */
export function apiJsonText(value: object): string {
  const body = Array.isArray(value) ? value.map((v: object) => apiObject(v)) : apiObject(value);
  return JSON.stringify(body, null, 2) + "\n";
}
