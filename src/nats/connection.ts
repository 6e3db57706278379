// The one connection resolver every command uses: flags > environment > natscli context > defaults.
import { readFileSync } from "node:fs";
import { RuntimeError, UsageError } from "../errors.js";
import { maskUrlCredentials } from "../text/credentials.js";
import { sanitizeText } from "../text/sanitize.js";
import { formatDuration, parseDuration } from "../text/units.js";
import { loadContext, MASK, selectedContextName, type NatsContext } from "./context.js";

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
  jsDomain?: string;
  jsApiPrefix?: string;
  inboxPrefix?: string;
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
  /** user/password or token were taken from a server URL (nats://user:pass@host); the URLs no longer hold them. */
  credentialsFromUrl?: boolean;
  /** Where each setting came from, for `context info` and debugging precedence. */
  sources: Record<string, Source>;
  /** Credentials given but not used because another method came from a higher-precedence source. */
  unusedAuth: Array<{ key: "user" | "password" | "token" | "creds" | "nkey"; value: string; source: Source; winner: string }>;
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
  const parsedUrls = (url ?? DEFAULT_SERVER)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(splitUrlCredentials);
  const servers = parsedUrls.map((p) => p.url);
  if (servers.length === 0) throw new UsageError("invalid --server '': give one or more URLs such as nats://host:4222");

  const timeoutText = pick("timeout", flags.timeout, env.NATS_TIMEOUT, undefined);
  const timeoutMs = timeoutText === undefined ? 5000 : parseDuration(timeoutText, "--timeout");
  if (timeoutText === undefined) sources.timeout = "default";

  const certFile = pick("tlscert", flags.tlscert, env.NATS_CERT, context?.cert);
  const keyFile = pick("tlskey", flags.tlskey, env.NATS_KEY, context?.key);
  const caFile = pick("tlsca", flags.tlsca, env.NATS_CA, context?.ca);
  const handshakeFirst = flags.tlsfirst === true || context?.tls_first === true;
  if (handshakeFirst) sources.tlsfirst = flags.tlsfirst === true ? "flag" : "context";
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError("--tlscert and --tlskey go together: give both (client certificate and its key)");
  }
  // nats.js treats tls:// like nats://; natscli (and the user who typed it) means "TLS or nothing".
  const tlsScheme = servers.some((s) => /^tls:\/\//i.test(s));
  const tls = certFile || keyFile || caFile || handshakeFirst || tlsScheme ? { certFile, keyFile, caFile, handshakeFirst } : undefined;
  const { jetstreamDomain, jetstreamApiPrefix, inboxPrefix } = resolveJetStreamAccess(flags, env, context, pick, sources);

  let user = pick("user", flags.user, env.NATS_USER, context?.user);
  let password = pick("password", flags.password, env.NATS_PASSWORD, context?.password);
  let token = pick("token", flags.token, env.NATS_TOKEN, context?.token);
  let credsFile = pick("creds", flags.creds, env.NATS_CREDS, context?.creds);
  let nkeyFile = pick("nkey", flags.nkey, env.NATS_NKEY, context?.nkey);
  // Precedence holds per authentication method, not per field: `--token` must beat a context's user and
  // password, not sit unused beside them. Lower sources may still complete the winning method (`--user` with
  // the context's password); other methods they name are dropped.
  const rank = (key: string) => ({ flag: 0, env: 1, context: 2 })[sources[key] as "flag" | "env" | "context"] ?? 3;
  const methods = { user: rank("user"), token: rank("token"), creds: rank("creds"), nkey: rank("nkey") };
  const best = Math.min(...Object.values(methods));
  const unusedAuth: ResolvedConnection["unusedAuth"] = [];
  if (best < 3) {
    const winnerKey = (["token", "user", "creds", "nkey"] as const).find((k) => methods[k] === best)!;
    const winner = `${winnerKey === "user" ? "user/password" : winnerKey} from ${["a flag", "the environment", "the context"][best]}`;
    const drop = (key: ResolvedConnection["unusedAuth"][number]["key"], value: string | undefined) => {
      if (value !== undefined) unusedAuth.push({ key, value, source: sources[key]!, winner });
      delete sources[key];
    };
    if (methods.user > best) {
      drop("user", user);
      drop("password", password);
      user = password = undefined;
    }
    // A password with no user (say, from the context) belongs to no method once another one won.
    if (methods.user === 3 && password !== undefined && rank("password") > best) {
      drop("password", password);
      password = undefined;
    }
    if (methods.token > best) {
      drop("token", token);
      token = undefined;
    }
    if (methods.creds > best) {
      drop("creds", credsFile);
      credsFile = undefined;
    }
    if (methods.nkey > best) {
      drop("nkey", nkeyFile);
      nkeyFile = undefined;
    }
  }
  // natscli accepts nats://user:pass@host and nats://token@host; nats.js would ignore them silently.
  const withCredentials = parsedUrls.find((p) => p.user !== undefined || p.token !== undefined);
  const credentialsFromUrl = withCredentials !== undefined && user === undefined && token === undefined;
  if (credentialsFromUrl) {
    if (withCredentials.user !== undefined) {
      user = withCredentials.user;
      password = withCredentials.password;
      sources.user = sources.password = sources.server!;
    } else {
      token = withCredentials.token;
      sources.token = sources.server!;
    }
  }

  return {
    servers,
    user,
    password,
    token,
    credentialsFromUrl,
    credsFile,
    nkeyFile,
    unusedAuth,
    tls,
    timeoutMs,
    context,
    jetstreamDomain,
    jetstreamApiPrefix,
    inboxPrefix,
    sources,
  };
}

/**
 * --js-domain, --js-api-prefix and --inbox-prefix, each flag > env > context. A domain and an API prefix are two
 * ways to say the same thing: the one from the higher source wins; both from the same source is a usage error.
 */
function resolveJetStreamAccess(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  context: NatsContext | undefined,
  pick: (key: string, flag: string | undefined, envVar: string | undefined, ctx: string | undefined) => string | undefined,
  sources: Record<string, Source>,
): { jetstreamDomain?: string; jetstreamApiPrefix?: string; inboxPrefix?: string } {
  let jetstreamDomain = pick("jetstream_domain", flags.jsDomain, env.NATS_JS_DOMAIN, context?.jetstream_domain);
  let jetstreamApiPrefix = pick("jetstream_api_prefix", flags.jsApiPrefix, env.NATS_JS_API_PREFIX, context?.jetstream_api_prefix);
  const inboxPrefix = pick("inbox_prefix", flags.inboxPrefix, env.NATS_INBOX_PREFIX, context?.inbox_prefix);
  const from = (key: string) => {
    const source = sources[key];
    return source === "flag" ? FLAG_OF[key] : source === "env" ? ENV_OF[key] : `context '${context?.name ?? "?"}'`;
  };
  if (jetstreamDomain !== undefined && !/^[A-Za-z0-9_-]+$/.test(jetstreamDomain)) {
    throw new UsageError(`invalid JetStream domain '${jetstreamDomain}' (from ${from("jetstream_domain")}): use letters, digits, - and _, such as hub or garage`);
  }
  for (const [key, value] of [["jetstream_api_prefix", jetstreamApiPrefix], ["inbox_prefix", inboxPrefix]] as const) {
    if (value !== undefined && (/[\s*>]/.test(value) || value.startsWith(".") || value.endsWith(".") || value.includes(".."))) {
      throw new UsageError(`invalid ${key === "inbox_prefix" ? "inbox" : "JetStream API"} prefix '${value}' (from ${from(key)}): use a subject prefix without spaces or wildcards, such as $JS.hub.API`);
    }
  }
  if (jetstreamDomain !== undefined && jetstreamApiPrefix !== undefined) {
    const order: Source[] = ["flag", "env", "context"];
    const d = order.indexOf(sources.jetstream_domain!);
    const p = order.indexOf(sources.jetstream_api_prefix!);
    if (d === p) {
      throw new UsageError(`a JetStream domain (${from("jetstream_domain")}) and an API prefix (${from("jetstream_api_prefix")}) both given: give one; domain D means API prefix $JS.D.API`);
    }
    if (d < p) {
      jetstreamApiPrefix = undefined;
      delete sources.jetstream_api_prefix;
    } else {
      jetstreamDomain = undefined;
      delete sources.jetstream_domain;
    }
  }
  return { jetstreamDomain, jetstreamApiPrefix, inboxPrefix };
}

/** Splits `nats://user:pass@host` / `nats://token@host` into the URL without credentials and the credentials. */
export function splitUrlCredentials(url: string): { url: string; user?: string; password?: string; token?: string } {
  const m = /^([a-z]+:\/\/)?([^@/]+)@(.*)$/i.exec(url);
  if (!m) return { url };
  const [, scheme = "", userinfo = "", rest = ""] = m;
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const colon = userinfo.indexOf(":");
  return colon === -1
    ? { url: scheme + rest, token: decode(userinfo) }
    : { url: scheme + rest, user: decode(userinfo.slice(0, colon)), password: decode(userinfo.slice(colon + 1)) };
}

/** A URL with any user:password@ part masked: server URLs may carry credentials and must never be printed. */
export function redactUrl(url: string): string {
  return maskUrlCredentials(url);
}

export function describeServers(resolved: ResolvedConnection): string {
  return resolved.servers.map(redactUrl).join(",");
}

const FLAG_OF: Record<string, string> = {
  server: "--server",
  user: "--user",
  password: "--password",
  token: "--token",
  creds: "--creds",
  nkey: "--nkey",
  tlscert: "--tlscert",
  tlskey: "--tlskey",
  tlsca: "--tlsca",
  tlsfirst: "--tlsfirst",
  timeout: "--timeout",
  jetstream_domain: "--js-domain",
  jetstream_api_prefix: "--js-api-prefix",
  inbox_prefix: "--inbox-prefix",
};
const ENV_OF: Record<string, string> = {
  server: "NATS_URL",
  user: "NATS_USER",
  password: "NATS_PASSWORD",
  token: "NATS_TOKEN",
  creds: "NATS_CREDS",
  nkey: "NATS_NKEY",
  tlscert: "NATS_CERT",
  tlskey: "NATS_KEY",
  tlsca: "NATS_CA",
  timeout: "NATS_TIMEOUT",
  jetstream_domain: "NATS_JS_DOMAIN",
  jetstream_api_prefix: "NATS_JS_API_PREFIX",
  inbox_prefix: "NATS_INBOX_PREFIX",
};

/** Where a setting came from, as the user would find it: `--creds`, `NATS_CREDS`, `context 'pi'`, `default`. */
export function settingOrigin(resolved: ResolvedConnection, key: string): string {
  if (resolved.credentialsFromUrl && (key === "user" || key === "password" || key === "token")) {
    return `the URL in ${settingOrigin(resolved, "server")}`;
  }
  switch (resolved.sources[key]) {
    case "flag":
      return FLAG_OF[key] ?? `--${key}`;
    case "env":
      return ENV_OF[key] ?? key;
    case "context":
      return `context '${resolved.context?.name ?? "?"}'`;
    default:
      return "default";
  }
}

export interface EffectiveSetting {
  setting: string;
  /** What may be shown: secrets masked, file settings as paths, URLs without credentials. */
  value: string;
  source: Source;
  /** The flag, variable or context it came from. */
  origin: string;
}

/** The settings a connection will use, with where each came from; safe to print. */
export function effectiveSettings(resolved: ResolvedConnection): EffectiveSetting[] {
  const rows: EffectiveSetting[] = [];
  const add = (setting: string, key: string, value: string | undefined) => {
    if (value === undefined) return;
    rows.push({ setting, value, source: resolved.sources[key] ?? "default", origin: settingOrigin(resolved, key) });
  };
  add("server", "server", describeServers(resolved));
  add("user", "user", resolved.user);
  add("password", "password", resolved.password === undefined ? undefined : MASK);
  // buildConnectOptions sends user/password when both are configured; say so rather than list a dead token.
  add("token", "token", resolved.token === undefined ? undefined : resolved.user !== undefined ? `${MASK} (not used: user/password win)` : MASK);
  add("creds", "creds", resolved.credsFile);
  add("nkey", "nkey", resolved.nkeyFile);
  add("tlscert", "tlscert", resolved.tls?.certFile);
  add("tlskey", "tlskey", resolved.tls?.keyFile);
  add("tlsca", "tlsca", resolved.tls?.caFile);
  add("tlsfirst", "tlsfirst", resolved.tls?.handshakeFirst ? "yes" : undefined);
  add("timeout", "timeout", formatDuration(resolved.timeoutMs));
  add("jetstream_domain", "jetstream_domain", resolved.jetstreamDomain);
  add("jetstream_api_prefix", "jetstream_api_prefix", resolved.jetstreamApiPrefix);
  add("inbox_prefix", "inbox_prefix", resolved.inboxPrefix);
  for (const unused of resolved.unusedAuth) {
    const shown = unused.key === "password" || unused.key === "token" ? MASK : unused.value;
    const origin = settingOrigin({ ...resolved, credentialsFromUrl: false, sources: { [unused.key]: unused.source } }, unused.key);
    rows.push({ setting: unused.key, value: `${shown} (not used: ${unused.winner} wins)`, source: unused.source, origin });
  }
  return rows;
}

function readSecretFile(path: string, what: string, origin: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new RuntimeError(`cannot read ${what} file ${path} (${code}, from ${origin}): check the path and its permissions`);
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
    const creds = new TextDecoder().decode(readSecretFile(resolved.credsFile, "credentials", settingOrigin(resolved, "creds")));
    // nats.js only finds the parts when it is asked to sign; check the shape now, when the user can act on it.
    if (!/-----BEGIN NATS USER JWT-----/.test(creds) || !/-----BEGIN USER NKEY SEED-----/.test(creds)) {
      throw new RuntimeError(
        `the credentials file ${resolved.credsFile} (from ${settingOrigin(resolved, "creds")}) holds no NATS user JWT and seed: use a .creds file made by nsc or 'nats auth'`,
      );
    }
    authenticators.push(core.credsAuthenticator(new TextEncoder().encode(creds)));
  }
  if (resolved.nkeyFile) {
    const origin = settingOrigin(resolved, "nkey");
    const seed = new TextDecoder().decode(readSecretFile(resolved.nkeyFile, "nkey seed", origin)).trim();
    if (!seed.startsWith("SU")) {
      throw new RuntimeError(`the nkey file ${resolved.nkeyFile} (from ${origin}) does not hold a user nkey seed (a line starting with SU)`);
    }
    authenticators.push(core.nkeyAuthenticator(new TextEncoder().encode(seed)));
  }
  if (authenticators.length > 0) options.authenticator = authenticators;
  if (resolved.tls) {
    options.tls = {};
    // nats.js reads these files itself (again on each reconnect, so renewed certificates are picked up);
    // checking them here turns "doesn't exist" deep in a handshake into a line naming the flag.
    const files = [
      ["certFile", "tlscert", "TLS client certificate"],
      ["keyFile", "tlskey", "TLS client key"],
      ["caFile", "tlsca", "TLS CA certificate"],
    ] as const;
    for (const [field, key, what] of files) {
      const path = resolved.tls[field];
      if (!path) continue;
      readSecretFile(path, what, settingOrigin(resolved, key));
      options.tls[field] = path;
    }
    if (resolved.tls.handshakeFirst) options.tls.handshakeFirst = true;
  }
  return options;
}

/** The credentials a connection presents, for authorization errors; never the secrets themselves. */
function describeCredentials(resolved: ResolvedConnection): string {
  const from = (key: string) => settingOrigin(resolved, key);
  const parts: string[] = [];
  if (resolved.credsFile) parts.push(`creds file ${resolved.credsFile} (from ${from("creds")})`);
  if (resolved.nkeyFile) parts.push(`nkey file ${resolved.nkeyFile} (from ${from("nkey")})`);
  if (resolved.user !== undefined) {
    parts.push(
      resolved.password === undefined
        ? `user '${resolved.user}' (from ${from("user")}) without a password`
        : `user '${resolved.user}' (from ${from("user")}) and its password (from ${from("password")})`,
    );
  } else if (resolved.token !== undefined) {
    parts.push(`a token (from ${from("token")})`);
  }
  return parts.join(" + ");
}

// Node's codes for "the server's certificate does not chain to a CA we trust".
const UNTRUSTED_CERT_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/** OpenSSL messages are `id:error:code:SSL routines:func:reason:file:line:`; the reason is what a user can read. */
function sslReason(e: { reason?: unknown; message?: string }): string {
  if (typeof e.reason === "string" && e.reason !== "") return e.reason;
  const m = /routines:[^:]*:([^:]+)/.exec(e.message ?? "");
  return (m?.[1] ?? (e.message ?? "").split("\n")[0] ?? "").trim();
}

/** Turns nats.js connect failures into one actionable line (never including secrets). */
export function describeConnectError(err: unknown, resolved: ResolvedConnection): RuntimeError {
  if (err instanceof RuntimeError) return err;
  if (err instanceof UsageError) return err as unknown as RuntimeError;
  const where = describeServers(resolved);
  const fail = (what: string) => new RuntimeError(`cannot connect to ${where}: ${what}`);
  type ErrorShape = { name?: string; message?: string; code?: string; reason?: string; cause?: ErrorShape };
  const e = (err ?? {}) as ErrorShape;
  // nats.js wraps socket and TLS setup errors in ConnectionError; the Node error with its code is the cause.
  const inner: ErrorShape = e.cause && typeof e.cause === "object" ? e.cause : e;
  const code = e.code ?? inner.code ?? "";
  const message = (e.message ?? String(err)).split("\n")[0]!.trim();
  const tlsFlags = "--tlsca/--tlscert/--tlskey";

  if (code === "ECONNREFUSED") return fail("connection refused (is nats-server running there?)");
  if (e.name === "UserAuthenticationExpiredError" || /authentication expired/i.test(message)) {
    return fail(`authorization violation: the credentials have expired (${describeCredentials(resolved) || "none given"}); get new ones`);
  }
  if (e.name === "AuthorizationError" || /authorization violation/i.test(message)) {
    const creds = describeCredentials(resolved);
    return creds === ""
      ? fail("authorization violation: the server requires authentication (give --user/--password, --token, --creds or --nkey)")
      : fail(`authorization violation: the server refused ${creds}`);
  }
  if (/server does not support 'tls'/i.test(message)) {
    const asked = resolved.servers.some((s) => /^tls:\/\//i.test(s)) ? "the tls:// URL" : tlsFlags;
    return fail(`the server does not offer TLS, but ${asked} asks for it (use nats:// and drop the TLS options, or enable tls on the server)`);
  }
  if (UNTRUSTED_CERT_CODES.has(code)) {
    const detail = `${inner.message ?? message}`.split("\n")[0];
    if (resolved.tls?.caFile) {
      return fail(`TLS handshake failed: the server's certificate is not signed by the CA in ${resolved.tls.caFile} (${detail}; from ${settingOrigin(resolved, "tlsca")})`);
    }
    const whose = resolved.tls === undefined ? "the server requires TLS and its" : "the server's";
    return fail(`TLS handshake failed: ${whose} certificate is not signed by a CA this machine trusts (${detail}); give the CA with --tlsca`);
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return fail(`TLS handshake failed: the server's certificate is not valid for this host name (${inner.message ?? message}); connect with a name the certificate lists`);
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return fail(`TLS handshake failed: the server's certificate ${code === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet"} (check the server's certificate and this machine's clock)`);
  }
  if (code.startsWith("ERR_OSSL_") || /PEM routines|x509 certificate routines/i.test(`${inner.message}`)) {
    return fail(`cannot use the TLS files (${sslReason(inner)}): check that ${tlsFlags} are PEM files and that the key belongs to the certificate`);
  }
  if (code.startsWith("ERR_SSL_") || /SSL routines/i.test(`${inner.message}`)) {
    const reason = sslReason(inner);
    const hint = /wrong version number|unexpected eof|packet length too long/i.test(reason)
      ? resolved.tls?.handshakeFirst
        ? "the server does not start with TLS: drop --tlsfirst"
        : "is this a TLS port?"
      : /alert (bad|unknown|unsupported) cert|certificate required|alert unknown ca/i.test(reason)
        ? "the server rejected the client certificate: check --tlscert/--tlskey"
        : `check ${tlsFlags}`;
    return fail(`TLS handshake failed (${reason}); ${hint}`);
  }
  if (e.name === "TimeoutError" || /^timeout$/i.test(message)) {
    return fail(`timed out after ${resolved.timeoutMs} ms (is the address right and reachable? raise --timeout)`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return fail(`host not found (check the server address, from ${settingOrigin(resolved, "server")})`);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return fail("no route to the host (check the address and the network)");
  if (code === "ECONNRESET" || code === "EPIPE") return fail(`the server closed the connection (${code}); is this a NATS client port?`);
  return fail(message);
}

function hostPortOf(url: string): { host: string; port: number } {
  const u = new URL(url.includes("://") ? url : `nats://${url}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port === "" ? 4222 : Number(u.port) };
}

/**
 * A connect that timed out can mean a silent listener, a TLS-first server, or a TLS server that rejected our
 * client certificate after the handshake (nats.js only sees the silence). Look once more, ourselves, at the first
 * server so the message says which; undefined when the look finds nothing more specific.
 */
export async function diagnoseTimeout(resolved: ResolvedConnection): Promise<string | undefined> {
  const net = await import("node:net");
  const tls = await import("node:tls");
  const budget = Math.max(250, Math.min(resolved.timeoutMs, 2000));
  let target: { host: string; port: number };
  try {
    target = hostPortOf(resolved.servers[0]!);
  } catch {
    return undefined;
  }
  const addr = `${target.host}:${target.port}`;
  const sockets: Array<import("node:net").Socket> = [];
  const within = <T>(p: Promise<T>, fallback: T) =>
    Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), budget).unref())]);
  const tlsOptions = (): import("node:tls").ConnectionOptions => {
    const read = (f?: string) => (f ? readFileSync(f) : undefined);
    return {
      servername: net.isIP(target.host) ? undefined : target.host,
      rejectUnauthorized: true,
      ca: read(resolved.tls?.caFile),
      cert: read(resolved.tls?.certFile),
      key: read(resolved.tls?.keyFile),
    };
  };
  // After our handshake the server checks our certificate; a rejection arrives as an alert right after.
  const tlsVerdict = (sock: import("node:tls").TLSSocket) =>
    within(
      new Promise<string | undefined>((resolve) => {
        sock.once("error", (err: Error & { code?: string; reason?: string }) => {
          const reason = sslReason(err);
          // Only an alert the server sent is about our certificate; our own verification failures are not.
          if (/ALERT/.test(err.code ?? "") && /certificate|unknown ca/i.test(reason)) {
            resolve(
              resolved.tls?.certFile
                ? `TLS handshake failed: the server rejected the client certificate ${resolved.tls.certFile} (${reason}); use one signed by a CA the server trusts`
                : `TLS handshake failed: the server requires a client certificate (${reason}); give --tlscert and --tlskey`,
            );
          } else resolve(`TLS handshake failed (${reason})`);
        });
        sock.once("close", () => resolve(undefined));
      }),
      undefined,
    );
  try {
    if (resolved.tls?.handshakeFirst) {
      const sock = tls.connect({ host: target.host, port: target.port, ...tlsOptions() });
      sockets.push(sock);
      return await tlsVerdict(sock);
    }
    const sock = net.connect(target.port, target.host);
    sockets.push(sock);
    const info = await within(
      new Promise<string | undefined>((resolve) => {
        let text = "";
        sock.on("data", (d) => {
          text += d.toString("latin1");
          if (text.includes("\n")) resolve(text.split("\n")[0]);
        });
        sock.once("error", () => resolve(undefined));
        sock.once("close", () => resolve(undefined));
      }),
      "",
    );
    if (info === "") {
      return `timed out after ${resolved.timeoutMs} ms: ${addr} accepts connections but sends no NATS greeting (is it a NATS client port? a server with TLS handshake_first needs --tlsfirst)`;
    }
    if (info === undefined || !info.startsWith("INFO ")) return undefined;
    let serverInfo: { tls_required?: boolean; tls_available?: boolean };
    try {
      serverInfo = JSON.parse(info.slice(5)) as typeof serverInfo;
    } catch {
      return undefined;
    }
    if (!serverInfo.tls_required && !(resolved.tls && serverInfo.tls_available)) return undefined;
    sock.removeAllListeners("data");
    const secured = tls.connect({ socket: sock, ...tlsOptions() });
    sockets.push(secured);
    return await tlsVerdict(secured);
  } catch {
    return undefined;
  } finally {
    for (const s of sockets) s.destroy();
  }
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
  // nats.js 3.3 leaves the socket of a first connect that timed out open, which keeps a one-shot command
  // alive forever; watch the sockets created while connecting and close the ones left behind on failure.
  const dc = await import("node:diagnostics_channel");
  const created: import("node:net").Socket[] = [];
  const onSocket = (message: unknown) => created.push((message as { socket: import("node:net").Socket }).socket);
  dc.subscribe("net.client.socket", onSocket);
  try {
    nc = await connect(options);
  } catch (err) {
    dc.unsubscribe("net.client.socket", onSocket);
    const ports = new Set(resolved.servers.map((s) => {
      try {
        return hostPortOf(s).port;
      } catch {
        return -1;
      }
    }));
    for (const socket of created) if (!socket.destroyed && ports.has(socket.remotePort ?? -1)) socket.destroy();
    const described = describeConnectError(err, resolved);
    if ((err as Error)?.name === "TimeoutError") {
      const diagnosis = await diagnoseTimeout(resolved);
      if (diagnosis) throw new RuntimeError(`cannot connect to ${describeServers(resolved)}: ${diagnosis}`);
    }
    throw described;
  }
  dc.unsubscribe("net.client.socket", onSocket);
  const sink = opts.onStatus === undefined ? (line: string) => process.stderr.write(`nsm4home: ${line}\n`) : opts.onStatus;
  // Error texts and URLs here come from servers (-ERR, INFO connect_urls): escaped like event text.
  const report = sink && ((line: string) => sink(sanitizeText(line)));
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
