// `consumer` against a real nats-server (2.9 and the newest; version-dependent parts are in consumer.versions.test.ts): one server and one stream of events for the file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, startCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { cliFor, expectExit, jsonLines, parseJson, publishEvents, splitCommand } from "./jetstream-helpers.js";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;
const NS = 1_000_000;
const HEADER = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] subj: (\S+) \/ tries: (\d+) \/ cons seq: (\d+) \/ str seq: ([\d,]+) \/ pending: ([\d,]+)$/;

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(() => server.url);
  expectExit(await cli(["stream", "add", "ev", "--subjects", "ev.>", "--defaults"]), 0);
  await publishEvents(server.url, "ev", 30);
});
afterAll(async () => {
  await server?.dispose();
});

describe("consumer add", () => {
  it("creates a pull consumer, is idempotent, and prints the edit command for a different config", async () => {
    const created = parseJson(await cli(["consumer", "add", "ev", "alerts", "--subject", "ev.dns", "--defaults", "--json"]));
    expect(created.type).toBeUndefined();
    expect(created.config).toMatchObject({ durable_name: "alerts", ack_policy: "explicit", deliver_policy: "all", replay_policy: "instant", filter_subject: "ev.dns" });
    expect(created.config.deliver_subject).toBeUndefined();
    expect(created.num_pending).toBe(10);

    const same = await cli(["consumer", "add", "ev", "alerts", "--subject", "ev.dns"]);
    expectExit(same, 0);
    expect(same.stdout).toBe("Consumer ev > alerts already exists with the same configuration\n");
    expect(same.stderr).toContain("no terminal to ask on; using defaults: --deliver all, --ack explicit, --max-deliver unlimited");

    const different = await cli(["consumer", "add", "ev", "alerts", "--subject", "ev.dns", "--max-deliver", "5", "--wait", "1m", "--description", "dns queries", "--defaults"]);
    expectExit(different, 1);
    expect(different.stdout).toBe("");
    expect(different.stderr).toMatch(/max_deliver\s+unlimited → 5/);
    expect(different.stderr).toMatch(/ack_wait\s+30s → 1m/);
    const command = different.stderr.split("\n").find((l) => l.trim().startsWith("nsm4home consumer edit"))!.trim();
    expect(command).toBe("nsm4home consumer edit ev alerts --max-deliver 5 --wait 1m --description 'dns queries'");
    expectExit(await cli(splitCommand(command).slice(1)), 0);
    expectExit(await cli(["consumer", "add", "ev", "alerts", "--subject", "ev.dns", "--max-deliver", "5", "--wait", "1m", "--description", "dns queries", "--defaults"]), 0);
  });

  it("takes every --deliver form, and a relative start stays idempotent", async () => {
    // nats-server 2.9 wants a filter with last-per-subject; its refusal is one line with the err_code.
    const lps = await cli(["consumer", "add", "ev", "lps", "--deliver", "last-per-subject", "--defaults"]);
    expectExit(lps, 1);
    expect(lps.stderr).toMatch(/^nsm4home: consumer add ev lps: .*filter subject is not set \(err_code 10094, status 400\)\n$/);
    const cases: Array<[string, Record<string, unknown>]> = [
      ["new", { deliver_policy: "new" }],
      ["last", { deliver_policy: "last" }],
      ["last-per-subject", { deliver_policy: "last_per_subject" }],
      ["12", { deliver_policy: "by_start_sequence", opt_start_seq: 12 }],
      ["2024-05-01T00:00:00Z", { deliver_policy: "by_start_time", opt_start_time: "2024-05-01T00:00:00Z" }],
    ];
    for (const [i, [deliver, expected]] of cases.entries()) {
      const ci = parseJson(await cli(["consumer", "add", "ev", `d${i}`, "--deliver", deliver, "--subject", "ev.>", "--defaults", "--json"]));
      expect(ci.config).toMatchObject(expected);
    }
    const rel = parseJson(await cli(["consumer", "add", "ev", "rel", "--deliver", "1h", "--defaults", "--json"]));
    expect(rel.config.deliver_policy).toBe("by_start_time");
    expect(Math.abs(Date.parse(rel.config.opt_start_time) - (Date.now() - 3_600_000))).toBeLessThan(60_000);
    expectExit(await cli(["consumer", "add", "ev", "rel", "--deliver", "1h", "--defaults"]), 0);
    const bad = await cli(["consumer", "add", "ev", "bad", "--deliver", "yesterday", "--defaults"]);
    expectExit(bad, 2);
    expect(bad.stderr).toContain("invalid --deliver 'yesterday': use all, new, last, last-per-subject");
  });

  it("makes a push consumer with --target, and refuses push flags without it", async () => {
    const ci = parseJson(
      await cli(["consumer", "add", "ev", "pusher", "--target", "out.ev", "--heartbeat", "5s", "--flow-control", "--ack", "all", "--replay", "instant", "--max-pending", "50", "--defaults", "--json"]),
    );
    expect(ci.config).toMatchObject({ deliver_subject: "out.ev", idle_heartbeat: 5000 * NS, flow_control: true, ack_policy: "all", max_ack_pending: 50 });
    const info = await cli(["consumer", "info", "ev", "pusher"]);
    expect(info.stdout).toMatch(/ Delivery Subject: out\.ev\n/);
    expect(info.stdout).toMatch(/ Flow Control: true\n/);
    expect(info.stdout).toMatch(/ Idle Heartbeat: 5s\n/);
    expect(info.stdout).toMatch(/ Active Interest: No interest\n/);
    const r = await cli(["consumer", "add", "ev", "nopush", "--heartbeat", "5s", "--defaults"]);
    expectExit(r, 2);
    expect(r.stderr).toBe("nsm4home: --heartbeat need --target SUBJECT (a push consumer)\n");
    expectExit(await cli(["consumer", "add", "ev", "x", "--ack", "sometimes", "--defaults"]), 2);
    expectExit(await cli(["consumer", "add", "ev", "x", "--wait", "soon", "--defaults"]), 2);
    expectExit(await cli(["consumer", "add", "ev", "--defaults"]), 2);
  });

  it("ephemeral consumers get a server name; unknown streams are one line with err_code 10059", async () => {
    const ci = parseJson(await cli(["consumer", "add", "ev", "--ephemeral", "--inactive-threshold", "30s", "--defaults", "--json"]));
    expect(ci.config.durable_name).toBeUndefined();
    expect(ci.name).toMatch(/\S+/);
    expect(ci.config.inactive_threshold).toBe(30_000 * NS);
    const r = await cli(["consumer", "add", "nostream", "c", "--defaults"]);
    expectExit(r, 1);
    expect(r.stderr).toBe("nsm4home: stream 'nostream' not found (err_code 10059); 'nsm4home stream ls' lists the streams\n");
  });
});

describe("consumer info, ls, edit, rm", () => {
  it("info shows Configuration and State like natscli; ls is a table", async () => {
    expectExit(await cli(["consumer", "add", "ev", "flows", "--subject", "ev.flow", "--defaults"]), 0);
    const r = await cli(["consumer", "info", "ev", "flows"]);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^Information for Consumer ev > flows created \d{4}-/);
    expect(r.stdout).toMatch(/\nConfiguration:\n\n\s+Name: flows\n\s+Pull Mode: true\n\s+Filter Subject: ev\.flow\n\s+Deliver Policy: All\n\s+Ack Policy: Explicit\n\s+Ack Wait: 30s\n/);
    expect(r.stdout).toMatch(/ Last Delivered Message: Consumer sequence: 0 Stream sequence: 0\n/);
    expect(r.stdout).toMatch(/ Acknowledgment Floor: Consumer sequence: 0 Stream sequence: 0\n/);
    expect(r.stdout).toMatch(/ Outstanding Acks: 0 out of maximum 1,000\n/);
    expect(r.stdout).toMatch(/ Redelivered Messages: 0\n/);
    expect(r.stdout).toMatch(/ Unprocessed Messages: 10\n/);
    expect(r.stdout).toMatch(/ Waiting Pulls: 0 of maximum 512\n/);
    expect(parseJson(await cli(["consumer", "info", "ev", "flows", "--json"])).num_pending).toBe(10);

    const ls = await cli(["consumer", "ls", "ev"]);
    expectExit(ls, 0);
    expect(ls.stdout.split("\n")[0]).toMatch(/^Name\s+Mode\s+Filter\s+Ack\s+Last Delivered Seq\s+Ack Pending\s+Unprocessed\s+Redelivered$/);
    expect(ls.stdout).toMatch(/\nflows\s+pull\s+ev\.flow\s+Explicit\s+0\s+0\s+10\s+0\n/);
    const names = (await cli(["consumer", "ls", "ev", "--names"])).stdout.split("\n");
    expect(names).toContain("flows");
    expect(parseJson<any[]>(await cli(["consumer", "ls", "ev", "--json"])).find((c) => c.name === "flows").config.filter_subject).toBe("ev.flow");
  });

  it("edit previews with --dry-run and applies", async () => {
    expectExit(await cli(["consumer", "add", "ev", "ed", "--defaults"]), 0);
    const dry = await cli(["consumer", "edit", "ev", "ed", "--max-deliver", "3", "--max-pending", "20", "--dry-run"]);
    expectExit(dry, 0);
    expect(dry.stdout).toMatch(/^Changes to consumer ev > ed:\n/);
    expect(dry.stdout).toMatch(/max_deliver\s+unlimited → 3/);
    expect(dry.stdout).toContain("(dry run: nothing was changed)");
    expect(parseJson(await cli(["consumer", "info", "ev", "ed", "--json"])).config.max_deliver).toBe(-1);
    const applied = parseJson(await cli(["consumer", "edit", "ev", "ed", "--max-deliver", "3", "--max-pending", "20", "--json"]));
    expect(applied.config).toMatchObject({ max_deliver: 3, max_ack_pending: 20 });
    expectExit(await cli(["consumer", "edit", "ev", "ed"]), 2);
  });

  it("rm asks for -f without a terminal", async () => {
    expectExit(await cli(["consumer", "add", "ev", "bye", "--defaults"]), 0);
    const refused = await cli(["consumer", "rm", "ev", "bye"]);
    expectExit(refused, 2);
    expect(refused.stderr).toContain("pass -f (--force) to remove consumer ev > bye");
    expect((await cli(["consumer", "rm", "ev", "bye", "-f"])).stdout).toBe("Consumer ev > bye removed\n");
    expectExit(await cli(["consumer", "info", "ev", "bye"]), 1);
  });
});

describe("consumer next and sub", () => {
  it("next prints a header and the event, acks after writing, and can nak, term or not ack", async () => {
    expectExit(await cli(["consumer", "add", "ev", "reader", "--subject", "ev.tls", "--defaults"]), 0);
    const three = await cli(["consumer", "next", "ev", "reader", "--count", "3", "--color", "never"]);
    expectExit(three, 0);
    const lines = three.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(6);
    const headers = [lines[0]!, lines[2]!, lines[4]!].map((l) => HEADER.exec(l));
    expect(headers.map((h) => h?.[1])).toEqual(["ev.tls", "ev.tls", "ev.tls"]);
    expect(headers.map((h) => h?.[2])).toEqual(["1", "1", "1"]);
    expect(headers.map((h) => h?.[3])).toEqual(["1", "2", "3"]);
    expect(headers.map((h) => h?.[4])).toEqual(["3", "6", "9"]);
    expect(headers.map((h) => h?.[5])).toEqual(["9", "8", "7"]);
    expect(lines[1]).toMatch(/TLS/);
    expect(lines[1]).toContain("site2.example.org");
    let ci = parseJson(await cli(["consumer", "info", "ev", "reader", "--json"]));
    expect(ci.ack_floor.stream_seq).toBe(9);
    expect(ci.num_ack_pending).toBe(0);

    const nak = jsonLines((await cli(["consumer", "next", "ev", "reader", "--nak", "--json"])).stdout)[0];
    expect(nak).toMatchObject({ stream: "ev", consumer: "reader", seq: 12, delivery_count: 1, subject: "ev.tls", event: { event_type: "tls" } });
    const again = jsonLines((await cli(["consumer", "next", "ev", "reader", "--term", "--json"])).stdout)[0];
    expect(again).toMatchObject({ seq: 12, delivery_count: 2 });
    const unacked = jsonLines((await cli(["consumer", "next", "ev", "reader", "--no-ack", "--json"])).stdout)[0];
    expect(unacked.seq).toBe(15);
    ci = parseJson(await cli(["consumer", "info", "ev", "reader", "--json"]));
    expect(ci.num_ack_pending).toBe(1);
    expect(ci.num_redelivered).toBe(0);

    expectExit(await cli(["consumer", "next", "ev", "reader", "--nak", "--term"]), 2);
  });

  it("next exits 1 naming the wait when no message comes, and refuses push consumers", async () => {
    expectExit(await cli(["consumer", "add", "ev", "empty", "--subject", "ev.nothing", "--defaults"]), 0);
    const started = Date.now();
    const r = await cli(["--timeout", "1s", "consumer", "next", "ev", "empty"]);
    expectExit(r, 1);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(r.stderr).toBe("nsm4home: no message from consumer 'empty' within 1s (received 0 of 1); raise --timeout or check 'nsm4home consumer info ev empty'\n");
    expectExit(await cli(["consumer", "add", "ev", "pushy", "--target", "out.pushy", "--defaults"]), 0);
    const push = await cli(["consumer", "next", "ev", "pushy"]);
    expectExit(push, 1);
    expect(push.stderr).toContain("is a push consumer");
  });

  it("takes the earlier spellings --filter (add) and --wait (next) with one note each on stderr", async () => {
    const added = await cli(["consumer", "add", "ev", "oldstyle", "--filter", "ev.tls", "--defaults", "--json"]);
    expectExit(added, 0);
    expect(parseJson(added).config.filter_subject).toBe("ev.tls");
    expect(added.stderr).toBe("nsm4home: --filter is now --subject (--filter is a JMESPath condition in tail, stream view and tui); the old spelling still works\n");
    const next = await cli(["consumer", "next", "ev", "oldstyle", "--wait", "1s"]);
    expectExit(next, 0);
    expect(next.stderr).toBe("nsm4home: --wait is now --timeout (--wait is the ack wait in consumer add and edit, as in natscli); the old spelling still works\n");
    // Neither shows in --help.
    const help = (await cli(["consumer", "add", "--help"])).stdout + (await cli(["consumer", "next", "--help"])).stdout;
    expect(help).not.toMatch(/--filter|--wait <duration>\s+how long/);
  });

  it("sub follows pull and push consumers, acking, until --count or an interrupt", async () => {
    expectExit(await cli(["consumer", "add", "ev", "follow", "--defaults"]), 0);
    const pulled = jsonLines((await cli(["consumer", "sub", "ev", "follow", "--count", "5", "--json"])).stdout);
    expect(pulled.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(parseJson(await cli(["consumer", "info", "ev", "follow", "--json"])).ack_floor.stream_seq).toBe(5);

    expectExit(await cli(["consumer", "add", "ev", "pushfollow", "--target", "out.follow", "--heartbeat", "2s", "--flow-control", "--defaults"]), 0);
    const proc = startCli(["-s", server.url, "--no-context", "consumer", "sub", "ev", "pushfollow", "--color", "never"], { env: isolatedEnv() });
    await proc.waitFor((t) => t.split("\n").filter((l) => HEADER.test(l)).length >= 30);
    const done = await proc.stop("SIGINT");
    expect(done.code).toBe(0);
    const seqs = done.stdout.split("\n").map((l) => HEADER.exec(l)?.[4]).filter(Boolean);
    expect(seqs.slice(0, 3)).toEqual(["1", "2", "3"]);
    await new Promise((r) => setTimeout(r, 200));
    expect(parseJson(await cli(["consumer", "info", "ev", "pushfollow", "--json"])).ack_floor.stream_seq).toBe(30);
  });
});
