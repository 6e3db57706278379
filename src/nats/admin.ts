// The shape of every stream/consumer admin action: resolve the connection, connect, open the JetStream manager,
// run, close. One-shot commands stay quiet about reconnects; followers (`consumer sub`) report them on stderr.
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { withConnection, type ConnectionFlags, type ResolvedConnection } from "./connection.js";
import { openJetStreamManager } from "./jetstream.js";

export interface JetStreamSession {
  nc: NatsConnection;
  jsm: JetStreamManager;
  resolved: ResolvedConnection;
}

export function withJetStreamManager<T>(
  flags: ConnectionFlags,
  fn: (session: JetStreamSession) => Promise<T>,
  opts: { reportReconnects?: boolean } = {},
): Promise<T> {
  return withConnection(
    flags,
    async (nc, resolved) => fn({ nc, resolved, jsm: await openJetStreamManager(nc, resolved) }),
    opts.reportReconnects ? {} : { onStatus: null },
  );
}
