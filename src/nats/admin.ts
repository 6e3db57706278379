// The shape of every stream/consumer admin action: resolve the connection, connect, open the JetStream manager,
// run, close. One-shot commands stay quiet about reconnects; followers (`consumer sub`) report them on stderr.
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError, UsageError } from "../errors.js";
import { isSafeText, sanitizeText } from "../text/sanitize.js";
import { withConnection, type ConnectionFlags, type ResolvedConnection } from "./connection/index.js";
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
    async (nc, resolved) => {
      try {
        return await fn({ nc, resolved, jsm: await openJetStreamManager(nc, resolved) });
      } catch (err) {
        throw withSafeMessage(err);
      }
    },
    opts.reportReconnects ? {} : { onStatus: null },
  );
}

/**
 * Error texts here quote the server (its error descriptions, names, subjects, config values in a diff): each
 * line is sanitised before the CLI prints it; the line breaks of a multi-line message are kept.
 */
export function withSafeMessage(err: unknown): unknown {
  if (!(err instanceof UsageError || err instanceof RuntimeError)) return err;
  const lines = err.message.split("\n");
  if (lines.every(isSafeText)) return err;
  const message = lines.map(sanitizeText).join("\n");
  return err instanceof UsageError ? new UsageError(message) : new RuntimeError(message, err.exitCode);
}
