// natscli contexts, read unchanged: $XDG_CONFIG_HOME/nats/context/NAME.json, the selected one named in
// $XDG_CONFIG_HOME/nats/context.txt. A user of natscli needs no new configuration.
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { makeDirectories } from "../directories.js";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { RuntimeError, UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";

/** The fields of a natscli context that nsm4home uses (natscli writes more; they are kept, not needed). */
export interface NatsContext {
  name: string;
  path: string;
  description?: string;
  url?: string;
  user?: string;
  password?: string;
  token?: string;
  creds?: string;
  nkey?: string;
  cert?: string;
  key?: string;
  ca?: string;
  tls_first?: boolean;
  jetstream_domain?: string;
  jetstream_api_prefix?: string;
  inbox_prefix?: string;
  /** Sign-in fields natscli has and nsm4home does not read (a JWT and seed given inline, an nsc user). */
  unreadAuth?: string[];
  /** natscli connects through this SOCKS5 proxy; nsm4home cannot. */
  socksProxy?: string;
}

const UNREAD_AUTH_FIELDS = ["user_jwt", "user_seed", "nsc"];

export function contextDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), ".config");
  return join(base, "nats");
}

function validateContextName(name: string): void {
  // natscli refuses names that could escape the context folder; so do we.
  if (name === "" || name.includes("/") || name.includes("\\") || name.startsWith(".") || name.includes("..")) {
    throw new UsageError(`invalid context name '${name}': use a plain name such as 'pi' (see 'nsm4home context ls')`);
  }
}

export function contextPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  validateContextName(name);
  return join(contextDirectory(env), "context", `${name}.json`);
}

export function selectedContextName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = join(contextDirectory(env), "context.txt");
  if (!existsSync(file)) return undefined;
  const name = readFileSync(file, "utf8").trim();
  return name === "" ? undefined : name;
}

export function listContextNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = join(contextDirectory(env), "context");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** The context fields natscli keeps as strings. */
const STRING_FIELDS = new Set([
  "description", "url", "socks_proxy", "token", "user", "password", "creds", "nkey", "cert", "key", "ca", "nsc",
  "jetstream_domain", "jetstream_api_prefix", "jetstream_event_prefix", "inbox_prefix", "user_jwt", "user_seed", "color_scheme",
]);

/** "3, column 14" for a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function readContextFile(path: string, name: string): NatsContext {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new RuntimeError(`unknown context '${name}': ${path} does not exist (see 'nsm4home context ls')`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Node's message quotes the text around the error, which may be a password: only where it is.
    const at = /at position (\d+)/.exec((err as Error).message);
    const where = at === null ? "" : ` at line ${lineColumn(text, Number(at[1]))}`;
    throw new RuntimeError(`context '${name}' is not valid JSON${where} (${path}): fix or remove the file`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new RuntimeError(`context '${name}' (${path}) is not a JSON object`);
  }
  const raw = parsed as Record<string, unknown>;
  // natscli refuses such a file (Go cannot unmarshal it); skipping the field would connect somewhere else.
  for (const [key, value] of Object.entries(raw)) {
    const wrong = STRING_FIELDS.has(key) ? value !== null && typeof value !== "string" : key === "tls_first" && value !== null && typeof value !== "boolean";
    if (wrong) throw new RuntimeError(`context '${name}' (${path}): ${key} is not a ${key === "tls_first" ? "boolean" : "string"}; fix the file`);
  }
  const str = (k: string): string | undefined => (typeof raw[k] === "string" && raw[k] !== "" ? (raw[k] as string) : undefined);
  // natscli expands a leading ~ in file paths; contexts written by hand often use it.
  const file = (k: string): string | undefined => {
    const v = str(k);
    return v !== undefined && (v === "~" || v.startsWith("~/")) ? join(homedir(), v.slice(1)) : v;
  };
  return {
    name,
    path,
    description: str("description"),
    url: str("url"),
    user: str("user"),
    password: str("password"),
    token: str("token"),
    creds: file("creds"),
    nkey: file("nkey"),
    cert: file("cert"),
    key: file("key"),
    ca: file("ca"),
    tls_first: raw.tls_first === true,
    jetstream_domain: str("jetstream_domain"),
    jetstream_api_prefix: str("jetstream_api_prefix"),
    inbox_prefix: str("inbox_prefix"),
    unreadAuth: UNREAD_AUTH_FIELDS.filter((k) => str(k) !== undefined),
    socksProxy: str("socks_proxy"),
  };
}

/** Loads a context by name, or by path when NATS_CONTEXT names a .json file as natscli allows. */
export function loadContext(nameOrPath: string, env: NodeJS.ProcessEnv = process.env): NatsContext {
  if (nameOrPath.endsWith(".json") && (nameOrPath.includes("/") || existsSync(nameOrPath))) {
    return readContextFile(nameOrPath, basename(nameOrPath, ".json"));
  }
  return readContextFile(contextPath(nameOrPath, env), nameOrPath);
}

export function selectContext(name: string, env: NodeJS.ProcessEnv = process.env): void {
  const path = contextPath(name, env);
  if (!existsSync(path)) throw new RuntimeError(`unknown context '${name}': ${path} does not exist (see 'nsm4home context ls')`);
  makeDirectories(contextDirectory(env));
  writeFileSync(join(contextDirectory(env), "context.txt"), name);
}

/** How secrets are shown wherever a context or a connection is described. */
export const MASK = "*****";

export interface ContextSummary {
  name: string;
  path: string;
  selected: boolean;
  description?: string;
  url?: string;
  /** Set when the file cannot be read or parsed; `ls` still lists it so the user can see and fix it. */
  error?: string;
}

/** Every context file, the selected one marked; a broken file is listed with its error, not fatal. */
export function listContexts(env: NodeJS.ProcessEnv = process.env): ContextSummary[] {
  const selected = selectedContextName(env);
  return listContextNames(env).map((name) => {
    const path = contextPath(name, env);
    try {
      const ctx = readContextFile(path, name);
      return { name, path, selected: name === selected, description: ctx.description, url: ctx.url };
    } catch (err) {
      const message = (err as Error).message;
      const wrongType = /: (\S+ is not a (string|boolean));/.exec(message);
      const error = /not valid JSON/.test(message) ? "not valid JSON" : /not a JSON object/.test(message) ? "not a JSON object" : wrongType ? wrongType[1]! : "unreadable";
      return { name, path, selected: name === selected, error };
    }
  });
}

/**
 * A context as it may be shown: password and token masked, file settings as paths only (never their
 * contents), credentials inside URLs removed. Undefined fields are left out.
 */
export function maskedContext(ctx: NatsContext, redact: (url: string) => string): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = { name: ctx.name, path: ctx.path };
  const put = (k: string, v: string | boolean | undefined) => {
    if (v !== undefined && v !== false) out[k] = v;
  };
  put("description", ctx.description);
  put("url", ctx.url === undefined ? undefined : ctx.url.split(",").map((u) => redact(u.trim())).join(","));
  put("user", ctx.user);
  put("password", ctx.password === undefined ? undefined : MASK);
  put("token", ctx.token === undefined ? undefined : MASK);
  put("creds", ctx.creds);
  put("nkey", ctx.nkey);
  put("cert", ctx.cert);
  put("key", ctx.key);
  put("ca", ctx.ca);
  put("tls_first", ctx.tls_first);
  put("jetstream_domain", ctx.jetstream_domain);
  put("jetstream_api_prefix", ctx.jetstream_api_prefix);
  put("inbox_prefix", ctx.inbox_prefix);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Writing contexts as natscli does: every field natscli v0.5 writes, in its order, 2-space JSON, mode 0600 in a
// 0700 folder (the file can hold a password or a token). Fields natscli adds later are kept as they were.

/** natscli's context fields in the order `nats context add` writes them, with their empty values. */
const NATSCLI_CONTEXT_FIELDS: ReadonlyArray<[string, string | boolean | null]> = [
  ["description", ""], ["url", ""], ["socks_proxy", ""], ["token", ""], ["user", ""], ["password", ""],
  ["creds", ""], ["nkey", ""], ["cert", ""], ["key", ""], ["ca", ""], ["nsc", ""], ["jetstream_domain", ""],
  ["jetstream_api_prefix", ""], ["jetstream_event_prefix", ""], ["inbox_prefix", ""], ["user_jwt", ""],
  ["user_seed", ""], ["color_scheme", ""], ["tls_first", false], ["windows_cert_store", ""],
  ["windows_cert_match_by", ""], ["windows_cert_match", ""], ["windows_ca_certs_match", null],
];

/** The settings `context add|edit` write; an empty string clears a field (as natscli leaves it ""). */
export type ContextSettings = Partial<Record<
  "description" | "url" | "user" | "password" | "token" | "creds" | "nkey" | "cert" | "key" | "ca" |
  "jetstream_domain" | "jetstream_api_prefix" | "inbox_prefix", string
>> & { tls_first?: boolean };

function readRawContext(path: string, name: string): Record<string, unknown> {
  readContextFile(path, name); // the same errors (unknown, not JSON, not an object) as reading it for use
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

function writeContextFile(path: string, body: Record<string, unknown>): void {
  makeDirectories(join(path, ".."), 0o700);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(body, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path); // whole or not at all: natscli never reads half a context
}

/** A file name holds 255 bytes: the name, ".json" and the temporary file's ".PID.tmp" must fit. */
const MAX_NEW_CONTEXT_NAME_BYTES = 200;

/** A new name must also list as itself: natscli prints names raw, so a newline or an escape would garble its list. */
function validateNewContextName(name: string): void {
  if (!isSafeText(name)) throw new UsageError(`invalid context name '${sanitizeText(name)}': no control characters, bidi or invisible characters in a new name`);
  if (Buffer.byteLength(name) > MAX_NEW_CONTEXT_NAME_BYTES) throw new UsageError(`invalid context name '${name.slice(0, 40)}...': at most ${MAX_NEW_CONTEXT_NAME_BYTES} bytes`);
}

/** Creates context NAME; refuses to overwrite one (that is `context edit`). Returns its path. */
export function addContext(name: string, settings: ContextSettings, env: NodeJS.ProcessEnv = process.env): string {
  const path = contextPath(name, env);
  validateNewContextName(name);
  if (existsSync(path)) throw new RuntimeError(`context '${name}' already exists (${path}): change it with 'nsm4home context edit ${name} ...'`);
  const body: Record<string, unknown> = Object.fromEntries(NATSCLI_CONTEXT_FIELDS);
  Object.assign(body, settings);
  writeContextFile(path, body);
  return path;
}

/** Changes the given settings of context NAME, keeping every other field (natscli's newer ones too). */
export function editContext(name: string, settings: ContextSettings, env: NodeJS.ProcessEnv = process.env): string {
  const path = contextPath(name, env);
  const body: Record<string, unknown> = { ...Object.fromEntries(NATSCLI_CONTEXT_FIELDS), ...readRawContext(path, name) };
  Object.assign(body, settings);
  writeContextFile(path, body);
  return path;
}

/** Removes context NAME; when it was the selected one, context.txt is removed too. Returns whether it was selected. */
export function removeContext(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = contextPath(name, env);
  if (!existsSync(path)) throw new RuntimeError(`unknown context '${name}': ${path} does not exist (see 'nsm4home context ls')`);
  rmSync(path);
  const wasSelected = selectedContextName(env) === name;
  if (wasSelected) rmSync(join(contextDirectory(env), "context.txt"), { force: true });
  return wasSelected;
}
