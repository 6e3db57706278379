// Comparing a wanted JetStream configuration with the one the server holds, for idempotent `add` and for
// `edit` previews; and quoting values so a suggested command can be pasted into a shell as printed.
import { UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";

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

/** Metadata without the keys the server owns (`_nats.ver`, `_nats.level`, ...); undefined when nothing is left. */
export function userMetadata(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !k.startsWith("_nats."));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
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
    if (field === "metadata") {
      // nats-server 2.11+ adds _nats.* keys of its own: compare what users set.
      const from = userMetadata(have[field]);
      if (!sameConfigValue(from, userMetadata(to))) changes.push({ field, from, to: userMetadata(to) });
      continue;
    }
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

/**
 * `  field: from → to` lines, each value shown by `show` (units, "unlimited") and sanitised: the current values
 * come from the server (subjects, descriptions, field names of a newer server).
 */
export function renderChanges(changes: ConfigChange[], show: (field: string, value: unknown) => string): string {
  if (changes.length === 0) return "";
  const width = Math.max(...changes.map((c) => c.field.length));
  return (
    changes
      .map((c) => sanitizeText(`  ${c.field.padEnd(width)}  ${show(c.field, c.from)} → ${show(c.field, c.to)}`))
      .join("\n") + "\n"
  );
}

/** An API response without its envelope (`type`, and the paging fields of info responses): the object itself. */
export function apiObject<T extends object>(response: T): T {
  const { type: _type, total: _total, offset: _offset, limit: _limit, ...rest } = response as Record<string, unknown>;
  return rest as T;
}

/** `--json` output: the API object(s) without envelopes, pretty-printed, one document. */
export function apiJsonText(value: object): string {
  const body = Array.isArray(value) ? value.map((v: object) => apiObject(v)) : apiObject(value);
  // JSON.stringify escapes C0 but leaves DEL, C1 (0x9B is a CSI) and bidi controls raw: \u-escape those too,
  // which keeps the document equal when parsed.
  return JSON.stringify(body, null, 2).replace(/[^\x00-\x7E]/gu, (ch) => (isSafeText(ch) ? ch : jsonEscape(ch))) + "\n";
}

function jsonEscape(ch: string): string {
  let out = "";
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Checking a --config file before it reaches the server, which answers a wrong type only with "invalid JSON".

/** What a configuration field holds in the API's JSON. */
export type ConfigFieldKind =
  | "nanos" // int64 nanoseconds
  | "int" // int64
  | "int32" // a Go int32 (max_msg_size)
  | "string"
  | "bool"
  | "strings"
  | "object"
  | "objects"
  | "nanosList"
  | { oneOf: readonly string[] };

export interface ConfigFieldSchema {
  /** Every field the API knows (from the nats.js types), modelled by us or not: anything else is a typo. */
  fields: Readonly<Record<string, ConfigFieldKind>>;
  /** The flag that sets a field in human units, named in the error (`or use --max-age 1h`). */
  flagHints: Readonly<Record<string, string>>;
}

/** Go's int64: a JSON number past it makes the server reject the whole request as invalid JSON. */
const INT64_LIMIT = 2 ** 63;

const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && Math.abs(v) < INT64_LIMIT;
const isPlainObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

function kindText(kind: ConfigFieldKind): string {
  if (typeof kind === "object") return `one of ${kind.oneOf.map((v) => JSON.stringify(v)).join(", ")}`;
  switch (kind) {
    case "nanos":
      return "nanoseconds, a whole number";
    case "int":
      return "a whole number";
    case "int32":
      return "a whole number below 2^31";
    case "string":
      return "a string";
    case "bool":
      return "true or false";
    case "strings":
      return "a list of strings";
    case "object":
      return "a JSON object";
    case "objects":
      return "a list of JSON objects";
    case "nanosList":
      return "a list of nanoseconds";
  }
}

function fitsKind(value: unknown, kind: ConfigFieldKind): boolean {
  if (typeof kind === "object") return typeof value === "string" && kind.oneOf.includes(value);
  switch (kind) {
    case "nanos":
    case "int":
      return isWhole(value);
    case "int32":
      return isWhole(value) && Math.abs(value) < 2 ** 31;
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "strings":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "object":
      return isPlainObject(value);
    case "objects":
      return Array.isArray(value) && value.every(isPlainObject);
    case "nanosList":
      return Array.isArray(value) && value.every(isWhole);
  }
}

/**
 * Checks a configuration read from `source` (e.g. "--config cfg.json"): unknown fields and values of the wrong
 * type are usage errors naming the field and what it takes. `null` is left to the server (it means "unset").
 */
export function checkConfigFields(config: Record<string, unknown>, schema: ConfigFieldSchema, source: string): void {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(schema.fields, k);
  const unknown = Object.keys(config).filter((k) => !has(k));
  if (unknown.length > 0) {
    throw new UsageError(
      `${source}: unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")} ` +
        "(a typo? the API's field names are snake_case, e.g. max_bytes, max_age)",
    );
  }
  for (const [field, value] of Object.entries(config)) {
    if (value === null) continue;
    const kind = schema.fields[field]!;
    if (fitsKind(value, kind)) continue;
    const hint = Object.prototype.hasOwnProperty.call(schema.flagHints, field) ? ` (or use ${schema.flagHints[field]})` : "";
    const tooBig = (kind === "nanos" || kind === "int") && typeof value === "number" && Number.isInteger(value);
    throw new UsageError(`${source}: ${field} must be ${kindText(kind)}${tooBig ? " below 2^63" : ""}${hint}`);
  }
}
