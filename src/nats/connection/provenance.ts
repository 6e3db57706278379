// Provenance: where each setting came from (`--creds`, `NATS_CREDS`, `context 'pi'`, `default`), and the settings
// a connection will use as rows safe to print (`context info`).
import { formatDuration } from "../../text/units.js";
import { MASK } from "../context.js";
import type { ResolvedConnection, Source } from "./types.js";
import { describeServers } from "./urls.js";

export const FLAG_OF: Record<string, string> = {
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
export const ENV_OF: Record<string, string> = {
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
