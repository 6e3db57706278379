// JetStream access shared by every command: the manager/client with the context's domain or API prefix,
// server version checks for 2.10+ features, and API errors turned into one line with the server's err_code.
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { RuntimeError } from "../errors.js";
import type { ResolvedConnection } from "./connection/index.js";
import { recentOutage } from "./connection/outage.js";

function jetStreamOptions(resolved: ResolvedConnection) {
  return {
    timeout: resolved.timeoutMs,
    ...(resolved.jetstreamDomain ? { domain: resolved.jetstreamDomain } : {}),
    ...(resolved.jetstreamApiPrefix ? { apiPrefix: resolved.jetstreamApiPrefix } : {}),
  };
}

export async function openJetStreamManager(nc: NatsConnection, resolved: ResolvedConnection): Promise<JetStreamManager> {
  const { jetstreamManager } = await import("@nats-io/jetstream");
  try {
    return await jetstreamManager(nc, jetStreamOptions(resolved));
  } catch (err) {
    const described = describeJetStreamError(err, "JetStream");
    // "not enabled" is misleading when the user asked for another domain: the domain is what nobody answers.
    const target = resolved.jetstreamDomain !== undefined ? `domain '${resolved.jetstreamDomain}'` : resolved.jetstreamApiPrefix !== undefined ? `API prefix '${resolved.jetstreamApiPrefix}'` : undefined;
    if (target !== undefined && /not enabled|no answer from JetStream/.test(described.message)) {
      const key = resolved.jetstreamDomain !== undefined ? "jetstream_domain" : "jetstream_api_prefix";
      const { settingOrigin } = await import("./connection/index.js");
      throw new RuntimeError(
        `JetStream: nothing answers for ${target} (from ${settingOrigin(resolved, key)}): check the name; 'nsm4home server info' shows the domain of the server you reach`,
      );
    }
    throw described;
  }
}

export async function openJetStream(nc: NatsConnection, resolved: ResolvedConnection): Promise<JetStreamClient> {
  const { jetstream } = await import("@nats-io/jetstream");
  return jetstream(nc, jetStreamOptions(resolved));
}

/** "2.9.10" → [2, 9, 10]; pre-release suffixes are ignored. */
export function parseVersion(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function versionAtLeast(version: string, minimum: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(minimum);
  for (let i = 0; i < 3; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return true;
}

export function serverVersion(nc: NatsConnection): string {
  return nc.info?.version ?? "0.0.0";
}

/** Refuses, with a clear line, a feature the connected server does not have; never creates something else. */
export function requireServerVersion(nc: NatsConnection, minimum: string, feature: string): void {
  const version = serverVersion(nc);
  if (!versionAtLeast(version, minimum)) {
    throw new RuntimeError(`${feature} needs nats-server ${minimum} or newer; the server at ${nc.getServer()} runs ${version}`);
  }
}

/** The server's err_code of a JetStream API failure (10059 stream not found, ...), if it carries one. */
export function apiErrorCode(err: unknown): number | undefined {
  const e = err as { apiError?: () => { err_code?: number } };
  return typeof e?.apiError === "function" ? e.apiError().err_code : undefined;
}

export const ERR_STREAM_NOT_FOUND = 10059;

export function isStreamNotFound(err: unknown): boolean {
  return (err as Error)?.name === "StreamNotFoundError" || apiErrorCode(err) === ERR_STREAM_NOT_FOUND;
}

/** A user without the right to call the JetStream API: the server answers its requests with a permissions error. */
export const JS_API_DENIED = /Permissions Violation for Publish to "(((?:\$JS|[^"]*?)\.API)[^"]*)"/;

/**
 * JetStream did not answer at all: not enabled (here, or not yet back after a restart), no responders, or no answer
 * in time. Unlike an answer (no such stream, denied), waiting may cure it; callers that outlive restarts retry it.
 */
export class JetStreamUnavailableError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = "JetStreamUnavailableError";
  }
}

/** One line for a JetStream API failure, naming what failed and the server's err_code. */
export function describeJetStreamError(err: unknown, what: string): RuntimeError {
  if (err instanceof RuntimeError) return err;
  const e = err as { name?: string; message?: string; apiError?: () => { err_code?: number; code?: number; description?: string } };
  // "JetStream: JetStream is not enabled" says it twice: a sentence that already names what failed stands alone.
  const about = (text: string) => (text.startsWith(`${what} `) ? text : `${what}: ${text}`);
  if (e?.name === "JetStreamNotEnabled" || /jetstream not enabled/i.test(e?.message ?? "")) {
    return new JetStreamUnavailableError(about("JetStream is not enabled on this server or account (start nats-server with -js)"));
  }
  const denied = JS_API_DENIED.exec(e?.message ?? "");
  if (denied) {
    return new RuntimeError(`${what}: this user may not use the JetStream API (Permissions Violation for Publish to "${denied[1]}"): allow it to publish to ${denied[2]}.>`);
  }
  if (typeof e?.apiError === "function") {
    const api = e.apiError();
    return new RuntimeError(`${what}: ${api.description ?? e.message} (err_code ${api.err_code ?? "?"}, status ${api.code ?? "?"})`);
  }
  if (e?.name === "TimeoutError" || /timeout/i.test(e?.message ?? "")) {
    // Unanswered because the server was gone: JetStream being off or slow would be the wrong lead.
    const outage = recentOutage();
    if (outage?.down) return new JetStreamUnavailableError(`${what}: no answer: the connection to ${outage.server} is down (reconnecting until the server is back)`);
    if (outage) return new JetStreamUnavailableError(`${what}: no answer: the connection to ${outage.server} was lost meanwhile (reconnected since); try again`);
    return new JetStreamUnavailableError(`${what}: no answer from JetStream in time (is JetStream enabled? raise --timeout)`);
  }
  if (/no responders/i.test(e?.message ?? "")) {
    return new JetStreamUnavailableError(about("JetStream is not enabled on this server or account (no responders)"));
  }
  return new RuntimeError(`${what}: ${(e?.message ?? String(err)).split("\n")[0]}`);
}
