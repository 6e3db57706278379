// `nsm4home ingest` as a user runs it, against real nats-server and redis-server processes: subjects from
// event_type, invalid and oversized items, --drop-invalid, Redis streams with pending entries, SIGINT while
// publishing, Redis and nats-server going away and coming back.
import { beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { Redis } from "ioredis";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { freePort } from "../helpers/ports.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { natsAndRedisForFile, readStream, streamCount, testConnection, waitForCount } from "../ingest/stream-helpers.js";

// Each test's events differ (`tag`): identical content within the stream's duplicate window is one event to JetStream.
let tag = 0;
const event = (type: string, n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ timestamp: `2026-03-01T12:00:00.${String(n).padStart(6, "0")}+0000`, event_type: type, n, tag, ...extra });

async function purge(nc: NatsConnection, stream = "suricata"): Promise<void> {
  tag++;
  await nc.request(`$JS.API.STREAM.PURGE.${stream}`, undefined, { timeout: 5000 }).catch(() => undefined);
}

describe("ingest", () => {
  const servers = natsAndRedisForFile();
  const env = isolatedEnv();

  beforeAll(async () => {
    const created = await runCli(["-s", servers.nats.url, "stream", "add", "--defaults"], { env });
    expect(created.code, created.stderr).toBe(0);
  });

  it("maps event_type to subjects; invalid, untyped and unsafe types; a 1 MB event is refused alone", async () => {
    await purge(servers.nc);
    const huge = event("fileinfo", 99, { blob: "x".repeat(1024 * 1024) });
    const input = [
      event("dns", 1),
      "this is not json",
      "[1,2,3]",
      event("a.b", 2),
      event("has space", 3),
      JSON.stringify({ timestamp: "t", n: 4 }),
      huge,
      '{"event_type": "flow", "broken": ',
      event("flow", 5),
      "",
      event("alert", 6),
    ].join("\n");
    const result = await runCli(["-s", servers.nats.url, "ingest", "--from", "-"], { env, input });
    expect(result.code, result.stderr).toBe(0);
    // 1 MiB and a few bytes against 1 MiB: "1 MiB is larger than 1 MiB" would hide why, the exact sizes show it.
    const hugeBytes = Buffer.byteLength(huge).toLocaleString("en-US");
    expect(result.stderr).toContain(`not published: an event of ${hugeBytes} bytes for suricata.fileinfo is larger than the server's max_payload (1,048,576 bytes)`);
    expect(result.stderr).toMatch(/read 10, published 9, acked 9, duplicates 0, invalid 3, unknown type 3, rejected 1/);
    const stored = await readStream(servers.nc);
    const bySubject = (s: string) => stored.filter((m) => m.subject === s).map((m) => m.data);
    expect(bySubject("suricata.dns")).toEqual([event("dns", 1)]);
    expect(bySubject("suricata.invalid")).toEqual(["this is not json", "[1,2,3]", '{"event_type": "flow", "broken": ']);
    expect(bySubject("suricata.unknown")).toEqual([event("a.b", 2), event("has space", 3), JSON.stringify({ timestamp: "t", n: 4 })]);
    expect(bySubject("suricata.flow")).toEqual([event("flow", 5)]);
    expect(bySubject("suricata.alert")).toEqual([event("alert", 6)]);
    // Stored in input order.
    expect(stored.map((m) => m.data)[0]).toBe(event("dns", 1));
    expect(stored.at(-1)!.data).toBe(event("alert", 6));
  });

  it("--drop-invalid counts and skips what is not a JSON object; escapes hostile text in its notices", async () => {
    await purge(servers.nc);
    const input = [event("dns", 1), "\u001b[31mred\u001b[0m not json", event("tls", 2)].join("\n") + "\n";
    const result = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--drop-invalid"], { env, input });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/invalid 1/);
    expect(result.stderr).toMatch(/dropped an invalid item \(not a JSON object\)/);
    expect(result.stderr).not.toContain("\u001b[31m");
    expect((await readStream(servers.nc)).map((m) => m.subject)).toEqual(["suricata.dns", "suricata.tls"]);
  });

  it("refuses to start without a stream for the prefix, naming the fix; rejects bad flags", async () => {
    const noStream = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--prefix", "nowhere"], { env, input: "" });
    expect(noStream.code).toBe(1);
    expect(noStream.stderr).toMatch(/no JetStream stream stores nowhere\.>: add --create-stream, or run 'nsm4home stream add nowhere --subjects 'nowhere\.>' --defaults'/);
    const badPrefix = await runCli(["ingest", "--from", "-", "--prefix", "a b"], { env, input: "" });
    expect(badPrefix.code).toBe(2);
    expect(badPrefix.stderr).toMatch(/invalid --prefix 'a b'/);
    const badScheme = await runCli(["ingest", "--from", "http://x/y"], { env });
    expect(badScheme.code).toBe(2);
    const badWindow = await runCli(["ingest", "--from", "-", "--window", "lots"], { env });
    expect(badWindow.code).toBe(2);
    expect(badWindow.stderr).toMatch(/invalid --window 'lots'/);
  });

  it("stops with one line when the key is not a list, or a file given with --once is missing", async () => {
    await servers.redis.set("a-string", "x");
    const wrongType = await runCli(["-s", servers.nats.url, "ingest", "--from", `${servers.redisServer.url}/a-string`], { env });
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain("Redis key a-string holds a string, and redis:// reads lists");
    // A Redis stream behind redis://: say so and name the scheme that reads it, not WRONGTYPE and a Lua SHA.
    await servers.redis.xadd("a-stream", "*", "eve", event("dns", 1));
    const aStream = await runCli(["-s", servers.nats.url, "ingest", "--from", `${servers.redisServer.url}/a-stream`], { env });
    expect(aStream.code).toBe(1);
    const port = new URL(servers.redisServer.url).port;
    expect(aStream.stderr).toContain(
      `\nnsm4home: Redis key a-stream is a Redis stream, and redis:// reads lists: use --from redis-stream://127.0.0.1:${port}/a-stream (read through a consumer group)\n`,
    );
    expect(aStream.stderr).not.toMatch(/WRONGTYPE|f_[0-9a-f]{40}|[0-9a-f]{40}/);
    await servers.redis.rpush("a-list", event("dns", 1));
    const aList = await runCli(["-s", servers.nats.url, "ingest", "--from", `${servers.redisServer.url.replace("redis:", "redis-stream:")}/a-list`], { env });
    expect(aList.code).toBe(1);
    expect(aList.stderr).toContain(`Redis key a-list is a Redis list, and redis-stream:// reads streams: use --from redis://127.0.0.1:${port}/a-list`);
    const missing = await runCli(["-s", servers.nats.url, "ingest", "--from", "/nonexistent/eve.json", "--once"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\/nonexistent\/eve.json does not exist/);
  });

  it("--core publishes without JetStream acknowledgements", async () => {
    await purge(servers.nc);
    const result = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--core"], { env, input: `${event("dns", 1)}\n${event("dns", 2)}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/core NATS .*at-most-once/);
    // The stream still captures core publishes on its subjects, without msg-ids.
    const stored = await readStream(servers.nc);
    expect(stored).toHaveLength(2);
    expect(stored[0]!.msgId).toBeUndefined();
  });

  it("reads a Redis stream in a consumer group, re-publishes this consumer's pending entries, and XACKs", async () => {
    await purge(servers.nc);
    for (let i = 0; i < 300; i++) await servers.redis.xadd("eve-stream", "*", "eve", event("dns", i));
    await servers.redis.xadd("eve-stream", "*", "other", "value");
    // A crashed ingester read 50 entries as consumer c1 and never acknowledged them.
    await servers.redis.xgroup("CREATE", "eve-stream", "nsm4home", "0");
    await servers.redis.xreadgroup("GROUP", "nsm4home", "c1", "COUNT", 50, "STREAMS", "eve-stream", ">");
    expect(((await servers.redis.xpending("eve-stream", "nsm4home")) as unknown[])[0]).toBe(50);

    const from = `redis-stream://127.0.0.1:${servers.redisServer.port}/eve-stream`;
    const result = await runCli(["-s", servers.nats.url, "ingest", "--from", from, "--consumer", "c1", "--once"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/re-published 50 entries left pending for consumer c1/);
    expect(result.stderr).toMatch(/read 301, published 301, acked 301/);
    expect(((await servers.redis.xpending("eve-stream", "nsm4home")) as unknown[])[0]).toBe(0);
    const stored = await readStream(servers.nc);
    expect(stored.slice(0, 300).map((m) => (JSON.parse(m.data) as { n: number }).n)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    // An entry without the eve field is kept whole, as JSON of its fields.
    expect(stored[300]).toMatchObject({ subject: "suricata.unknown", data: '{"other":"value"}' });
  });

  it("falls back to pipelined LMOVE when Redis refuses scripts (ACLs)", async () => {
    await purge(servers.nc);
    await servers.redis.call("ACL", "SETUSER", "noscript", "on", "nopass", "~*", "&*", "+@all", "-@scripting");
    const p = servers.redis.pipeline();
    for (let i = 0; i < 1000; i++) p.lpush("acl-list", event("dns", i));
    await p.exec();
    const result = await runCli(["-s", servers.nats.url, "ingest", "--from", `redis://noscript:x@127.0.0.1:${servers.redisServer.port}/acl-list`, "--once"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Redis refused the move script \(NOPERM.*moving items with pipelined LMOVE/);
    expect(result.stderr).toMatch(/read 1,000, published 1,000, acked 1,000/);
    expect(result.stderr).not.toContain(":x@");
    expect(await servers.redis.llen("acl-list")).toBe(0);
    expect(await servers.redis.llen("acl-list:processing")).toBe(0);
    expect((await readStream(servers.nc)).map((m) => (JSON.parse(m.data) as { n: number }).n)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("on SIGINT finishes in-flight publishes, confirms them to Redis, and exits 0", async () => {
    await purge(servers.nc);
    const total = 60_000;
    for (let i = 0; i < total; i += 5000) {
      const p = servers.redis.pipeline();
      for (let j = i; j < i + 5000; j++) p.lpush("sigint", event("flow", j));
      await p.exec();
    }
    const proc = startCli(["-s", servers.nats.url, "ingest", "--from", `${servers.redisServer.url}/sigint`, "--progress", "0"], { env });
    await waitForCount(servers.nc, (n) => n >= 5000);
    const result = await proc.stop("SIGINT");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/SIGINT: stopping; finishing \d+ in-flight publishes/);
    expect(result.stderr).toMatch(/done: read/);
    expect(await servers.redis.llen("sigint:processing")).toBe(0);
    const stored = await streamCount(servers.nc);
    expect(stored + (await servers.redis.llen("sigint"))).toBe(total);
    // Order kept: the oldest (first pushed) first.
    const first = (await readStream(servers.nc)).slice(0, 3).map((m) => (JSON.parse(m.data) as { n: number }).n);
    expect(first).toEqual([0, 1, 2]);
  });

  it("waits for Redis when it goes away and picks up again", async () => {
    await purge(servers.nc);
    const proc = startCli(["-s", servers.nats.url, "ingest", "--from", `${servers.redisServer.url}/comeback`, "--progress", "0"], { env, timeoutMs: 60_000 });
    await servers.redis.lpush("comeback", event("dns", 1));
    await waitForCount(servers.nc, (n) => n === 1);
    await servers.redisServer.kill();
    await proc.waitFor(/lost Redis|unreachable/, { stream: "stderr" });
    await servers.redisServer.restart();
    const again = new Redis(servers.redisServer.url);
    await again.lpush("comeback", event("dns", 2), event("dns", 3));
    await waitForCount(servers.nc, (n) => n === 3, 20_000);
    await proc.waitFor(/connected to Redis at .* again/, { stream: "stderr" });
    const result = await proc.stop("SIGTERM");
    expect(result.code, result.stderr).toBe(0);
    again.disconnect();
    servers.redis.disconnect();
    servers.redis = new Redis(servers.redisServer.url);
  });

  it("waits for nats-server when it is not there at start", async () => {
    tag++;
    const port = await freePort();
    const proc = startCli(["-s", `nats://127.0.0.1:${port}`, "ingest", "--from", "-", "--create-stream", "--progress", "0"], { env, timeoutMs: 60_000 });
    await proc.waitFor(/connection refused.*retrying with backoff/, { stream: "stderr" });
    const late = await startNatsServer({ port });
    try {
      proc.child.stdin!.end(`${event("dns", 1)}\n`);
      const result = await proc.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/connected to nats:\/\/127\.0\.0\.1:\d+/);
      const lateNc = await testConnection(late.url);
      expect(await streamCount(lateNc)).toBe(1);
      await lateNc.close();
    } finally {
      await late.dispose();
    }
  });

  // A server without JetStream where the test answers nothing on $JS.API: ingest's stream check waits for an answer,
  // as it does while a restarted server is still recovering JetStream from its store.
  async function silentJetStream(): Promise<{ server: Awaited<ReturnType<typeof startNatsServer>>; asked: Promise<void>; nc: NatsConnection }> {
    const server = await startNatsServer({ jetstream: false });
    const nc = await testConnection(server.url);
    let heard!: () => void;
    const asked = new Promise<void>((r) => (heard = r));
    nc.subscribe("$JS.API.>", { callback: () => heard() });
    await nc.flush();
    return { server, asked, nc };
  }

  it("asks JetStream again when the server restarts during the stream check, and stores everything", async () => {
    tag++;
    const silent = await silentJetStream();
    const port = silent.server.port;
    let restarted: Awaited<ReturnType<typeof startNatsServer>> | undefined;
    const proc = startCli(["-s", silent.server.url, "--timeout", "2s", "ingest", "--from", "-", "--create-stream", "--progress", "0"], { env, timeoutMs: 60_000 });
    try {
      await silent.asked;
      await silent.nc.close();
      await silent.server.kill();
      // The same address, now with JetStream, as a sensor's server comes back from a reboot.
      restarted = await startNatsServer({ port });
      await proc.waitFor(/no answer.*the server restarted during the stream check: asking again/, { stream: "stderr", timeoutMs: 20_000 });
      proc.child.stdin!.end(`${event("dns", 1)}\n${event("dns", 2)}\n`);
      const result = await proc.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/created stream suricata/);
      const nc = await testConnection(restarted.url);
      expect(await streamCount(nc)).toBe(2);
      await nc.close();
    } finally {
      proc.child.kill("SIGKILL");
      await silent.server.dispose();
      await restarted?.dispose();
    }
  });

  it("without a restart, a JetStream that does not answer is an error at once (exit 1, one line)", async () => {
    const silent = await silentJetStream();
    try {
      const result = await runCli(["-s", silent.server.url, "--timeout", "1s", "ingest", "--from", "-", "--create-stream", "--progress", "0"], { env, input: "" });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^nsm4home: JetStream: no answer from JetStream in time \(is JetStream enabled\? raise --timeout\)$/m);
      expect(result.stderr).not.toMatch(/asking again/);
    } finally {
      await silent.nc.close();
      await silent.server.dispose();
    }
  });
});
