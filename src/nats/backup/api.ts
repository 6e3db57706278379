// The JetStream API on the core connection, for what nats.js has no call for (snapshots and restores): the
// subject under the prefix the manager uses (domain or --js-api-prefix), JSON requests whose errors read like the
// rest of nsm4home's, and the things that end a transfer from outside (a lost connection, Ctrl-C).
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError } from "../../errors.js";
import { stringifyJson } from "../../text/json-writer.js";
import { describeJetStreamError } from "../jetstream.js";

/** `$JS.API.STREAM.SNAPSHOT.<name>` and the like, under the manager's API prefix. */
export function apiSubject(jsm: JetStreamManager, tail: string): string {
  const prefix = jsm.getOptions().apiPrefix ?? "$JS.API";
  return `${prefix.endsWith(".") ? prefix.slice(0, -1) : prefix}.${tail}`;
}

/** A JSON request to the JetStream API; the response object, or the server's error as one line naming `what`. */
export async function apiRequest(nc: NatsConnection, subject: string, body: unknown, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    // A backup.json nested thousands deep is valid JSON, and too deep for JSON.stringify: written without recursion.
    const m = await nc.request(subject, stringifyJson(body) ?? "{}", { timeout: timeoutMs });
    text = m.string();
  } catch (err) {
    throw describeJetStreamError(err, what);
  }
  return parseApiResponse(text, what);
}

export function parseApiResponse(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RuntimeError(`${what}: the server's answer is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RuntimeError(`${what}: the server's answer is not a JSON object`);
  const obj = value as Record<string, unknown>;
  const error = obj.error as { code?: unknown; err_code?: unknown; description?: unknown } | undefined;
  if (error && typeof error === "object") {
    const description = typeof error.description === "string" ? error.description : "failed";
    // The same line (and err_code lookups) as every other JetStream API failure.
    const apiError = Object.assign(new Error(description), {
      apiError: () => ({ code: Number(error.code), err_code: Number(error.err_code), description }),
    });
    throw describeJetStreamError(apiError, what);
  }
  return obj;
}

/**
 * Ends a transfer from outside: a disconnect (the server went away: the transfer cannot resume on a new
 * connection) or the abort signal (Ctrl-C). `failed` rejects with the reason; `stop` ends the watch.
 */
export function watchInterruptions(
  nc: NatsConnection,
  signal: AbortSignal | undefined,
  what: () => string,
): { failed: Promise<never>; stop: () => void; disconnected: () => boolean } {
  let active = true;
  let lost = false;
  let reject!: (err: Error) => void;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined);
  const fail = (err: Error) => {
    if (!active) return;
    active = false;
    reject(err);
  };
  void (async () => {
    for await (const s of nc.status()) {
      if (!active) break;
      if (s.type === "disconnect" || s.type === "close") {
        lost = true;
        fail(new RuntimeError(`${what()}: lost the connection to the server`));
        break;
      }
    }
  })().catch(() => undefined);
  const onAbort = () => fail(new RuntimeError(`${what()}: interrupted`, 130));
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    failed,
    stop: () => {
      active = false;
      signal?.removeEventListener("abort", onAbort);
    },
    disconnected: () => lost,
  };
}
