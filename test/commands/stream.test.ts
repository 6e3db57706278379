// `stream` against a real nats-server (2.9 and the newest; version-dependent parts are in stream.versions.test.ts): one server for the file, each test on its own stream names.
import { beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNatsServer } from "../helpers/nats-server.js";
import { cliFor, expectExit, jsonLines, parseJson, publishEvents, publishOne, splitCommand, throwawayServerForFile } from "./jetstream-helpers.js";

const { cli, server } = throwawayServerForFile();

const NS = 1_000_000;

describe("stream add", () => {
  it("creates the NSM stream, is idempotent, and shows the exact edit command for a different config", async () => {
    const created = parseJson(await cli(["stream", "add", "--defaults", "--json"]));
    expect(created.type).toBeUndefined();
    expect(created.config).toMatchObject({
      name: "suricata",
      subjects: ["suricata.>"],
      storage: "file",
      retention: "limits",
      discard: "old",
      duplicate_window: 2 * 60_000 * NS,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      max_msgs_per_subject: -1,
      max_msg_size: -1,
      num_replicas: 1,
    });

    // No terminal and no --defaults: the defaults apply and stderr says which; same config -> exit 0.
    const again = await cli(["stream", "add"]);
    expectExit(again, 0);
    expect(again.stdout).toBe("Stream suricata already exists with the same configuration\n");
    expect(again.stderr).toContain("no terminal to ask on; using defaults: NAME suricata, --subjects suricata.>, --storage file, --retention limits");

    const different = await cli(["stream", "add", "--max-age", "7d", "--max-bytes", "20GB", "--description", "home lab", "--defaults"]);
    expectExit(different, 1);
    expect(different.stdout).toBe("");
    expect(different.stderr).toContain("stream 'suricata' already exists with a different configuration; nothing was changed:");
    expect(different.stderr).toMatch(/max_age\s+unlimited → 7d/);
    expect(different.stderr).toMatch(/max_bytes\s+unlimited → 18\.6 GiB/);
    const command = different.stderr.split("\n").find((l) => l.trim().startsWith("nsm4home stream edit"))!.trim();
    // The user's own units come back (20GB, not 19531250KiB).
    expect(command).toBe("nsm4home stream edit suricata --max-bytes 20GB --max-age 7d --description 'home lab'");

    // The printed command does exactly what was asked: afterwards the same add is "the same".
    const edited = await cli(splitCommand(command).slice(1));
    expectExit(edited, 0);
    expect(edited.stdout).toContain("Stream suricata was updated");
    expectExit(await cli(["stream", "add", "--max-age", "7d", "--max-bytes", "20GB", "--description", "home lab", "--defaults"]), 0);

    const storage = await cli(["stream", "add", "--storage", "memory", "--max-age", "7d", "--max-bytes", "10GiB", "--description", "home lab", "--defaults"]);
    expectExit(storage, 1);
    expect(storage.stderr).toContain("the storage type cannot be changed in place");
  });

  it("reads --config (a `stream info --json` document) with flags on top, idempotently", async () => {
    expectExit(await cli(["stream", "add", "cfgsrc", "--subjects", "cfgsrc.>", "--max-msgs", "5000", "--max-age", "30d", "--defaults"]), 0);
    const info = parseJson(await cli(["stream", "info", "cfgsrc", "--json"]));
    const file = join(server().dir, "cfgsrc.json");
    writeFileSync(file, JSON.stringify(info));
    const copy = parseJson(await cli(["stream", "add", "cfgcopy", "--config", file, "--subjects", "cfgcopy.>", "--json"]));
    expect(copy.config).toMatchObject({ name: "cfgcopy", subjects: ["cfgcopy.>"], max_msgs: 5000, max_age: 30 * 86_400_000 * NS });
    const same = await cli(["stream", "add", "cfgcopy", "--config", file, "--subjects", "cfgcopy.>"]);
    expectExit(same, 0);
    expect(same.stdout).toContain("already exists with the same configuration");
    expect(same.stderr).toBe("");
  });

  it("names the server's err_code for overlapping subjects and impossible replicas; exit 2 for bad values", async () => {
    expectExit(await cli(["stream", "add", "ovl1", "--subjects", "ovl.>", "--defaults"]), 0);
    const overlap = await cli(["stream", "add", "ovl2", "--subjects", "ovl.dns", "--defaults"]);
    expectExit(overlap, 1);
    expect(overlap.stderr).toBe("nsm4home: stream add ovl2: subjects overlap with an existing stream (err_code 10065, status 400)\n");
    const replicas = await cli(["stream", "add", "r3", "--subjects", "r3.>", "--replicas", "3", "--defaults"]);
    expectExit(replicas, 1);
    expect(replicas.stderr).toContain("(err_code 10074");
    expect(replicas.stderr.trim().split("\n")).toHaveLength(1);

    for (const [args, text] of [
      [["--max-age", "7 days"], "invalid --max-age '7 days'"],
      [["--max-bytes", "lots"], "invalid --max-bytes 'lots'"],
      [["--retention", "forever"], "invalid --retention 'forever': use limits, interest or work"],
      [["--storage", "disk"], "invalid --storage 'disk': use file or memory"],
      [["--discard", "all"], "invalid --discard 'all': use old or new"],
    ] as const) {
      const r = await cli(["stream", "add", "bad", "--defaults", ...args]);
      expectExit(r, 2);
      expect(r.stderr).toContain(text);
    }
  });
});

describe("stream info, ls, subjects, get, view", () => {
  let payloads: string[];
  beforeAll(async () => {
    expectExit(await cli(["stream", "add", "evts", "--subjects", "evts.>", "--defaults"]), 0);
    payloads = await publishEvents(server().url, "evts", 1500);
  });

  it("info renders natscli-style sections with units, and --json is the API object", async () => {
    const r = await cli(["stream", "info", "evts"]);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^Information for Stream evts created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
    for (const section of ["Configuration:", "Limits:", "State:"]) expect(r.stdout).toContain(`\n${section}\n`);
    expect(r.stdout).not.toContain("Cluster Information:");
    expect(r.stdout).toMatch(/ Subjects: evts\.>\n/);
    expect(r.stdout).toMatch(/ Duplicate Window: 2m\n/);
    expect(r.stdout).toMatch(/ Maximum Age: unlimited\n/);
    expect(r.stdout).toMatch(/ Maximum Bytes: unlimited\n/);
    expect(r.stdout).toMatch(/ Messages: 1,500\n/);
    expect(r.stdout).toMatch(/ Bytes: \d+(\.\d)? KiB\n/);
    expect(r.stdout).toMatch(/ First Sequence: 1 @ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(/);
    expect(r.stdout).toMatch(/ Last Sequence: 1,500 @ /);
    expect(r.stdout).toMatch(/ Number of Subjects: 3\n/);
    // Labels are right-aligned: every row of a section has its colon in the same column.
    const state = r.stdout.split("State:\n\n")[1]!.trimEnd().split("\n");
    expect(new Set(state.map((l) => l.indexOf(": "))).size).toBe(1);

    const json = parseJson(await cli(["stream", "info", "evts", "--json"]));
    expect(json.state.messages).toBe(1500);
    expect(json.config.name).toBe("evts");
    expect(json).not.toHaveProperty("type");
  });

  it("ls shows a table (and --json, --names)", async () => {
    const r = await cli(["stream", "ls"]);
    expectExit(r, 0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Name\s+Subjects\s+Messages\s+Bytes\s+Last Message\s+Consumers$/);
    // On a pipe: plain columns, no ─ rule row for awk or cut to skip.
    expect(r.stdout).not.toContain("─");
    expect(lines.find((l) => l.startsWith("evts "))).toMatch(/^evts\s+evts\.>\s+1,500\s+\d+(\.\d)? KiB\s+(just now|\d+s ago)\s+0$/);
    const json = parseJson<any[]>(await cli(["stream", "ls", "--json"]));
    expect(json.map((s) => s.config.name)).toContain("evts");
    expect(json.find((s) => s.config.name === "evts").state.messages).toBe(1500);
    const names = await cli(["stream", "ls", "--names", "--subject", "evts.dns"]);
    expect(names.stdout).toBe("evts\n");
  });

  it("subjects counts messages per subject, most first", async () => {
    const r = await cli(["stream", "subjects", "evts"]);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/evts\.dns\s+500\s+33\.3%/);
    expect(r.stdout).toMatch(/total\s+1,500/);
    const json = parseJson<Array<{ subject: string; messages: number; oldest: string }>>(await cli(["stream", "subjects", "evts", "evts.dns", "--json"]));
    expect(json).toEqual([{ subject: "evts.dns", messages: 500, oldest: expect.any(String) }]);
    // The oldest dns message is the stream's first (seq 1), stored when the suite began.
    const first = parseJson(await cli(["stream", "get", "evts", "1", "--json"]));
    expect(json[0]!.oldest).toBe(first.time);
  });

  it("get shows a header and the formatted event; --raw the exact payload; --json a parseable line", async () => {
    const r = await cli(["stream", "get", "evts", "1", "--color", "never"]);
    expectExit(r, 0);
    const [header, event] = r.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] subj: evts\.dns \/ seq: 1$/);
    expect(event).toMatch(/DNS/);
    expect(event).toContain("host0.example.com");

    const raw = await cli(["stream", "get", "evts", "2", "--raw"]);
    // One message: its bytes exactly, no newline added (view --raw, for many, writes one a line).
    expect(raw.stdout).toBe(payloads[1]);

    const last = jsonLines(parseJsonText(await cli(["stream", "get", "evts", "--last-for", "evts.flow", "--json"])))[0];
    expect(last).toMatchObject({ stream: "evts", seq: 1499, subject: "evts.flow", event: { event_type: "flow" } });

    const none = await cli(["stream", "get", "evts", "99999"]);
    expectExit(none, 1);
    expect(none.stderr).toContain("no message with sequence 99999 in stream 'evts'");
    expectExit(await cli(["stream", "get", "evts"]), 2);
    expectExit(await cli(["stream", "get", "evts", "1", "--raw", "--json"]), 2);
  });

  it("shows NATS headers, escaped, in get (text and --json), view --headers and --envelope; --timestamps utc in the header line", async () => {
    expectExit(await cli(["stream", "add", "hdr", "--subjects", "hdr.>", "--defaults"]), 0);
    const { connect } = await import("@nats-io/transport-node");
    const { jetstream } = await import("@nats-io/jetstream");
    const { headers } = await import("@nats-io/nats-core");
    const nc = await connect({ servers: server().url });
    try {
      const h = headers();
      h.set("X-Sensor", "pi\u001b[2J-1");
      const event = JSON.stringify({ event_type: "dns", timestamp: "2024-05-01T12:00:00.000000+0000", dns: { type: "query", rrname: "h.example", rrtype: "A" } });
      await jetstream(nc).publish("hdr.dns", event, { msgID: "evt-1", headers: h });
    } finally {
      await nc.close();
    }
    const text = await cli(["stream", "get", "hdr", "1", "--color", "never", "--timestamps", "utc"]);
    expectExit(text, 0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\] subj: hdr\.dns \/ seq: 1$/);
    expect(lines).toContain("  Nats-Msg-Id: evt-1");
    expect(lines).toContain("  X-Sensor: pi\\x1B[2J-1");
    expect(lines.at(-1)).toContain("h.example");
    expect(text.stdout).not.toMatch(/\u001b/);
    const json = jsonLines(parseJsonText(await cli(["stream", "get", "hdr", "1", "--json"])))[0];
    expect(json.headers).toMatchObject({ "Nats-Msg-Id": ["evt-1"] });
    const envelope = jsonLines((await cli(["stream", "view", "hdr", "--envelope"])).stdout)[0];
    expect(envelope).toMatchObject({ stream: "hdr", seq: 1, headers: { "Nats-Msg-Id": ["evt-1"] }, event: { dns: { rrname: "h.example" } } });
    const view = await cli(["stream", "view", "hdr", "--headers", "--color", "never"]);
    expect(view.stdout.split("\n")).toContain("  Nats-Msg-Id: evt-1");
    const plain = await cli(["stream", "view", "hdr", "--color", "never"]);
    expect(plain.stdout).not.toContain("Nats-Msg-Id");
    const old = await cli(["stream", "get", "hdr", "1", "--color", "never", "--utc"]);
    expect(old.stdout.split("\n")[0]).toMatch(/Z\] subj: hdr\.dns/);
    expect(old.stderr).toContain("--timestamps utc");
  });

  it("never sends escape sequences from an event to the terminal", async () => {
    expectExit(await cli(["stream", "add", "esc", "--subjects", "esc.>", "--defaults"]), 0);
    const evil = JSON.stringify({ event_type: "dns", timestamp: "2024-05-01T12:00:00.000000+0000", dns: { type: "query", rrname: "a\u001b[2J\u001b]0;pwned\u0007.example", rrtype: "A" } });
    await publishOne(server().url, "esc.dns", evil);
    for (const args of [["stream", "get", "esc", "1", "--color", "never"], ["stream", "view", "esc", "--color", "never"], ["stream", "get", "esc", "1", "--json"]]) {
      const r = await cli(args);
      expectExit(r, 0);
      expect(r.stdout).not.toMatch(/[\u001b\u0007]/);
    }
  });

  it("view replays from --last/--seq/--since with --subject and --count, on a pipe", async () => {
    const last = await cli(["stream", "view", "evts", "--last", "5", "--color", "never"]);
    expectExit(last, 0);
    const seqs = (text: string) => text.trimEnd().split("\n").map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(seqs(last.stdout)).toEqual([1496, 1497, 1498, 1499, 1500]);

    const dns = await cli(["stream", "view", "evts", "--subject", "evts.dns", "--last", "3", "--color", "never"]);
    expect(seqs(dns.stdout)).toEqual([1492, 1495, 1498]);
    expect(dns.stdout.split("\n").filter(Boolean).every((l) => l.includes("DNS"))).toBe(true);

    // --envelope: where each message is around the event (what --json printed before).
    const fromSeq = jsonLines((await cli(["stream", "view", "evts", "--seq", "10", "--count", "4", "--envelope"])).stdout);
    expect(fromSeq.map((m) => m.seq)).toEqual([10, 11, 12, 13]);
    expect(fromSeq[0].event.event_type).toBe("dns");
    // --json: the event itself, as tail --json prints it, so the same jq line works on both.
    const events = jsonLines((await cli(["stream", "view", "evts", "--seq", "10", "--count", "4", "--json"])).stdout);
    expect(events).toEqual(fromSeq.map((m) => m.event));
    expectExit(await cli(["stream", "view", "evts", "--seq", "0"]), 2);

    const since = await cli(["stream", "view", "evts", "--since", "1h", "--count", "2", "--raw"]);
    expect(since.stdout).toBe(payloads[0] + "\n" + payloads[1] + "\n");

    // A minute ahead (clock skew) replays nothing and ends; an hour ahead is refused (a typo would wait silently).
    const ahead = await cli(["stream", "view", "evts", "--since", new Date(Date.now() + 60_000).toISOString()]);
    expectExit(ahead, 0);
    expect(ahead.stdout).toBe("");
    const future = await cli(["stream", "view", "evts", "--since", new Date(Date.now() + 3_600_000).toISOString()]);
    expectExit(future, 2);
    expect(future.stderr).toMatch(/is in the future, so nothing would be shown until then/);

    const all = await cli(["stream", "view", "evts", "--json"]);
    expect(jsonLines(all.stdout)).toHaveLength(1500);

    // Several subjects on 2.9 (no filter_subjects) are merged back into stream order.
    const several = await cli(["stream", "view", "evts", "--subject", "evts.dns", "--subject", "evts.tls", "--last", "4", "--color", "never"]);
    expectExit(several, 0);
    expect(seqs(several.stdout)).toEqual([1495, 1497, 1498, 1500]);
    const both = await cli(["stream", "view", "evts", "--last", "1", "--seq", "3"]);
    expectExit(both, 2);
  });

  it("prints numbers as the sensor wrote them: a 64-bit flow_id and 1e400 survive --json, --envelope, get and tail", async () => {
    expectExit(await cli(["stream", "add", "nums", "--subjects", "nums.>", "--defaults"]), 0);
    const text = '{"event_type":"flow","flow_id":18446744073709551615,"big":1e400,"ratio":1.50}';
    const { connect } = await import("@nats-io/transport-node");
    const { jetstream } = await import("@nats-io/jetstream");
    const nc = await connect({ servers: server().url });
    await jetstream(nc).publish("nums.flow", text);
    await nc.close();
    const viewed = await cli(["stream", "view", "nums", "--json"]);
    expect(viewed.stdout).toBe(text + "\n");
    const tailed = await cli(["tail", "nums.flow", "--all", "--no-follow", "--json", "--quiet"]);
    expect(tailed.stdout).toBe(text + "\n");
    for (const args of [["stream", "view", "nums", "--envelope"], ["stream", "get", "nums", "1", "--json"]]) {
      const line = (await cli(args)).stdout.trim();
      expect(line.endsWith(`"event":${text}}`), line).toBe(true);
    }
  });

  it("view takes tail's --filter and --select, with the same checks and the same output", async () => {
    // dns events are every third from seq 1 with id i = seq - 1: ids divisible by 9 are every ninth message.
    const args = ["--filter", "dns.id % `9` == `0`", "--select", "dns.rrname", "--bare"];
    const viewed = await cli(["stream", "view", "evts", "--subject", "evts.dns", "--seq", "1", "--count", "3", ...args]);
    expectExit(viewed, 0);
    expect(viewed.stdout).toBe("host0.example.com\nhost9.example.com\nhost18.example.com\n");
    // tail replays the same thing the same way, its subject given with --subject as stream view takes it.
    const tailed = await cli(["tail", "--subject", "evts.dns", "--all", "--no-follow", "--count", "3", "--quiet", ...args]);
    expectExit(tailed, 0);
    expect(tailed.stdout).toBe(viewed.stdout);
    const json = jsonLines((await cli(["stream", "view", "evts", "--filter", "tls.sni == 'site2.example.org'", "--json"])).stdout);
    expect(json).toEqual([JSON.parse(payloads[2]!)]);
    for (const bad of [["--filter", "dns.type = 'query'"], ["--bare"], ["--select", "dns.rrname", "--raw"], ["--select", "dns", "--envelope"]]) {
      const r = await cli(["stream", "view", "evts", ...bad]);
      expectExit(r, 2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("stream edit, purge, rm", () => {
  it("edit previews (--dry-run changes nothing) and applies", async () => {
    expectExit(await cli(["stream", "add", "ed", "--subjects", "ed.>", "--defaults"]), 0);
    const dry = await cli(["stream", "edit", "ed", "--max-age", "90d", "--max-msgs-per-subject", "100", "--dry-run"]);
    expectExit(dry, 0);
    expect(dry.stdout).toMatch(/^Changes to stream ed:\n/);
    expect(dry.stdout).toMatch(/max_age\s+unlimited → 90d/);
    expect(dry.stdout).toMatch(/max_msgs_per_subject\s+unlimited → 100/);
    expect(dry.stdout).toContain("(dry run: nothing was changed)");
    expect(parseJson(await cli(["stream", "info", "ed", "--json"])).config.max_age).toBe(0);

    const applied = parseJson(await cli(["stream", "edit", "ed", "--max-age", "90d", "--max-msgs-per-subject", "100", "--deny-delete", "--json"]));
    expect(applied.config).toMatchObject({ max_age: 90 * 86_400_000 * NS, max_msgs_per_subject: 100, deny_delete: true });
    const nothing = await cli(["stream", "edit", "ed", "--max-age", "90d"]);
    expect(nothing.stdout).toContain("already has this configuration");
    expectExit(await cli(["stream", "edit", "ed"]), 2);
    const unknown = await cli(["stream", "edit", "nosuch", "--max-age", "1d"]);
    expectExit(unknown, 1);
    expect(unknown.stderr).toContain("err_code 10059");
  });

  it("purge refuses without a terminal unless -f, then purges by subject, keep and seq", async () => {
    expectExit(await cli(["stream", "add", "pg", "--subjects", "pg.>", "--defaults"]), 0);
    await publishEvents(server().url, "pg", 300);
    const refused = await cli(["stream", "purge", "pg", "--subject", "pg.tls"]);
    expectExit(refused, 2);
    expect(refused.stderr).toContain("no terminal to confirm on; pass -f (--force)");
    // (--keep before --subject: nats-server 2.9 counts interior deletes as kept messages.)
    expect(parseJson(await cli(["stream", "purge", "pg", "--seq", "11", "-f", "--json"]))).toEqual({ success: true, purged: 10 });
    expect(parseJson(await cli(["stream", "purge", "pg", "--keep", "200", "-f", "--json"])).purged).toBe(90);
    const bySubject = await cli(["stream", "purge", "pg", "--subject", "pg.tls", "-f"]);
    expect(bySubject.stdout).toBe("Purged 67 messages from stream pg\n");
    expect(parseJson(await cli(["stream", "info", "pg", "--json"])).state.messages).toBe(133);
    expectExit(await cli(["stream", "purge", "pg", "--seq", "1", "--keep", "1", "-f"]), 2);
  });

  it("rm refuses without a terminal unless -f", async () => {
    expectExit(await cli(["stream", "add", "gone", "--subjects", "gone.>", "--defaults"]), 0);
    const refused = await cli(["stream", "rm", "gone"]);
    expectExit(refused, 2);
    expect(refused.stderr).toContain("pass -f (--force) to remove stream gone and its 0 messages");
    expectExit(await cli(["stream", "info", "gone"]), 0);
    const removed = await cli(["stream", "rm", "gone", "-f"]);
    expect(removed.stdout).toBe("Stream gone removed\n");
    const after = await cli(["stream", "rm", "gone", "-f"]);
    expectExit(after, 1);
    expect(after.stderr).toContain("stream 'gone' not found (err_code 10059)");
  });
});

describe("servers without JetStream or without room", () => {
  it("says JetStream is not enabled, and insufficient resources with the err_code", async () => {
    const plain = await startNatsServer({ jetstream: false });
    const small = await startNatsServer({ jetstream: false, config: `jetstream { store_dir: "${join(server().dir, "small")}", max_file_store: 1MB, max_memory_store: 1MB }` });
    try {
      const off = await cliFor(plain.url)(["stream", "ls"]);
      expectExit(off, 1);
      expect(off.stderr).toMatch(/JetStream is not enabled/);
      expect(off.stderr.trim().split("\n")).toHaveLength(1);
      const full = await cliFor(small.url)(["stream", "add", "--max-bytes", "10MiB", "--defaults"]);
      expectExit(full, 1);
      expect(full.stderr).toMatch(/^nsm4home: stream add suricata: .*(insufficient|resources).*\(err_code \d+, status \d+\)\n$/i);
    } finally {
      await Promise.all([plain.dispose(), small.dispose()]);
    }
  });
});

function parseJsonText(r: { code: number | null; stdout: string; stderr: string }): string {
  expectExit(r as never, 0);
  return r.stdout;
}
