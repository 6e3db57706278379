// The one connection resolver every command uses: flags > environment > natscli context > defaults.
import { UsageError } from "../../errors.js";
import { formatDuration, parseDuration } from "../../text/units.js";
import { loadContext, selectedContextName, type NatsContext } from "../context.js";
import { ENV_OF, FLAG_OF } from "./provenance.js";
import { DEFAULT_SERVER, type ConnectionFlags, type ResolvedConnection, type Source } from "./types.js";
import { splitUrlCredentials } from "./urls.js";
import { maskUrlCredentials } from "../../text/credentials.js";
import { isLiteralSubject, isPlainToken } from "../subjects.js";

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/**
 * --creds and --nkey take file paths; a seed or creds pasted in their place would be echoed back as "the file
 * SUAB... cannot be read" (and saved as a path by 'context add'). Refused without repeating it.
 */
export function refuseInlineSecret(value: string | undefined, origin: string, what: string): void {
  if (value === undefined) return;
  if (/^\s*S[UAONCX][A-Z2-7]{50,}\s*$/.test(value) || /-----BEGIN (NATS USER JWT|USER NKEY SEED)/.test(value)) {
    throw new UsageError(`${origin} takes the path of a file holding the ${what}, not the ${what} as text: put it in a file only you can read and give that file's path`);
  }
}

/** The longest wait a timer holds (2^31-1 ms); past it Node fires at once and warns on stderr. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function parseTimeout(text: string): number {
  const ms = parseDuration(text, "--timeout");
  // 0 would mean "never wait" to some nats.js calls and "wait forever" to others: neither is a timeout.
  if (ms <= 0) throw new UsageError(`invalid --timeout '${text}': give a duration above 0, e.g. 500ms or 5s`);
  if (ms > MAX_TIMEOUT_MS) throw new UsageError(`invalid --timeout '${text}': at most ${formatDuration(MAX_TIMEOUT_MS)}`);
  return ms;
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
  const timeoutMs = timeoutText === undefined ? 5000 : parseTimeout(timeoutText);
  if (timeoutText === undefined) sources.timeout = "default";

  const settings: SettingSources = { flags, env, context, pick, sources };
  const tls = resolveTls(settings, servers);
  const { jetstreamDomain, jetstreamApiPrefix, inboxPrefix } = resolveJetStreamAccess(settings);
  const { user, password, token, credsFile, nkeyFile, unusedAuth, credentialsFromUrl, unreadAuth } = resolveAuthentication(settings, parsedUrls);

  return {
    servers,
    user,
    password,
    token,
    credentialsFromUrl,
    ...(unreadAuth === undefined ? {} : { unreadAuth }),
    // Connecting straight to the server would bypass the proxy the context asks for, or fail with a misleading error.
    ...(context?.socksProxy === undefined
      ? {}
      : { unsupportedRoute: `context '${context.name}' connects through the SOCKS proxy ${maskUrlCredentials(context.socksProxy)}, which nsm4home cannot use: run nsm4home where the server is reachable directly, with --no-context or another context` }),
    credsFile,
    nkeyFile,
    unusedAuth,
    tls,
    timeoutMs,
    context,
    jetstreamDomain,
    jetstreamApiPrefix,
    inboxPrefix,
    trace: flags.trace,
    sources,
  };
}

/** What each part of the resolver reads: the flags, the environment, the chosen context, and `pick`. */
interface SettingSources {
  flags: ConnectionFlags;
  env: NodeJS.ProcessEnv;
  context: NatsContext | undefined;
  /** The value from the first source that gives it (flag > environment > context); notes where it came from. */
  pick(key: string, flag: string | undefined, envVar: string | undefined, ctx: string | undefined): string | undefined;
  /** Where each setting came from: `context info` shows it, and errors name the flag, variable or context. */
  sources: Record<string, Source>;
}

/** TLS settings, or undefined when nothing asks for TLS (no files, no handshake-first, no tls:// URL). */
function resolveTls(
  { flags, env, context, pick, sources }: SettingSources,
  servers: string[],
): ResolvedConnection["tls"] {
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
  return certFile || keyFile || caFile || handshakeFirst || tlsScheme ? { certFile, keyFile, caFile, handshakeFirst } : undefined;
}

/**
 * User and password, token, creds or nkey. Precedence holds per authentication method, not per field: `--token`
 * must beat a context's user and password, not sit unused beside them. Lower sources may still complete the
 * winning method (`--user` with the context's password); other methods they name are dropped and listed in
 * unusedAuth. Credentials in a server URL count when no user or token was given otherwise.
 */
function resolveAuthentication(
  { flags, env, context, pick, sources }: SettingSources,
  parsedUrls: ReturnType<typeof splitUrlCredentials>[],
): Pick<ResolvedConnection, "user" | "password" | "token" | "credsFile" | "nkeyFile" | "unusedAuth" | "credentialsFromUrl" | "unreadAuth"> {
  let user = pick("user", flags.user, env.NATS_USER, context?.user);
  let password = pick("password", flags.password, env.NATS_PASSWORD, context?.password);
  let token = pick("token", flags.token, env.NATS_TOKEN, context?.token);
  let credsFile = pick("creds", flags.creds, env.NATS_CREDS, context?.creds);
  let nkeyFile = pick("nkey", flags.nkey, env.NATS_NKEY, context?.nkey);
  const originOf = (key: string) => (sources[key] === "flag" ? FLAG_OF[key]! : sources[key] === "env" ? ENV_OF[key]! : `context '${context?.name ?? "?"}'`);
  refuseInlineSecret(credsFile, originOf("creds"), "credentials");
  refuseInlineSecret(nkeyFile, originOf("nkey"), "nkey seed");
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
  // Connecting without the context's only sign-in would end in a misleading "authorization violation".
  const unreadAuth =
    best === 3 && withCredentials === undefined && context?.unreadAuth !== undefined && context.unreadAuth.length > 0
      ? `context '${context.name}' signs in with ${context.unreadAuth.join(" and ")}, which nsm4home does not read: ` +
        `give the user's creds file with --creds (or set "creds" in the context: nats context edit ${context.name})`
      : undefined;
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

  return { user, password, token, credsFile, nkeyFile, unusedAuth, credentialsFromUrl, unreadAuth };
}

/**
 * --js-domain, --js-api-prefix and --inbox-prefix, each flag > env > context. A domain and an API prefix are two
 * ways to say the same thing: the one from the higher source wins; both from the same source is a usage error.
 */
function resolveJetStreamAccess({ flags, env, context, pick, sources }: SettingSources): { jetstreamDomain?: string; jetstreamApiPrefix?: string; inboxPrefix?: string } {
  let jetstreamDomain = pick("jetstream_domain", flags.jsDomain, env.NATS_JS_DOMAIN, context?.jetstream_domain);
  let jetstreamApiPrefix = pick("jetstream_api_prefix", flags.jsApiPrefix, env.NATS_JS_API_PREFIX, context?.jetstream_api_prefix);
  const inboxPrefix = pick("inbox_prefix", flags.inboxPrefix, env.NATS_INBOX_PREFIX, context?.inbox_prefix);
  const from = (key: string) => {
    const source = sources[key];
    return source === "flag" ? FLAG_OF[key] : source === "env" ? ENV_OF[key] : `context '${context?.name ?? "?"}'`;
  };
  if (jetstreamDomain !== undefined && !isPlainToken(jetstreamDomain)) {
    throw new UsageError(`invalid JetStream domain '${jetstreamDomain}' (from ${from("jetstream_domain")}): use letters, digits, - and _, such as hub or garage`);
  }
  for (const [key, value] of [["jetstream_api_prefix", jetstreamApiPrefix], ["inbox_prefix", inboxPrefix]] as const) {
    if (value !== undefined && !isLiteralSubject(value)) {
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
