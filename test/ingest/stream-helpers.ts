// The servers of the ingest tests, and reading a test stream back: counts that tolerate a server being restarted,
// and every stored message.
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll } from "vitest";
import { Redis } from "ioredis";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

export interface StoredMessage {
  seq: number;
  subject: string;
  data: string;
  msgId: string | undefined;
}

/** A connection that keeps reconnecting quickly (the server under test gets killed and restarted). */
export async function testConnection(url: string): Promise<NatsConnection> {
  const { connect } = await import("@nats-io/transport-node");
  return connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100, timeout: 5000 });
}

export interface NatsAndClient {
  nats: NatsServer;
  nc: NatsConnection;
}

export interface NatsWithClient extends NatsAndClient {
  /** Closes the client and disposes of the server. */
  stop(): Promise<void>;
}

/** A nats-server with a client that reconnects quickly. */
export async function startNatsWithClient(): Promise<NatsWithClient> {
  const nats = await startNatsServer();
  const nc = await testConnection(nats.url);
  return {
    nats,
    nc,
    stop: async () => {
      await nc.close();
      await nats.dispose();
    },
  };
}

/**
 * The file's nats-server, with a client that reconnects quickly, started before its tests and stopped after them.
 * Call at the top of a describe (or of the file); the fields are there once its beforeAll hooks have run.
 */
export function natsWithClientForFile(): NatsAndClient {
  const servers = {} as NatsAndClient;
  let withClient: NatsWithClient | undefined;
  beforeAll(async () => {
    withClient = await startNatsWithClient();
    Object.assign(servers, { nats: withClient.nats, nc: withClient.nc });
  });
  afterAll(() => withClient?.stop());
  return servers;
}

export interface NatsAndRedis extends NatsAndClient {
  redisServer: RedisServer;
  /** Replaceable (after a Redis restart): the one here is disconnected at the end. */
  redis: Redis;
}

/**
 * The file's nats-server and redis-server, with a client of each, started before its tests and stopped after them:
 * natsWithClientForFile and a redis-server beside it. Call at the top of a describe; the fields are there once its
 * beforeAll hooks have run.
 */
export function natsAndRedisForFile(): NatsAndRedis {
  const servers = natsWithClientForFile() as NatsAndRedis;
  beforeAll(async () => {
    const redisServer = await startRedisServer();
    Object.assign(servers, { redisServer, redis: new Redis(redisServer.url) });
  });
  afterAll(async () => {
    servers.redis?.disconnect();
    await servers.redisServer?.dispose();
  });
  return servers;
}

/** Messages in the stream, or -1 while the server or the stream does not answer. */
export async function streamCount(nc: NatsConnection, stream = "suricata"): Promise<number> {
  try {
    const m = await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 1000 });
    const info = m.json<{ state?: { messages: number }; error?: unknown }>();
    return info.state?.messages ?? -1;
  } catch {
    return -1;
  }
}

export async function waitForCount(nc: NatsConnection, predicate: (n: number) => boolean, timeoutMs = 30_000, stream = "suricata"): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    last = await streamCount(nc, stream);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`stream ${stream} count never matched (last ${last})`);
}

/** Every message of the stream, in sequence order, through an ordered consumer. */
export async function readStream(nc: NatsConnection, stream = "suricata"): Promise<StoredMessage[]> {
  const { jetstream } = await import("@nats-io/jetstream");
  const js = jetstream(nc);
  const total = await streamCount(nc, stream);
  const out: StoredMessage[] = [];
  if (total <= 0) return out;
  const consumer = await js.consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 5000 });
  const decoder = new TextDecoder();
  for await (const m of messages) {
    out.push({ seq: m.seq, subject: m.subject, data: decoder.decode(m.data), msgId: m.headers?.get("Nats-Msg-Id") || undefined });
    if (m.info.pending === 0 && out.length >= total) break;
  }
  await messages.close();
  return out;
}

/** The duplicates ingest's closing summary reports (re-sends the stream dropped by their Nats-Msg-Id). */
export function duplicatesOf(stderr: string): number {
  const m = /done: read .*duplicates ([\d,]+)/.exec(stderr);
  if (!m) throw new Error(`no summary in:\n${stderr}`);
  return Number(m[1]!.replace(/,/g, ""));
}

/**
 * Waits until the stream stops growing: publishes a killed client had already written to its socket are still
 * stored after it died, and a count taken at once would miss them.
 */
export async function settledCount(nc: NatsConnection, stream = "suricata", quietMs = 750): Promise<number> {
  let last = await streamCount(nc, stream);
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = await streamCount(nc, stream);
    if (now === last) return now;
    last = now;
  }
}
