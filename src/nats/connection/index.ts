// Connections to NATS, a file per job: types.ts (flags in, resolved settings out), resolve.ts (flags > environment
// > natscli context > defaults), provenance.ts (where each setting came from), urls.ts (credentials in URLs),
// options.ts (nats.js options, credential and TLS files), diagnose.ts (why a connect failed), connect.ts.
export { DEFAULT_SERVER, type ConnectionFlags, type ResolvedConnection, type Source, type TraceSettings } from "./types.js";
export { refuseInlineSecret, resolveConnectionOptions } from "./resolve.js";
export { effectiveSettings, settingOrigin, type EffectiveSetting } from "./provenance.js";
export { describeServers, redactUrl, splitUrlCredentials } from "./urls.js";
export { buildConnectOptions } from "./options.js";
export { ConnectError, describeConnectError, diagnoseTimeout, type ConnectErrorKind } from "./diagnose.js";
export { connectNats, withConnection, type ConnectOptions } from "./connect.js";
