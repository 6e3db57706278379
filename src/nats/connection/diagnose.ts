// Why a connect failed, in one line a user can act on (refused, authorization, TLS, timeouts), never with secrets.
import { readFileSync } from "node:fs";
import { RuntimeError, UsageError } from "../../errors.js";
import { settingOrigin } from "./provenance.js";
import type { ResolvedConnection } from "./types.js";
import { describeServers, hostPortOf } from "./urls.js";

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

/** What kind of connect failure it was: callers decide by this (ingest retries the passing ones), never by the text. */
export type ConnectErrorKind = "refused" | "timeout" | "host-not-found" | "unreachable" | "closed" | "auth" | "tls" | "other";

/** A connect failure described for the user, with its kind. */
export class ConnectError extends RuntimeError {
  readonly kind: ConnectErrorKind;
  constructor(kind: ConnectErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** "cannot connect to SERVERS: WHAT", of its kind. */
function cannotConnect(resolved: ResolvedConnection, kind: ConnectErrorKind, what: string): ConnectError {
  return new ConnectError(kind, `cannot connect to ${describeServers(resolved)}: ${what}`);
}

/** Turns nats.js connect failures into one actionable line (never including secrets). */
export function describeConnectError(err: unknown, resolved: ResolvedConnection): RuntimeError {
  if (err instanceof RuntimeError) return err;
  if (err instanceof UsageError) return err as unknown as RuntimeError;
  const fail = (kind: ConnectErrorKind, what: string) => cannotConnect(resolved, kind, what);
  type ErrorShape = { name?: string; message?: string; code?: string; reason?: string; hostname?: string; cause?: ErrorShape };
  const e = (err ?? {}) as ErrorShape;
  // nats.js wraps socket and TLS setup errors in ConnectionError; the Node error with its code is the cause.
  const inner: ErrorShape = e.cause && typeof e.cause === "object" ? e.cause : e;
  const code = e.code ?? inner.code ?? "";
  const message = (e.message ?? String(err)).split("\n")[0]!.trim();
  const tlsFlags = "--tlsca/--tlscert/--tlskey";

  if (code === "ECONNREFUSED") return fail("refused", "connection refused (is nats-server running there?)");
  if (e.name === "UserAuthenticationExpiredError" || /authentication expired/i.test(message)) {
    return fail("auth", `authorization violation: the credentials have expired (${describeCredentials(resolved) || "none given"}); get new ones`);
  }
  if (e.name === "AuthorizationError" || /authorization violation/i.test(message)) {
    const creds = describeCredentials(resolved);
    return creds === ""
      ? fail("auth", "authorization violation: the server requires authentication (give --user/--password, --token, --creds or --nkey)")
      : fail("auth", `authorization violation: the server refused ${creds}`);
  }
  if (/server does not support 'tls'/i.test(message)) {
    const asked = resolved.servers.some((s) => /^tls:\/\//i.test(s)) ? "the tls:// URL" : tlsFlags;
    return fail("tls", `the server does not offer TLS, but ${asked} asks for it (use nats:// and drop the TLS options, or enable tls on the server)`);
  }
  if (UNTRUSTED_CERT_CODES.has(code)) {
    const detail = `${inner.message ?? message}`.split("\n")[0];
    if (resolved.tls?.caFile) {
      return fail("tls", `TLS handshake failed: the server's certificate is not signed by the CA in ${resolved.tls.caFile} (${detail}; from ${settingOrigin(resolved, "tlsca")})`);
    }
    const whose = resolved.tls === undefined ? "the server requires TLS and its" : "the server's";
    return fail("tls", `TLS handshake failed: ${whose} certificate is not signed by a CA this machine trusts (${detail}); give the CA with --tlsca`);
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return fail("tls", `TLS handshake failed: the server's certificate is not valid for this host name (${inner.message ?? message}); connect with a name the certificate lists`);
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return fail("tls", `TLS handshake failed: the server's certificate ${code === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet"} (check the server's certificate and this machine's clock)`);
  }
  if (code.startsWith("ERR_OSSL_") || /PEM routines|x509 certificate routines/i.test(`${inner.message}`)) {
    return fail("tls", `cannot use the TLS files (${sslReason(inner)}): check that ${tlsFlags} are PEM files and that the key belongs to the certificate`);
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
    return fail("tls", `TLS handshake failed (${reason}); ${hint}`);
  }
  if (e.name === "TimeoutError" || /^timeout$/i.test(message)) {
    return fail("timeout", `timed out after ${resolved.timeoutMs} ms (is the address right and reachable? raise --timeout)`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    // nats.js tries the servers a server advertised (connect_urls) after ours failed, and reports the last failure.
    const missing = (e as { hostname?: string }).hostname ?? inner.hostname;
    const ours = resolved.servers.map((s) => {
      try {
        return hostPortOf(s).host;
      } catch {
        return s;
      }
    });
    if (missing !== undefined && !ours.includes(missing)) {
      return fail("host-not-found", `the server did not complete the handshake in time, and ${missing}, which it advertises in its connect_urls, is not found (raise --timeout; the server's advertise setting should name a host this machine resolves)`);
    }
    return fail("host-not-found", `host not found (check the server address, from ${settingOrigin(resolved, "server")})`);
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return fail("unreachable", "no route to the host (check the address and the network)");
  if (code === "ECONNRESET" || code === "EPIPE") return fail("closed", `the server closed the connection (${code}); is this a NATS client port?`);
  // nats.js's text when the socket closed before the server's INFO, with no error of its own.
  if (/node provided an undefined error/i.test(message)) {
    return fail("closed", "the server closed the connection before its NATS greeting (is this a NATS client port? a proxy with nothing behind it?)");
  }
  // nats.js's own texts when no Node error code says more: "connection refused" once every server failed to
  // dial, "closed connection".
  const kind: ConnectErrorKind = /connection refused/i.test(message)
    ? "refused"
    : /closed|ECONNRESET/i.test(message)
      ? "closed"
      : /timed out/i.test(message)
        ? "timeout"
        : "other";
  return fail(kind, message);
}

/**
 * A connect that timed out can mean a silent listener, a TLS-first server, or a TLS server that rejected our
 * client certificate after the handshake (nats.js only sees the silence). Look once more, ourselves, at the first
 * server so the error says which; undefined when the look finds nothing more specific.
 */
export async function diagnoseTimeout(resolved: ResolvedConnection): Promise<ConnectError | undefined> {
  const net = await import("node:net");
  const tls = await import("node:tls");
  // A server greets (or a TLS server answers) at once: a quarter of --timeout (250 ms to 1 s) tells the cases
  // apart without the look doubling the wait the user asked for.
  const budget = Math.max(250, Math.min(resolved.timeoutMs / 4, 1000));
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
      new Promise<ConnectError | undefined>((resolve) => {
        sock.once("error", (err: Error & { code?: string; reason?: string }) => {
          const reason = sslReason(err);
          // Only an alert the server sent is about our certificate; our own verification failures are not.
          if (/ALERT/.test(err.code ?? "") && /certificate|unknown ca/i.test(reason)) {
            resolve(
              cannotConnect(
                resolved,
                "tls",
                resolved.tls?.certFile
                  ? `TLS handshake failed: the server rejected the client certificate ${resolved.tls.certFile} (${reason}); use one signed by a CA the server trusts`
                  : `TLS handshake failed: the server requires a client certificate (${reason}); give --tlscert and --tlskey`,
              ),
            );
          } else resolve(cannotConnect(resolved, "tls", `TLS handshake failed (${reason})`));
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
      const detail = `timed out after ${resolved.timeoutMs} ms: ${addr} accepts connections but sends no NATS greeting (is it a NATS client port? a server with TLS handshake_first needs --tlsfirst)`;
      return cannotConnect(resolved, "timeout", detail);
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
