// The one connection resolver every command uses: flags > environment > natscli context > defaults.
import { readFileSync } from "node:fs";
import { RuntimeError, UsageError } from "../errors.js";
import { parseDuration } from "../render/units.js";
import { loadContext, selectedContextName, type NatsContext } from "./context.js";

export const DEFAULT_SERVER = "nats://127.0.0.1:4222";

/** The global connection flags as commander hands them over (all optional; `context: false` is --no-context). */
export interface ConnectionFlags {
  server?: string;
  user?: string;
  password?: string;
  token?: string;
  creds?: string;
  nkey?: string;
  tlscert?: string;
  tlskey?: string;
  tlsca?: string;
  tlsfirst?: boolean;
  timeout?: string;
  context?: string | boolean;
}

export type Source = "flag" | "env" | "context" | "default";

export interface ResolvedConnection {
  servers: string[];
  user?: string;
  password?: string;
  token?: string;
  credsFile?: string;
  nkeyFile?: string;
  tls?: { certFile?: string; keyFile?: string; caFile?: string; handshakeFirst?: boolean };
  timeoutMs: number;
  context?: NatsContext;
  jetstreamDomain?: string;
  jetstreamApiPrefix?: string;
  inboxPrefix?: string;
  /** Where each setting came from, for `context info` and debugging precedence. */
  sources: Record<string, Source>;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/** Pure: combines flags, environment and the chosen context. Reads only the context file. */
export function resolveConnectionOptions(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): ResolvedConnection {
  let context: NatsContext | undefined;
  if (flags.context !== false) {
    const name = typeof flags.context === "string" ? flags.context : nonEmpty(env.NATS_CONTEXT) ?? selectedContextName(env);
    if (name !== undefined) context = loadContext(name, env);
  }
  const sources: Record<string, Source> = {};
  const pick = (key: string, flag: string | undefined, envVar: string | undefined, ctx: string | undefined): string | undefined => {
    for (const [value, source] of [
      [nonEmpty(flag), "flag"],
      [nonEmpty(envVar), "env"],
      [nonEmpty(ctx), "context"],
    ] as const) {
      if (value !== undefined) {
        sources[key] = source;
        return value;
      }
    }
    return undefined;
  };

  const url = pick("server", flags.server, env.NATS_URL, context?.url);
  if (url === undefined) sources.server = "default";
  const servers = (url ?? DEFAULT_SERVER)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (servers.length === 0) throw new UsageError("invalid --server '': give one or more URLs such as nats://host:4222");

  const timeoutText = pick("timeout", flags.timeout, env.NATS_TIMEOUT, undefined);
  const timeoutMs = timeoutText === undefined ? 5000 : parseDuration(timeoutText, "--timeout");
  if (timeoutText === undefined) sources.timeout = "default";

  const certFile = pick("tlscert", flags.tlscert, env.NATS_CERT, context?.cert);
  const keyFile = pick("tlskey", flags.tlskey, env.NATS_KEY, context?.key);
  const caFile = pick("tlsca", flags.tlsca, env.NATS_CA, context?.ca);
  const handshakeFirst = flags.tlsfirst === true || context?.tls_first === true;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError("--tlscert and --tlskey go together: give both (client certificate and its key)");
  }
  const tls = certFile || keyFile || caFile || handshakeFirst ? { certFile, keyFile, caFile, handshakeFirst } : undefined;

  return {
    servers,
    user: pick("user", flags.user, env.NATS_USER, context?.user),
    password: pick("password", flags.password, env.NATS_PASSWORD, context?.password),
    token: pick("token", flags.token, env.NATS_TOKEN, context?.token),
    credsFile: pick("creds", flags.creds, env.NATS_CREDS, context?.creds),
    nkeyFile: pick("nkey", flags.nkey, env.NATS_NKEY, context?.nkey),
    tls,
    timeoutMs,
    context,
    jetstreamDomain: context?.jetstream_domain,
    jetstreamApiPrefix: context?.jetstream_api_prefix,
    inboxPrefix: context?.inbox_prefix,
    sources,
  };
}

/** A URL with any user:password@ part masked: server URLs may carry credentials and must never be printed. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)?([^@/]+)@/i, (_m, scheme: string | undefined) => `${scheme ?? ""}***@`);
}

export function describeServers(resolved: ResolvedConnection): string {
  return resolved.servers.map(redactUrl).join(",");
}

function readSecretFile(path: string, what: string, flag: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new RuntimeError(`cannot read ${what} file ${path} (${code}): check the ${flag} path and its permissions`);
  }
}

/** Builds the nats.js ConnectionOptions; kept apart from connecting so it can be unit tested. */
export async function buildConnectOptions(resolved: ResolvedConnection, name = "nsm4home") {
  const core = await import("@nats-io/nats-core");
  const options: import("@nats-io/nats-core").ConnectionOptions = {
    servers: resolved.servers,
    name,
    timeout: resolved.timeoutMs,
    // Users watch a sensor for hours: keep trying through server restarts and say so on stderr.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    reconnectJitter: 250,
    pingInterval: 20_000,
    waitOnFirstConnect: false,
    ignoreClusterUpdates: false,
  };
  if (resolved.inboxPrefix) options.inboxPrefix = resolved.inboxPrefix;
  if (resolved.user !== undefined) {
    options.user = resolved.user;
    options.pass = resolved.password ?? "";
  } else if (resolved.token !== undefined) {
    options.token = resolved.token;
  }
  const authenticators = [];
  if (resolved.credsFile) {
    authenticators.push(core.credsAuthenticator(readSecretFile(resolved.credsFile, "credentials", "--creds")));
  }
  if (resolved.nkeyFile) {
    const seed = new TextDecoder().decode(readSecretFile(resolved.nkeyFile, "nkey seed", "--nkey")).trim();
    if (!seed.startsWith("SU")) {
      throw new RuntimeError(`the --nkey file ${resolved.nkeyFile} does not hold a user nkey seed (a line starting with SU)`);
    }
    authenticators.push(core.nkeyAuthenticator(new TextEncoder().encode(seed)));
  }
  if (authenticators.length > 0) options.authenticator = authenticators;
  if (resolved.tls) {
    options.tls = {};
    if (resolved.tls.certFile) options.tls.certFile = resolved.tls.certFile;
    if (resolved.tls.keyFile) options.tls.keyFile = resolved.tls.keyFile;
    if (resolved.tls.caFile) options.tls.caFile = resolved.tls.caFile;
    if (resolved.tls.handshakeFirst) options.tls.handshakeFirst = true;
  }
  return options;
}

/** Turns nats.js connect failures into one actionable line (never including secrets). */
export function describeConnectError(err: unknown, resolved: ResolvedConnection): RuntimeError {
  const where = describeServers(resolved);
  const e = err as { name?: string; message?: string; code?: string; cause?: unknown };
  const text = `${e?.name ?? ""} ${e?.message ?? String(err)} ${e?.code ?? ""} ${String((e?.cause as Error | undefined)?.message ?? "")}`;
  const lower = text.toLowerCase();
  if (err instanceof RuntimeError || err instanceof UsageError) return err as RuntimeError;
  if (lower.includes("econnrefused")) {
    return new RuntimeError(`cannot connect to ${where}: connection refused (is nats-server running there?)`);
  }
  if (lower.includes("authorization violation") || lower.includes("authentication") || lower.includes("authorizationerror")) {
    return new RuntimeError(`cannot connect to ${where}: authorization violation (check --user/--password, --token, --creds or --nkey)`);
  }
  if (lower.includes("tls") || lower.includes("certificate") || lower.includes("ssl") || lower.includes("self-signed") || lower.includes("self signed")) {
    const detail = (e?.message ?? "").replace(/\s+/g, " ").slice(0, 160);
    if (lower.includes("required")) {
      return new RuntimeError(`cannot connect to ${where}: the server requires TLS (use tls:// or --tlsca/--tlscert/--tlskey)`);
    }
    return new RuntimeError(`cannot connect to ${where}: TLS handshake failed (${detail}); check --tlsca, --tlscert, --tlskey`);
  }
  if (lower.includes("timeout")) {
    return new RuntimeError(`cannot connect to ${where}: timed out after ${resolved.timeoutMs} ms (is the address right and reachable? raise --timeout)`);
  }
  if (lower.includes("enotfound") || lower.includes("eai_again")) {
    return new RuntimeError(`cannot connect to ${where}: host not found (check the --server address)`);
  }
  return new RuntimeError(`cannot connect to ${where}: ${(e?.message ?? String(err)).split("\n")[0]}`);
}

export interface ConnectOptions {
  name?: string;
  /** Status lines (reconnecting, reconnected, ...) go here; default: stderr. Pass null for silence. */
  onStatus?: ((line: string) => void) | null;
  /** Called on each nats.js status event, for dashboards that track connection state. */
  onStatusEvent?: (status: import("@nats-io/nats-core").Status) => void;
}

/** Connects with the resolved options; reports reconnects on stderr by default. */
export async function connectNats(resolved: ResolvedConnection, opts: ConnectOptions = {}) {
  const { connect } = await import("@nats-io/transport-node");
  const options = await buildConnectOptions(resolved, opts.name);
  let nc;
  try {
    nc = await connect(options);
  } catch (err) {
    throw describeConnectError(err, resolved);
  }
  const report = opts.onStatus === undefined ? (line: string) => process.stderr.write(`nsm4home: ${line}\n`) : opts.onStatus;
  void (async () => {
    let attempts = 0;
    for await (const s of nc.status()) {
      opts.onStatusEvent?.(s);
      if (!report) continue;
      switch (s.type) {
        case "disconnect":
          report(`disconnected from ${redactUrl(s.server)}`);
          break;
        case "reconnecting":
          attempts++;
          if (attempts === 1 || attempts % 10 === 0) report(`reconnecting to ${describeServers(resolved)} (attempt ${attempts})`);
          break;
        case "reconnect":
          attempts = 0;
          report(`reconnected to ${redactUrl(s.server)}`);
          break;
        case "ldm":
          report(`server ${redactUrl(s.server)} entered lame duck mode; will move to another server`);
          break;
        case "error":
          report(`server error: ${s.error.message}`);
          break;
        default:
          break;
      }
    }
  })().catch(() => undefined);
  return nc;
}

/** Resolve, connect, run, and always close: the common shape of one-shot commands. */
export async function withConnection<T>(
  flags: ConnectionFlags,
  fn: (nc: import("@nats-io/nats-core").NatsConnection, resolved: ResolvedConnection) => Promise<T>,
  opts: ConnectOptions = {},
): Promise<T> {
  const resolved = resolveConnectionOptions(flags);
  const nc = await connectNats(resolved, opts);
  try {
    return await fn(nc, resolved);
  } finally {
    await nc.close().catch(() => undefined);
  }
}
