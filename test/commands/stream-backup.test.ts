// `stream backup` and `stream restore` against real servers (2.9: stream.tar.s2; 2.15+: stream.arc.s2): round trips
// that keep every message, subject, header, timestamp, the config and the consumers; backups natscli v0.5.0
// restores and natscli's that nsm4home restores; --name; and every way a backup or restore can fail, each one line
// with nothing half-written left behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { isolatedEnv, startCli } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { serverAtLeast } from "../helpers/server-version.js";
import { describeWithNatscli, natsOk, runNatscli } from "../helpers/natscli.js";
import { scriptBinary, startInPty } from "./pty.js";
import { cliFor, expectExit, parseJson } from "./jetstream-helpers.js";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;
let work: string;

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(() => server.url);
  work = mkdtempSync(join(tmpdir(), "nsm4home-backup-"));
  trackDir(work);
});
afterAll(async () => {
  await server?.dispose();
});

/** The archive this server's backups are in, as natscli v0.5.0 names it. */
const archiveFile = () => (serverAtLeast("2.15") ? "stream.arc.s2" : "stream.tar.s2");
const dirFor = (name: string) => join(work, name);

/** `count` messages on three subjects, each with a Nats-Msg-Id and a header of its own; payloads compress poorly. */
async function seedStream(url: string, name: string, count: number): Promise<void> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstream, jetstreamManager, AckPolicy } = await import("@nats-io/jetstream");
  const { headers } = await import("@nats-io/nats-core");
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name, subjects: [`${name}.>`], max_msgs_per_subject: -1, description: "evidence" });
    const js = jetstream(nc);
    const acks = [];
    for (let i = 0; i < count; i++) {
      const h = headers();
      h.set("Nats-Msg-Id", `${name}-${i}`);
      h.set("X-Sensor", `pi-${i % 4}`);
      const noise = Buffer.from(Array.from({ length: 96 }, (_, k) => (i * 7919 + k * 104729) % 251)).toString("base64");
      const payload = JSON.stringify({ event_type: ["dns", "flow", "alert"][i % 3], n: i, noise });
      acks.push(js.publish(`${name}.${["dns", "flow", "alert"][i % 3]}`, payload, { headers: h }));
      if (acks.length >= 250) await Promise.all(acks.splice(0));
    }
    await Promise.all(acks);
    // A durable consumer with a position: a backup takes it along by default.
    await jsm.consumers.add(name, { durable_name: "triage", ack_policy: AckPolicy.Explicit, filter_subject: `${name}.alert` });
    const c = await js.consumers.get(name, "triage");
    const batch = await c.fetch({ max_messages: 10, expires: 2000 });
    for await (const m of batch) m.ack();
    await nc.flush();
  } finally {
    await nc.close();
  }
}

interface Contents {
  config: Record<string, unknown>;
  state: { messages: number; bytes: number; first_seq: number; last_seq: number };
  messages: Array<{ seq: number; subject: string; data: string; headers: Record<string, string[]>; time: string }>;
  consumers: Array<{ name: string; ack_floor: unknown; num_pending: number }>;
}

/** Everything a restore must bring back, read message by message (a reading consumer would be backed up too). */
async function contentsOf(url: string, name: string): Promise<Contents> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstreamManager } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(name);
    const messages: Contents["messages"] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 200) {
      const seqs = Array.from({ length: Math.min(200, info.state.last_seq - seq + 1) }, (_, i) => seq + i);
      for (const m of await Promise.all(seqs.map((n) => jsm.streams.getMessage(name, { seq: n })))) {
        if (m === null) continue;
        const h: Record<string, string[]> = {};
        for (const k of m.header?.keys() ?? []) h[k] = m.header.values(k);
        messages.push({ seq: m.seq, subject: m.subject, data: m.string(), headers: h, time: m.timestamp });
      }
    }
    const consumers: Contents["consumers"] = [];
    for await (const ci of jsm.consumers.list(name)) consumers.push({ name: ci.name, ack_floor: ci.ack_floor.stream_seq, num_pending: ci.num_pending });
    // The server adds its own metadata keys (_nats.*) on 2.11+: not part of what was backed up.
    const config: Record<string, unknown> = { ...info.config };
    const metadata = Object.fromEntries(Object.entries((config.metadata ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith("_nats.")));
    config.metadata = Object.keys(metadata).length > 0 ? metadata : undefined;
    const { messages: count, bytes, first_seq, last_seq } = info.state;
    return { config, state: { messages: count, bytes, first_seq, last_seq }, messages, consumers };
  } finally {
    await nc.close();
  }
}

describe("stream backup and restore", () => {
  it("round trip: every message, subject, header and timestamp, the config and the consumer come back, checked", async () => {
    await seedStream(server.url, "evid", 2500);
    const before = await contentsOf(server.url, "evid");
    const dir = dirFor("evid");

    // Small chunks: the archive comes in many, as a large stream's would.
    const backup = await cli(["stream", "backup", "evid", dir, "--chunk-size", "16KiB", "--json"]);
    const result = parseJson(backup);
    expect(result).toMatchObject({ stream: "evid", dir, messages: 2500, bytes: before.state.bytes, first_seq: 1, last_seq: 2500, consumers: 1 });
    expect(result.files).toEqual(["backup.json", archiveFile()]);
    // How many depends on how well the archive compresses (5 or 6 here): more than one is the point.
    expect(result.chunks).toBeGreaterThan(1);
    expect(readdirSync(dir).sort()).toEqual([archiveFile(), "backup.json"].sort());
    // backup.json is natscli's: {config, state} from the snapshot response.
    const meta = JSON.parse(readFileSync(join(dir, "backup.json"), "utf8"));
    expect(Object.keys(meta).sort()).toEqual(["config", "state"]);
    expect(meta.config.name).toBe("evid");
    expect(meta.state).toMatchObject({ messages: 2500, first_seq: 1, last_seq: 2500, consumer_count: 1 });
    // Status on stderr, never a progress line on a pipe; the result on stdout.
    expect(backup.stderr).toBe(`nsm4home: backing up stream evid (2,500 messages, ${formatKiB(before.state.bytes)}) to ${dir}\n`);

    expectExit(await cli(["stream", "rm", "evid", "-f"]), 0);
    const restore = await cli(["stream", "restore", dir]);
    expectExit(restore, 0);
    expect(restore.stdout).toContain(`Restored stream evid from ${dir}: 2,500 messages`);
    expect(restore.stdout).toContain("sequences 1 to 2,500, 1 consumer");
    expect(restore.stdout).toContain("the same messages, bytes and first and last sequence as backup.json recorded");
    expect(restore.stderr).not.toContain("\r");

    const after = await contentsOf(server.url, "evid");
    expect(after.state).toEqual(before.state);
    expect(after.messages).toEqual(before.messages);
    expect(after.messages[7]!.headers).toEqual({ "Nats-Msg-Id": ["evid-7"], "X-Sensor": ["pi-3"] });
    expect(after.config).toEqual(before.config);
    expect(after.consumers).toEqual(before.consumers);
  });

  it("--json of restore names the stream, counts, files, dir and the check; the progress line is for terminals", async () => {
    await seedStream(server.url, "jsn", 300);
    const dir = dirFor("jsn");
    expectExit(await cli(["stream", "backup", "jsn", dir, "--no-consumers"]), 0);
    expect(JSON.parse(readFileSync(join(dir, "backup.json"), "utf8")).state.messages).toBe(300);
    expectExit(await cli(["stream", "rm", "jsn", "-f"]), 0);
    const r = parseJson(await cli(["stream", "restore", dir, "--json"]));
    expect(r).toMatchObject({
      stream: "jsn",
      from: "jsn",
      dir,
      files: ["backup.json", archiveFile()],
      messages: 300,
      first_seq: 1,
      last_seq: 300,
      consumers: 0,
      check: { same: true, grew: false, differences: [] },
    });
  });

  it.skipIf(!scriptBinary)("on a terminal, one progress line rewrites itself and is cleared before the result", async () => {
    await seedStream(server.url, "tty", 2000);
    const dir = dirFor("tty");
    const pty = startInPty(["-s", server.url, "--no-context", "stream", "backup", "tty", dir, "--chunk-size", "4KiB"], isolatedEnv());
    const { code, output } = await pty.exited;
    expect(code).toBe(0);
    expect(output).toMatch(/\rBacking up tty: [\d,]+ chunks?, [\d.]+ (B|KiB) received\x1b\[K/);
    expect(output).toContain("\r\x1b[KBacked up stream tty to");
  });

  it("--name restores a copy beside the original on 2.15+; older archives carry the name, and say so before sending", async () => {
    await seedStream(server.url, "orig", 1200);
    const dir = dirFor("orig");
    expectExit(await cli(["stream", "backup", "orig", dir]), 0);
    if (serverAtLeast("2.15")) {
      // The original still takes orig.>: the copy needs other subjects, said before a byte is sent.
      const overlap = await cli(["stream", "restore", dir, "--name", "orig_copy"]);
      expectExit(overlap, 1);
      expect(overlap.stderr).toBe(
        "nsm4home: stream restore orig_copy: its subject 'orig.>' overlaps stream 'orig' (orig.>): give the restored stream other subjects (--subjects 'orig_copy.>')\n",
      );
      const copy = await cli(["stream", "restore", dir, "--name", "orig_copy", "--subjects", "orig_copy.>"]);
      expectExit(copy, 0);
      expect(copy.stdout).toContain("Restored stream orig_copy (a backup of orig)");
      const original = await contentsOf(server.url, "orig");
      const restored = await contentsOf(server.url, "orig_copy");
      expect(restored.messages).toEqual(original.messages);
      expect(restored.config).toEqual({ ...original.config, name: "orig_copy", subjects: ["orig_copy.>"] });
      expect(restored.consumers).toEqual(original.consumers);
    } else {
      const refused = await cli(["stream", "restore", dir, "--name", "orig_copy", "--subjects", "orig_copy.>"]);
      expectExit(refused, 1);
      expect(refused.stderr).toBe(
        "nsm4home: stream restore: --name needs a backup taken from nats-server 2.15 or newer (stream.arc.s2); in this one (stream.tar.s2) the stream's files carry the name 'orig' and the server refuses another: restore it as 'orig' (on another server, or after 'nsm4home stream rm orig')\n",
      );
      expectExit(await cli(["stream", "info", "orig_copy"]), 1);
    }
    // Under its own name, the stream that is there is in the way.
    const exists = await cli(["stream", "restore", dir]);
    expectExit(exists, 1);
    expect(exists.stderr).toMatch(/^nsm4home: stream restore: stream 'orig' already exists: remove it first \(nsm4home stream rm orig\)/);
  });

  it("refuses a DIR with files in it (--force replaces a backup once the new one is complete); a missing stream leaves no DIR", async () => {
    await seedStream(server.url, "dirs", 200);
    const dir = dirFor("dirs");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const busy = await cli(["stream", "backup", "dirs", dir]);
    expectExit(busy, 1);
    expect(busy.stderr).toBe(`nsm4home: ${dir} already holds files (notes.txt): give a new or empty directory, or --force to replace the backup in it\n`);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);

    expectExit(await cli(["stream", "backup", "dirs", dir, "--force"]), 0);
    expect(readdirSync(dir).sort()).toEqual([archiveFile(), "backup.json", "notes.txt"].sort());
    const again = await cli(["stream", "backup", "dirs", dir]);
    expectExit(again, 1);
    expect(again.stderr).toContain("already holds a backup (");
    expectExit(await cli(["stream", "backup", "dirs", dir, "--force"]), 0);
    expect(readdirSync(dir).sort()).toEqual([archiveFile(), "backup.json", "notes.txt"].sort());

    const missing = await cli(["stream", "backup", "nosuch", dirFor("nosuch")]);
    expectExit(missing, 1);
    expect(missing.stderr).toBe("nsm4home: stream 'nosuch' not found (err_code 10059); 'nsm4home stream ls' lists the streams\n");
    expect(existsSync(dirFor("nosuch"))).toBe(false);

    const file = join(work, "plain-file");
    writeFileSync(file, "x");
    const notDir = await cli(["stream", "backup", "dirs", file]);
    expectExit(notDir, 1);
    expect(notDir.stderr).toBe(`nsm4home: ${file} exists and is not a directory: give a new or empty directory\n`);
    // Node 20's recursive mkdir spun for ever (full CPU, deaf to SIGTERM) where mkdir answers ENOENT under /proc.
    const proc = await cli(["stream", "backup", "dirs", "/proc/nsm4home-backup/sub"]);
    expectExit(proc, 1);
    expect(proc.stderr).toBe("nsm4home: cannot create /proc/nsm4home-backup/sub (ENOENT)\n");

    expectExit(await cli(["stream", "add", "inmem", "--subjects", "inmem.>", "--storage", "memory", "--defaults"]), 0);
    const memory = await cli(["stream", "backup", "inmem", dirFor("inmem")]);
    expectExit(memory, 1);
    expect(memory.stderr).toBe("nsm4home: stream backup inmem: the stream keeps its messages in memory; snapshots are for file storage (natscli refuses them too)\n");
    expect(existsSync(dirFor("inmem"))).toBe(false);

    const chunk = await cli(["stream", "backup", "dirs", dirFor("chunk"), "--chunk-size", "100"]);
    expectExit(chunk, 2);
    expect(chunk.stderr).toBe("nsm4home: invalid --chunk-size '100': use 1KiB to 1MiB\n");
  });

  it("restore refuses a missing, empty, malformed or hostile backup.json and a missing or damaged archive, one line each", async () => {
    await seedStream(server.url, "bad", 100);
    const good = dirFor("bad");
    expectExit(await cli(["stream", "backup", "bad", good]), 0);
    expectExit(await cli(["stream", "rm", "bad", "-f"]), 0);
    const variant = (name: string, meta: string | undefined, archive: "keep" | "drop" | "both" | "garbage" = "keep") => {
      const dir = dirFor(name);
      mkdirSync(dir);
      if (meta !== undefined) writeFileSync(join(dir, "backup.json"), meta);
      if (archive !== "drop") {
        const data = archive === "garbage" ? Buffer.from("not an s2 stream at all") : readFileSync(join(good, archiveFile()));
        writeFileSync(join(dir, archiveFile()), data);
        if (archive === "both") writeFileSync(join(dir, archiveFile() === "stream.tar.s2" ? "stream.arc.s2" : "stream.tar.s2"), data);
      }
      return dir;
    };
    const goodMeta = JSON.parse(readFileSync(join(good, "backup.json"), "utf8"));
    const cases: Array<[string, string]> = [
      [dirFor("nowhere"), `cannot read backup directory ${dirFor("nowhere")} (ENOENT)`],
      [variant("no-meta", undefined), `${dirFor("no-meta")}/backup.json is missing: not a backup directory, or a backup that did not finish`],
      [variant("empty-meta", ""), `${dirFor("empty-meta")}/backup.json is empty: a backup that did not finish`],
      [variant("not-json", "{config"), `${dirFor("not-json")}/backup.json is not valid JSON (`],
      [variant("no-state", JSON.stringify({ config: goodMeta.config })), `${dirFor("no-state")}/backup.json is not a stream backup: no "state" object`],
      [variant("bad-count", JSON.stringify({ ...goodMeta, state: { ...goodMeta.state, messages: "lots" } })), "is not a stream backup: state.messages is not a count"],
      // A name that would rewrite the terminal is shown escaped, never sent.
      [
        variant("hostile", JSON.stringify({ ...goodMeta, config: { ...goodMeta.config, name: "x\u001b[2J\u001b]0;pwned\u0007" } })),
        "is not a stream backup: the stream name 'x\\x1B[2J\\x1B]0;pwned\\x07' is not one a server accepts",
      ],
      [variant("no-archive", JSON.stringify(goodMeta), "drop"), `${dirFor("no-archive")} has no stream.tar.s2 or stream.arc.s2: the backup is incomplete`],
      [variant("two-archives", JSON.stringify(goodMeta), "both"), `${dirFor("two-archives")} holds both stream.arc.s2 and stream.tar.s2: keep the one that belongs to backup.json`],
      [variant("garbage", JSON.stringify(goodMeta), "garbage"), `${dirFor("garbage")}/${archiveFile()} is not an S2-compressed snapshot: the backup is damaged`],
      // Valid JSON too deep for JSON.stringify: sent as it is, refused by the server, one line.
      [variant("deep", `{"config":${JSON.stringify({ ...goodMeta.config, description: "@" }).replace('"@"', "[".repeat(50_000) + "]".repeat(50_000))},"state":${JSON.stringify(goodMeta.state)}}`), "stream restore bad: "],
      [variant("memory", JSON.stringify({ ...goodMeta, config: { ...goodMeta.config, storage: "memory" } })), "stream restore bad: the backup is of a memory stream; restores are for file storage"],
    ];
    for (const [dir, message] of cases) {
      const r = await cli(["stream", "restore", dir]);
      expectExit(r, 1);
      expect(r.stderr.split("\n").length, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain("\u001b");
    }
    expectExit(await cli(["stream", "info", "bad"]), 1);
    const badName = await cli(["stream", "restore", good, "--name", "a.b"]);
    expectExit(badName, 2);
    expect(badName.stderr).toContain("invalid stream name 'a.b'");
  });

  it("says when the restored stream is not what backup.json recorded (exit 1), and when it only grew at the end (exit 0)", async () => {
    await seedStream(server.url, "chk", 400);
    const dir = dirFor("chk");
    expectExit(await cli(["stream", "backup", "chk", dir]), 0);
    const meta = JSON.parse(readFileSync(join(dir, "backup.json"), "utf8"));
    expectExit(await cli(["stream", "rm", "chk", "-f"]), 0);

    // backup.json promises more than the archive holds.
    writeFileSync(join(dir, "backup.json"), JSON.stringify({ ...meta, state: { ...meta.state, messages: 410, last_seq: 410 } }));
    const short = await cli(["stream", "restore", dir]);
    expectExit(short, 1);
    expect(short.stdout).toContain("NOT what backup.json recorded: messages 400 where backup.json recorded 410; last sequence 400 where backup.json recorded 410");
    expect(short.stderr.split("\n").slice(-2).join("\n")).toBe(
      "nsm4home: stream restore chk: the restored stream is not what backup.json recorded: messages 400 where backup.json recorded 410; last sequence 400 where backup.json recorded 410\n",
    );

    // Fewer recorded than restored, all at the end: messages stored while the backup ran.
    expectExit(await cli(["stream", "rm", "chk", "-f"]), 0);
    writeFileSync(join(dir, "backup.json"), JSON.stringify({ ...meta, state: { ...meta.state, messages: 390, last_seq: 390, bytes: meta.state.bytes - 1000 } }));
    const grew = await cli(["stream", "restore", dir, "--json"]);
    expect(parseJson(grew).check).toMatchObject({ same: false, grew: true });
  });

  it("a server without JetStream: one line, exit 1, no DIR", async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      const noJs = cliFor(plain.url);
      const r = await noJs(["stream", "backup", "evid", dirFor("nojs")]);
      expectExit(r, 1);
      expect(r.stderr).toMatch(/^nsm4home: JetStream is not enabled on this server or account/);
      expect(r.stderr.split("\n").length).toBe(2);
      expect(existsSync(dirFor("nojs"))).toBe(false);
      const restore = await noJs(["stream", "restore", dirFor("evid")]);
      expectExit(restore, 1);
      expect(restore.stderr).toMatch(/^nsm4home: JetStream is not enabled/);
    } finally {
      await plain.dispose();
    }
  });
});

describe("a server that dies mid-transfer", () => {
  // nsm4home is paused (SIGSTOP) as the first chunks are due and the server killed meanwhile: when nsm4home runs
  // on, the connection is gone with most of the archive unsent, whatever the speed of the machine.
  it("backup: one line, exit 1, and the partial backup removed", async () => {
    const doomed = await startNatsServer();
    try {
      await seedBigStream(doomed.url, "big");
      const dir = dirFor("big-partial");
      const proc = startCli(["-s", doomed.url, "--no-context", "stream", "backup", "big", dir, "--chunk-size", "64KiB"], { env: isolatedEnv() });
      await pauseOn(proc, /backing up stream big/);
      await doomed.kill();
      process.kill(proc.child.pid!, "SIGCONT");
      const r = await proc.exited;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/\nnsm4home: stream backup big stopped after [\d,]+ chunks? \([^)]*\): lost the connection to the server; the partial backup was removed\n$/);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await doomed.dispose();
    }
  });

  it("restore: one line, exit 1, saying what may be left", async () => {
    const source = await startNatsServer();
    const dir = dirFor("big");
    try {
      await seedBigStream(source.url, "big");
      expectExit(await cliFor(source.url)(["stream", "backup", "big", dir]), 0);
    } finally {
      await source.dispose();
    }
    const doomed = await startNatsServer();
    try {
      const proc = startCli(["-s", doomed.url, "--no-context", "stream", "restore", dir], { env: isolatedEnv() });
      await pauseOn(proc, /restoring stream big/);
      await doomed.kill();
      process.kill(proc.child.pid!, "SIGCONT");
      const r = await proc.exited;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /\nnsm4home: stream restore big stopped after [\d,]+ of [\d,]+ chunks \([^)]*\): lost the connection to the server; the server may keep part of it: once it is back, 'nsm4home stream info big' shows whether stream 'big' exists \(remove it with 'nsm4home stream rm big -f'\)\n$/,
      );
      // Whatever the server kept of an unfinished restore, a restart brings no complete stream back.
      await doomed.restart();
      const info = await cliFor(doomed.url)(["stream", "info", "big", "--json"]);
      if (info.code === 0) expect(parseJson(info).state.messages).toBeLessThan(8000);
      else expect(info.stderr).toContain("stream 'big' not found");
    } finally {
      await doomed.dispose();
    }
  });
});

describe("Ctrl-C mid-transfer", () => {
  it("ends a backup with exit 130 and removes the partial backup; a restore too, removing the part of the stream it made", async () => {
    await seedBigStream(server.url, "intr");
    const dir = dirFor("intr");
    const env = isolatedEnv();
    const backup = startCli(["-s", server.url, "--no-context", "stream", "backup", "intr", dir], { env });
    await pauseOn(backup, /backing up stream intr/);
    process.kill(backup.child.pid!, "SIGINT");
    process.kill(backup.child.pid!, "SIGCONT");
    const b = await backup.exited;
    expect(b.code, b.stderr).toBe(130);
    expect(b.stderr).toMatch(/\nnsm4home: stream backup intr stopped after [\d,]+ chunks? \([^)]*\): interrupted; the partial backup was removed\n$/);
    expect(existsSync(dir)).toBe(false);

    expectExit(await cli(["stream", "backup", "intr", dir]), 0);
    expectExit(await cli(["stream", "rm", "intr", "-f"]), 0);
    const restore = startCli(["-s", server.url, "--no-context", "stream", "restore", dir], { env });
    await pauseOn(restore, /restoring stream intr/);
    process.kill(restore.child.pid!, "SIGINT");
    process.kill(restore.child.pid!, "SIGCONT");
    const r = await restore.exited;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(
      /\nnsm4home: stream restore intr stopped after [\d,]+ of [\d,]+ chunks \([^)]*\): interrupted; (removed the partial stream 'intr'|nothing was restored)\n$/,
    );
    const info = await cli(["stream", "info", "intr"]);
    expectExit(info, 1);
    expect(info.stderr).toContain("stream 'intr' not found");
  });
});

describeWithNatscli("backups natscli v0.5.0 reads and writes", () => {
  it("nsm4home backup -> nats stream restore, and nats stream backup -> nsm4home restore", async () => {
    const env = isolatedEnv();
    await seedStream(server.url, "peer", 1500);
    const before = await contentsOf(server.url, "peer");

    const ours = dirFor("peer-nsm4home");
    expectExit(await cli(["stream", "backup", "peer", ours, "--chunk-size", "8KiB"]), 0);
    expectExit(await cli(["stream", "rm", "peer", "-f"]), 0);
    const restored = await runNatscli(["-s", server.url, "stream", "restore", ours, "--no-progress"], env);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    const viaNatscli = await contentsOf(server.url, "peer");
    expect(viaNatscli.messages).toEqual(before.messages);
    expect(viaNatscli.config).toEqual(before.config);
    expect(viaNatscli.consumers).toEqual(before.consumers);

    const theirs = dirFor("peer-natscli");
    await natsOk(["-s", server.url, "stream", "backup", "peer", theirs, "--no-progress"], env);
    expect(readdirSync(theirs).sort()).toEqual([archiveFile(), "backup.json"].sort());
    expectExit(await cli(["stream", "rm", "peer", "-f"]), 0);
    const back = await cli(["stream", "restore", theirs]);
    expectExit(back, 0);
    expect(back.stdout).toContain("the same messages, bytes and first and last sequence as backup.json recorded");
    const viaNsm4home = await contentsOf(server.url, "peer");
    expect(viaNsm4home.messages).toEqual(before.messages);
    expect(viaNsm4home.config).toEqual(before.config);
    expect(viaNsm4home.consumers).toEqual(before.consumers);

    // natscli refuses to restore a backup whose backup.json is not finished; so does nsm4home, with the same file.
    renameSync(join(theirs, "backup.json"), join(theirs, "backup.json.moved"));
    writeFileSync(join(theirs, "backup.json"), "");
    expectExit(await cli(["stream", "rm", "peer", "-f"]), 0);
    expect((await runNatscli(["-s", server.url, "stream", "restore", theirs, "--no-progress"], env)).code).not.toBe(0);
    const unfinished = await cli(["stream", "restore", theirs]);
    expectExit(unfinished, 1);
    expect(unfinished.stderr).toContain("backup.json is empty: a backup that did not finish");
    rmSync(theirs, { recursive: true });
  });
});

/** SIGSTOP the moment stderr shows `pattern` (from the data event: a poll would let the transfer run on). */
function pauseOn(proc: ReturnType<typeof startCli>, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (d: string) => {
      seen += d;
      if (!pattern.test(seen)) return;
      process.kill(proc.child.pid!, "SIGSTOP");
      proc.child.stderr!.off("data", onData);
      resolve();
    };
    proc.child.stderr!.on("data", onData);
    void proc.exited.then((r) => reject(new Error(`exited ${r.code} before ${String(pattern)}:\n${r.stderr}`)));
  });
}

/** About 8 MiB of incompressible messages: more than sockets hold, so a transfer cut short is cut short. */
async function seedBigStream(url: string, name: string): Promise<void> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstream, jetstreamManager } = await import("@nats-io/jetstream");
  const { randomBytes } = await import("node:crypto");
  const nc = await connect({ servers: url });
  try {
    await (await jetstreamManager(nc)).streams.add({ name, subjects: [`${name}.>`] });
    const js = jetstream(nc);
    const acks = [];
    for (let i = 0; i < 8000; i++) {
      acks.push(js.publish(`${name}.x`, randomBytes(1024)));
      if (acks.length >= 250) await Promise.all(acks.splice(0));
    }
    await Promise.all(acks);
  } finally {
    await nc.close();
  }
}

function formatKiB(bytes: number): string {
  const v = bytes / 1024;
  return `${v >= 100 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, "")} KiB`;
}
