import { RuntimeError } from "../../errors.js";
// Connecting: with the resolved options, diagnosing a failure, reporting reconnects through a callback.
import { sanitizeText } from "../../text/sanitize.js";
import { describeConnectError, diagnoseTimeout } from "./diagnose.js";
import { buildConnectOptions } from "./options.js";
import { resolveConnectionOptions } from "./resolve.js";
import type { ConnectionFlags, ResolvedConnection } from "./types.js";
import { describeServers, hostPortOf, redactUrl } from "./urls.js";
import { gossipGuard } from "./gossip.js";
import { trackConnection } from "./outage.js";
import { JS_API_DENIED } from "../jetstream.js";

export interface ConnectOptions {
  name?: string;
  /** Status lines (reconnecting, reconnected, ...) go here; default: stderr. Pass null for silence. */
  onStatus?: ((line: string) => void) | null;
  /** Called on each nats.js status event, for dashboards that track connection state. */
  onStatusEvent?: (status: import("@nats-io/nats-core").Status) => void;
}

/** Connects with the resolved options; reports reconnects on stderr by default. */
export async function connectNats(resolved: ResolvedConnection, opts: ConnectOptions = {}) {
  if (resolved.unreadAuth !== undefined) throw new RuntimeError(resolved.unreadAuth);
  if (resolved.unsupportedRoute !== undefined) throw new RuntimeError(resolved.unsupportedRoute);
  const { connect } = await import("@nats-io/transport-node");
  const options = await buildConnectOptions(resolved, opts.name);
  // The trace's file is opened before connecting: a file that cannot be written stops nothing half-way.
  const trace = resolved.trace && (await import("../trace.js")).traceFor(resolved.trace, resolved.jetstreamApiPrefix);
  let nc;
  // nats.js 3.3 leaves the socket of a first connect that timed out open, which keeps a one-shot command
  // alive forever; watch the sockets created while connecting and close the ones left behind on failure.
  const dc = await import("node:diagnostics_channel");
  const created: import("node:net").Socket[] = [];
  const onSocket = (message: unknown) => created.push((message as { socket: import("node:net").Socket }).socket);
  dc.subscribe("net.client.socket", onSocket);
  const sink = opts.onStatus === undefined ? (line: string) => process.stderr.write(`nsm4home: ${line}\n`) : opts.onStatus;
  // Error texts and URLs here come from servers (-ERR, INFO connect_urls): escaped like event text.
  const report = sink && ((line: string) => sink(sanitizeText(line)));
  const guard = await gossipGuard(resolved.servers[0]!, (entry) => report?.(`ignored an invalid entry in the server's connect_urls: ${entry}`));
  try {
    const connecting = connect(options);
    guard.install();
    nc = await connecting;
  } catch (err) {
    dc.unsubscribe("net.client.socket", onSocket);
    const ports = new Set(resolved.servers.map((s) => {
      try {
        return hostPortOf(s).port;
      } catch {
        return -1;
      }
    }));
    // A socket still connecting (a --timeout shorter than the handshake) has no remote port yet: judged once connected.
    const leftBehind = (socket: import("node:net").Socket) => ports.has(socket.remotePort ?? -1) && socket.destroy();
    for (const socket of created) {
      if (socket.destroyed) continue;
      if (socket.connecting) socket.once("connect", () => leftBehind(socket));
      else leftBehind(socket);
    }
    const described = describeConnectError(err, resolved);
    if ((err as Error)?.name === "TimeoutError") {
      const diagnosis = await diagnoseTimeout(resolved);
      if (diagnosis) throw diagnosis;
    }
    throw described;
  }
  dc.unsubscribe("net.client.socket", onSocket);
  if (trace) trace.install(nc);
  const tracker = trackConnection(nc.getServer(), resolved.timeoutMs);
  void nc.closed().then(() => tracker.closed());
  void (async () => {
    let attempts = 0;
    for await (const s of nc.status()) {
      opts.onStatusEvent?.(s);
      if (s.type === "disconnect") tracker.disconnected(s.server);
      else if (s.type === "reconnect") tracker.reconnected();
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
          // A JetStream API call the user may not make fails with its own, more telling, line.
          if (!JS_API_DENIED.test(s.error.message)) report(`server error: ${s.error.message}`);
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
