// One ingest per Redis processing list: two of them trim each other's items off it and events are lost. The owner
// key `<processing-key>:owner` refuses a second one, lets a restart in after a kill -9 on this host or after the
// key of one on another host ran out, and a Redis user that may not write it only gets a warning.
import { hostname } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { Redis } from "ioredis";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { natsAndRedisForFile, readStream, waitForCount } from "../ingest/stream-helpers.js";

let tag = 0;
const event = (n: number) => JSON.stringify({ event_type: "dns", n, tag });

async function purge(nc: NatsConnection): Promise<void> {
  tag++;
  await nc.request("$JS.API.STREAM.PURGE.suricata", undefined, { timeout: 5000 }).catch(() => undefined);
}

describe("ingest from a Redis list: one ingest per processing list", () => {
  const servers = natsAndRedisForFile();
  const env = isolatedEnv();
  const from = (key: string, auth = "") => servers.redisServer.url.replace("redis://", `redis://${auth}`) + `/${key}`;
  const args = (key: string, ...extra: string[]) => ["-s", servers.nats.url, "ingest", "--from", from(key), "--progress", "0", ...extra];
  const asUser = (auth: string) => ["-s", servers.nats.url, "ingest", "--from", from("eve", auth), "--progress", "0", "--once"];
  const push = async (key: string, from: number, to: number) => {
    for (let n = from; n < to; n++) await servers.redis.lpush(key, event(n));
  };
  const storedNs = async () => (await readStream(servers.nc)).map((m) => JSON.parse(m.data).n as number).sort((a, b) => a - b);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  beforeAll(async () => {
    const created = await runCli(["-s", servers.nats.url, "stream", "add", "--defaults"], { env });
    expect(created.code, created.stderr).toBe(0);
  });

  it("refuses a second ingest on the same processing list in one line; its own --processing-key runs; a clean stop frees the key", async () => {
    await purge(servers.nc);
    await push("eve", 0, 10);
    const first = startCli(args("eve"), { env });
    await first.waitFor(/→ stream suricata/, { stream: "stderr", timeoutMs: 20_000 });
    await waitForCount(servers.nc, (n) => n === 10);
    expect(await servers.redis.get("eve:processing:owner")).toMatch(new RegExp(`^${hostname()} ${first.child.pid} [0-9a-f]{16}$`));

    const second = await runCli(args("eve", "--once"), { env });
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr.trim().split("\n")).toEqual([
      `nsm4home: another ingest (host ${hostname()}, pid ${first.child.pid}) is using the processing list eve:processing (owner key eve:processing:owner): stop it, or give this one its own --processing-key`,
    ]);
    const own = await runCli(args("eve", "--once", "--processing-key", "eve:b"), { env });
    expect(own.code, own.stderr).toBe(0);

    const stopped = await first.stop("SIGINT");
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await servers.redis.exists("eve:processing:owner", "eve:b:owner")).toBe(0);
    expect(await storedNs()).toEqual(range(0, 10));
  });

  it("takes over at once from an ingest killed -9 on this host, with nothing lost", async () => {
    await purge(servers.nc);
    await push("eve", 0, 5);
    const first = startCli(args("eve"), { env });
    await waitForCount(servers.nc, (n) => n === 5);
    await first.stop("SIGKILL");
    await push("eve", 5, 10);
    expect(await servers.redis.get("eve:processing:owner")).toContain(` ${first.child.pid} `);

    const started = Date.now();
    const next = await runCli(args("eve", "--once"), { env });
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(next.stderr).toContain(`nsm4home: ingest: took over eve:processing from ingest pid ${first.child.pid}, which is gone`);
    expect(await storedNs()).toEqual(range(0, 10));
    expect(await servers.redis.exists("eve:processing:owner")).toBe(0);
  });

  it("waits for the key of an ingest on another host to run out, saying so once; refuses when that one is alive", async () => {
    await purge(servers.nc);
    await push("eve", 0, 3);
    await servers.redis.set("eve:processing:owner", "sensor-2 4242 00aa", "PX", 2500);
    const waited = await runCli(args("eve", "--once"), { env });
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr.match(/waiting/g)).toHaveLength(1);
    expect(waited.stderr).toMatch(/eve:processing is owned by pid 4242 on host sensor-2 \(eve:processing:owner\): waiting up to [12]s for it to expire/);
    expect(await storedNs()).toEqual(range(0, 3));

    // That ingest is alive: it refreshes its key before it runs out.
    await servers.redis.set("eve:processing:owner", "sensor-2 4242 00aa", "PX", 3000);
    const refused = startCli(args("eve", "--once"), { env });
    await refused.waitFor(/waiting/, { stream: "stderr" });
    await new Promise((r) => setTimeout(r, 1500));
    await servers.redis.pexpire("eve:processing:owner", 30_000);
    const result = await refused.exited;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      "nsm4home: another ingest (host sensor-2, pid 4242) is using the processing list eve:processing (owner key eve:processing:owner): stop it, or give this one its own --processing-key",
    );
    await servers.redis.del("eve:processing:owner");
  });

  it("a Redis user that may not write the owner key gets one warning and ingests as before", async () => {
    await purge(servers.nc);
    await servers.redis.acl("SETUSER", "keys-only", "on", ">pw1", "~eve", "~eve:processing", "+@all");
    await servers.redis.acl("SETUSER", "no-set", "on", ">pw2", "~*", "+@all", "-set");
    await push("eve", 0, 4);
    const runs = [await runCli(asUser("keys-only:pw1@"), { env })];
    await push("eve", 4, 8);
    runs.push(await runCli(asUser("no-set:pw2@"), { env }));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      const warnings = r.stderr.split("\n").filter((l) => l.includes("owner key"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^nsm4home: ingest: cannot keep the owner key eve:processing:owner \(NOPERM[^)]*\): nothing stops a second ingest on eve:processing; run only one per processing list$/,
      );
    }
    expect(await storedNs()).toEqual(range(0, 8));
  });

  it("takes the key again after a Redis restart; when another ingest took it meanwhile, stops after confirming what it had taken (exit 1)", async () => {
    await purge(servers.nc);
    const run = startCli(args("eve"), { env, timeoutMs: 60_000 });
    await run.waitFor(/→ stream suricata/, { stream: "stderr", timeoutMs: 20_000 });
    await servers.redisServer.restart();
    await run.waitFor(/owner key eve:processing:owner was gone \(Redis restarted\?\): taken again/, { stream: "stderr", timeoutMs: 20_000 });
    expect(await servers.redis.get("eve:processing:owner")).toContain(` ${run.child.pid} `);

    await push("eve", 0, 2000);
    await waitForCount(servers.nc, (n) => n > 0);
    await servers.redis.set("eve:processing:owner", "sensor-2 77 00bb", "PX", 30_000);
    await push("eve", 2000, 4000);
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      "nsm4home: another ingest (host sensor-2, pid 77) took over eve:processing (owner key eve:processing:owner) while this one ran: stopped after confirming the events in flight; run one ingest per processing list (stop the other, or give each its own --processing-key)",
    );
    // The other owner's key is left alone, and every event is in the stream or still in Redis.
    expect(await servers.redis.get("eve:processing:owner")).toBe("sensor-2 77 00bb");
    const inRedis = [...(await servers.redis.lrange("eve", 0, -1)), ...(await servers.redis.lrange("eve:processing", 0, -1))].map((e) => JSON.parse(e).n as number);
    expect([...new Set([...(await storedNs()), ...inRedis])].sort((a, b) => a - b)).toEqual(range(0, 4000));
    await servers.redis.del("eve:processing:owner", "eve", "eve:processing");
  }, 60_000);
});
