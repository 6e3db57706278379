// What a command asks for (its connection flags) and what it gets (the resolved settings, with their sources).
import type { NatsContext } from "../context.js";

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
  /** --trace / --trace-data / --trace-file: JetStream API traffic (and data messages) as lines. */
  trace?: TraceSettings;
}

export interface TraceSettings {
  /** Data messages too, not only JetStream API requests and replies. */
  data: boolean;
  /** Lines go to this file (appended) instead of stderr. */
  file?: string;
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
  trace?: TraceSettings;
  /** user/password or token were taken from a server URL (nats://user:pass@host); the URLs no longer hold them. */
  credentialsFromUrl?: boolean;
  /** Where each setting came from, for `context info` and debugging precedence. */
  sources: Record<string, Source>;
  /** Credentials given but not used because another method came from a higher-precedence source. */
  unusedAuth: Array<{ key: "user" | "password" | "token" | "creds" | "nkey"; value: string; source: Source; winner: string }>;
  /** Why connecting is refused before trying: the context's only sign-in is one nsm4home does not read. */
  unreadAuth?: string;
  /** Why connecting is refused before trying: the context routes through a SOCKS proxy, which nsm4home cannot use. */
  unsupportedRoute?: string;
}
