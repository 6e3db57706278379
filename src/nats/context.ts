// natscli contexts, read unchanged: $XDG_CONFIG_HOME/nats/context/NAME.json, the selected one named in
// $XDG_CONFIG_HOME/nats/context.txt. A user of natscli needs no new configuration.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { RuntimeError, UsageError } from "../errors.js";

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
}

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
    throw new RuntimeError(`context '${name}' is not valid JSON (${path}): ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new RuntimeError(`context '${name}' (${path}) is not a JSON object`);
  }
  const raw = parsed as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof raw[k] === "string" && raw[k] !== "" ? (raw[k] as string) : undefined);
  return {
    name,
    path,
    description: str("description"),
    url: str("url"),
    user: str("user"),
    password: str("password"),
    token: str("token"),
    creds: str("creds"),
    nkey: str("nkey"),
    cert: str("cert"),
    key: str("key"),
    ca: str("ca"),
    tls_first: raw.tls_first === true,
    jetstream_domain: str("jetstream_domain"),
    jetstream_api_prefix: str("jetstream_api_prefix"),
    inbox_prefix: str("inbox_prefix"),
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
  mkdirSync(contextDirectory(env), { recursive: true });
  writeFileSync(join(contextDirectory(env), "context.txt"), name);
}
