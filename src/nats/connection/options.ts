// The nats.js connection options for a resolved connection: credentials and TLS files read and checked here,
// so a bad file is a line naming the flag it came from rather than a failure deep in a handshake.
import { readFileSync } from "node:fs";
import { RuntimeError } from "../../errors.js";
import { settingOrigin } from "./provenance.js";
import type { ResolvedConnection } from "./types.js";

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
    // As nats.go reads it: the first line that starts with SU, so a seed between -----BEGIN/END USER NKEY SEED-----
    // lines (as nsc writes it) works as well as a bare one.
    const text = new TextDecoder().decode(readSecretFile(resolved.nkeyFile, "nkey seed", origin));
    const seed = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line.startsWith("SU"));
    if (seed === undefined) {
      throw new RuntimeError(`the nkey file ${resolved.nkeyFile} (from ${origin}) does not hold a user nkey seed (a line starting with SU)`);
    }
    // nats.js decodes the seed only when the server asks it to sign: a damaged one would fail as "nkeys: invalid checksum".
    try {
      (await import("@nats-io/nkeys")).fromSeed(new TextEncoder().encode(seed));
    } catch (err) {
      throw new RuntimeError(`the nkey file ${resolved.nkeyFile} (from ${origin}) holds a damaged seed (${(err as Error).message}): copy it again whole`);
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
      const content = readSecretFile(path, what, settingOrigin(resolved, key));
      // Node ignores what is not a certificate in a CA file: the handshake would blame the server's certificate.
      if (field !== "keyFile" && !new TextDecoder().decode(content).includes("-----BEGIN CERTIFICATE-----")) {
        throw new RuntimeError(`the ${what} file ${path} (from ${settingOrigin(resolved, key)}) holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the certificate, not a key or another file`);
      }
      options.tls[field] = path;
    }
    if (resolved.tls.handshakeFirst) options.tls.handshakeFirst = true;
  }
  return options;
}
