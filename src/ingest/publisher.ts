// Publishing with a window of unacknowledged messages. JetStream mode sends each message with a reply subject on
// one wildcard inbox and matches PubAcks by token, with one timer for all deadlines: js.publish() (a request,
// a promise and a timer per message) is several times slower at the same window.
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";

export type PublishOutcome =
  | { ok: true; duplicate: boolean; seq: number }
  /** `permanent`: sending it again cannot help (too large for the server or stream); else retry later. */
  | { ok: false; permanent: boolean; reason: string };

export type PublishCallback = (outcome: PublishOutcome) => void;

export interface Publisher {
  /** Sends one message; `done` is called exactly once (ack, error, or timeout). Never throws. */
  publish(subject: string, payload: Uint8Array, msgId: string | undefined, done: PublishCallback): void;
  /** The server's max_payload now (it can change on reconnect), for rejecting oversized items up front. */
  maxPayload(): number;
  /** False while the client is reconnecting: retries wait instead of piling up in the client's buffer. */
  connected(): boolean;
  /** Publishes the server refused outright (core mode: Permissions Violation), none acknowledged. */
  refusals?(): number;
  close(): Promise<void>;
}

/** The server's max_payload, remembered across reconnects (nats.js forgets it while reconnecting). */
function maxPayloadOf(nc: NatsConnection): () => number {
  let last = nc.info?.max_payload ?? 1024 * 1024;
  return () => (last = nc.info?.max_payload ?? last);
}

/** Follows the connection's status events (nats.js allows several listeners) as one flag. */
function trackConnected(nc: NatsConnection): () => boolean {
  let up = !nc.isClosed();
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnecting") up = false;
      else if (s.type === "reconnect") up = true;
    }
  })().catch(() => undefined);
  return () => up && !nc.isClosed();
}

// JetStream API error codes for which a retry cannot succeed.
const PERMANENT_ERR_CODES = new Set([
  10054, // message size exceeds maximum allowed (the stream's max_msg_size)
]);

/** The header block of a published event: its Nats-Msg-Id and Nats-TTL, where there are any. */
export function headerText(msgId: string | undefined, ttl: string | undefined): string | undefined {
  if (msgId === undefined && ttl === undefined) return undefined;
  return `NATS/1.0\r\n${msgId === undefined ? "" : `Nats-Msg-Id: ${msgId}\r\n`}${ttl === undefined ? "" : `Nats-TTL: ${ttl}\r\n`}\r\n`;
}

/** Bytes a message occupies against max_payload: payload plus the header block, as nats.js counts it. */
export function wireSize(payloadLength: number, msgId: string | undefined, ttl?: string): number {
  return payloadLength + (headerText(msgId, ttl)?.length ?? 0);
}

interface PendingAck {
  done: PublishCallback;
  deadline: number;
  subject: string;
}

interface PubAckReply {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: { code?: number; err_code?: number; description?: string };
}

const utf8 = new TextDecoder();

/** What a reply on the PubAck inbox says about the publish to `subject`: a PubAck, a JetStream error, or a status. */
function pubAckOutcome(msg: Msg, subject: string): PublishOutcome {
  const status = msg.headers?.code ?? 0;
  if (status === 503) {
    return { ok: false, permanent: false, reason: `no JetStream stream answered for ${subject} (no responders: stream missing, or JetStream not ready yet)` };
  }
  if (status >= 400) return { ok: false, permanent: false, reason: `server status ${status} ${msg.headers?.description ?? ""}`.trim() };
  let reply: PubAckReply;
  try {
    reply = JSON.parse(utf8.decode(msg.data)) as PubAckReply;
  } catch {
    return { ok: false, permanent: false, reason: "unreadable PubAck" };
  }
  if (reply.error) {
    const code = reply.error.err_code ?? 0;
    if (code === 10054 && reply.stream) {
      const edit = `nsm4home stream edit ${reply.stream} --max-msg-size SIZE`;
      return { ok: false, permanent: true, reason: `larger than stream ${reply.stream}'s max_msg_size (err_code 10054); to store such events: ${edit}` };
    }
    return { ok: false, permanent: PERMANENT_ERR_CODES.has(code), reason: `${reply.error.description ?? "JetStream error"} (err_code ${code})` };
  }
  return { ok: true, duplicate: reply.duplicate === true, seq: reply.seq ?? 0 };
}

/** nats.js refused the publish itself (larger than max_payload, the connection closed). */
function thrownOutcome(err: unknown): PublishOutcome {
  const message = (err as Error).message ?? String(err);
  return { ok: false, permanent: /max_payload/i.test(message), reason: message.split("\n")[0]! };
}

function closedOutcome(): PublishOutcome {
  return { ok: false, permanent: false, reason: "publisher closed" };
}

export async function createJetStreamPublisher(
  nc: NatsConnection,
  opts: { timeoutMs: number; inboxPrefix?: string; ttlFor?: (subject: string) => string | undefined },
): Promise<Publisher> {
  const core = await import("@nats-io/nats-core");
  const inbox = core.createInbox(opts.inboxPrefix);
  // A Nats-Msg-Id (and a Nats-TTL) encoded in one step: the generic headers object (a Map, key
  // canonicalisation, toString, TextEncoder) costs as much per message as the rest of the publish.
  class EventHeaders extends core.MsgHdrsImpl {
    private readonly bytes: Uint8Array;
    constructor(msgId: string | undefined, ttl: string | undefined) {
      super();
      if (msgId !== undefined) this.headers.set("Nats-Msg-Id", [msgId]);
      if (ttl !== undefined) this.headers.set("Nats-TTL", [ttl]);
      this.bytes = Buffer.from(headerText(msgId, ttl)!, "latin1");
    }
    override encode(): Uint8Array {
      return this.bytes;
    }
  }
  const pending = new Map<number, PendingAck>();
  let nextToken = 0;
  let closed = false;
  const connected = trackConnected(nc);

  const settle = (token: number, outcome: PublishOutcome) => {
    const p = pending.get(token);
    // A reply after its deadline was already reported as a timeout; the retry carries the same msg-id.
    if (!p) return;
    pending.delete(token);
    p.done(outcome);
  };

  const sub: Subscription = nc.subscribe(`${inbox}.*`, {
    callback: (err, msg) => {
      if (err) return;
      const token = Number(msg.subject.slice(inbox.length + 1));
      settle(token, pubAckOutcome(msg, pending.get(token)?.subject ?? "?"));
    },
  });

  // Deadlines grow with the token, and Map iterates in insertion order: expired entries are always at the front.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [token, p] of pending) {
      if (p.deadline > now) break;
      settle(token, { ok: false, permanent: false, reason: `no PubAck within ${opts.timeoutMs} ms (is nats-server up?)` });
    }
  }, Math.max(50, Math.min(250, opts.timeoutMs / 4)));

  return {
    publish(subject, payload, msgId, done) {
      if (closed) {
        done(closedOutcome());
        return;
      }
      const token = nextToken++;
      pending.set(token, { done, deadline: Date.now() + opts.timeoutMs, subject });
      const ttl = opts.ttlFor?.(subject);
      const hdrs = msgId === undefined && ttl === undefined ? undefined : new EventHeaders(msgId, ttl);
      try {
        nc.publish(subject, payload, { reply: `${inbox}.${token}`, headers: hdrs });
      } catch (err) {
        settle(token, thrownOutcome(err));
      }
    },
    maxPayload: maxPayloadOf(nc),
    connected,
    async close() {
      closed = true;
      clearInterval(sweeper);
      for (const token of [...pending.keys()]) settle(token, closedOutcome());
      sub.unsubscribe();
    },
  };
}

/**
 * A refused core publish is answered only by `-ERR 'Permissions Violation for Publish to "subject"'`, before the
 * PONG of the flush that follows it (the server answers in order): count them per subject until that flush.
 */
function trackRefusals(nc: NatsConnection): Map<string, { count: number; reason: string }> {
  const refused = new Map<string, { count: number; reason: string }>();
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type !== "error") continue;
      const message = (s as { error?: Error }).error?.message ?? "";
      const m = /Permissions Violation for Publish to "?([^"'\s]+)"?/i.exec(message);
      if (!m) continue;
      const entry = refused.get(m[1]!) ?? { count: 0, reason: message.split("\n")[0]! };
      entry.count++;
      refused.set(m[1]!, entry);
    }
  })().catch(() => undefined);
  return refused;
}

/**
 * Core NATS publishing (--core): at-most-once. A message counts as delivered once a flush (PING/PONG) after it
 * returns, i.e. the server has read it; nothing is stored, and subscribers that are not there miss it.
 */
export function createCorePublisher(nc: NatsConnection, opts: { timeoutMs: number }): Publisher {
  let waiting: Array<{ subject: string; done: PublishCallback }> = [];
  let flushScheduled = false;
  let closed = false;
  let refusals = 0;
  const connected = trackConnected(nc);
  const refused = trackRefusals(nc);

  const flushNow = () => {
    flushScheduled = false;
    const batch = waiting;
    waiting = [];
    let finished = false;
    const timer = setTimeout(() => {
      if (finished) return;
      finished = true;
      for (const { done } of batch) done({ ok: false, permanent: false, reason: `no answer to flush within ${opts.timeoutMs} ms (is nats-server up?)` });
    }, opts.timeoutMs);
    nc.flush().then(
      () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        // The -ERRs before the PONG reach the status listener a turn later than the flush resolves.
        setTimeout(() => {
          for (const { subject, done } of batch) {
            const refusal = refused.get(subject);
            if (refusal && refusal.count > 0) {
              refusal.count--;
              refusals++;
              done({ ok: false, permanent: true, reason: `the server refused it: ${refusal.reason}` });
            } else {
              done({ ok: true, duplicate: false, seq: 0 });
            }
          }
        }, 0);
      },
      (err: Error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        for (const { done } of batch) done({ ok: false, permanent: false, reason: err.message });
      },
    );
  };

  return {
    publish(subject, payload, _msgId, done) {
      if (closed) {
        done(closedOutcome());
        return;
      }
      try {
        nc.publish(subject, payload);
      } catch (err) {
        done(thrownOutcome(err));
        return;
      }
      waiting.push({ subject, done });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushNow);
      }
    },
    maxPayload: maxPayloadOf(nc),
    connected,
    refusals: () => refusals,
    async close() {
      closed = true;
    },
  };
}
