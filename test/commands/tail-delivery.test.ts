// `tail` on a push consumer's delivery subject, as with `nats sub`: each event with its consumer, sequences,
// delivery count and pending; --json in a field of its own; --ack acknowledges (and without it an explicit-ack
// consumer delivers again).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { startNatsWithClient, type NatsWithClient } from "../ingest/stream-helpers.js";

describe("tail on a delivery subject", () => {
  let servers: NatsWithClient;
  const env = isolatedEnv();

  beforeAll(async () => {
    servers = await startNatsWithClient();
    const url = servers.nats.url;
    expect((await runCli(["-s", url, "stream", "add", "--defaults"], { env })).code).toBe(0);
    const consumer = await runCli(
      ["-s", url, "consumer", "add", "suricata", "pusher", "--target", "stats.suricata", "--subject", "suricata.stats", "--deliver", "all", "--ack", "explicit", "--wait", "1s", "--defaults"],
      { env },
    );
    expect(consumer.code, consumer.stderr).toBe(0);
    for (let i = 1; i <= 3; i++) {
      const r = await servers.nc.request("suricata.stats", JSON.stringify({ event_type: "stats", host: "pi", stats: { uptime: i } }), { timeout: 5000 });
      expect(r.json<{ seq: number }>().seq).toBe(i);
    }
  });
  afterAll(() => servers?.stop());

  it("shows each delivery's metadata; --json carries it in its own field; --ack acknowledges", async () => {
    const url = servers.nats.url;
    // Without --ack: shown, not acknowledged.
    const first = await runCli(["-s", url, "tail", "stats.suricata", "--count", "3", "--color", "never", "--timestamps", "none"], { env });
    expect(first.code, first.stderr).toBe(0);
    const headers = first.stdout.split("\n").filter((l) => l.startsWith("[JetStream]"));
    expect(headers).toEqual([
      "[JetStream] consumer suricata > pusher · stream seq 1 · consumer seq 1 · delivered 1 · pending 2",
      "[JetStream] consumer suricata > pusher · stream seq 2 · consumer seq 2 · delivered 1 · pending 1",
      "[JetStream] consumer suricata > pusher · stream seq 3 · consumer seq 3 · delivered 1 · pending 0",
    ]);
    // Redelivered after the ack wait, now acknowledged: delivery count 2.
    const second = await runCli(["-s", url, "tail", "stats.suricata", "--json", "--ack", "--count", "3"], { env, timeoutMs: 30_000 });
    expect(second.code, second.stderr).toBe(0);
    const events = second.stdout.trim().split("\n").map((l) => JSON.parse(l) as { stats: { uptime: number }; jetstream: Record<string, unknown> });
    expect(events.map((e) => e.stats.uptime).sort()).toEqual([1, 2, 3]);
    for (const e of events) expect(e.jetstream).toMatchObject({ stream: "suricata", consumer: "pusher", delivered: 2 });
    expect(events.map((e) => e.jetstream.stream_seq).sort()).toEqual([1, 2, 3]);
    // Acknowledged: nothing is pending an ack, and nothing comes again.
    const deadline = Date.now() + 10_000;
    let info: { num_ack_pending: number; ack_floor: { stream_seq: number } };
    do {
      info = (await servers.nc.request("$JS.API.CONSUMER.INFO.suricata.pusher", undefined, { timeout: 5000 })).json();
      if (info.num_ack_pending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(3);
    const quiet = startCli(["-s", url, "--timeout", "2500ms", "tail", "stats.suricata", "--count", "1"], { env });
    const r = await quiet.exited;
    expect(r.stdout).toBe("");
  });

  it("--ack with a replay is a usage error", async () => {
    const r = await runCli(["-s", servers.nats.url, "tail", "dns", "--all", "--ack"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ack acknowledges a push consumer's deliveries/);
  });
});
