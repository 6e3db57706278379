// ingest where it meets untrusted names and edge cases of its sources: file names with escape sequences in its
// notices (the followed file and its rotated siblings).
import { appendFileSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { startRedisServer } from "../helpers/redis-server.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { readStream, startNatsWithClient, streamCount, type NatsWithClient } from "../ingest/stream-helpers.js";

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
let tag = 0;
const event = (n: number) => JSON.stringify({ event_type: "dns", n, tag });

async function purge(servers: NatsWithClient): Promise<void> {
  tag++;
  await servers.nc.request("$JS.API.STREAM.PURGE.suricata", undefined, { timeout: 5000 }).catch(() => undefined);
}

describe("ingest edges", () => {
  let servers: NatsWithClient;
  let dir: string;
  const env = isolatedEnv();
  beforeAll(async () => {
    servers = await startNatsWithClient();
    dir = mkdtempSync(join(tmpdir(), "nsm4home-ingest-edges-"));
    trackDir(dir);
    const created = await runCli(["-s", servers.nats.url, "stream", "add", "--defaults"], { env });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(() => servers?.stop());

  it("escapes a file name with an OSC title sequence, and its rotated sibling's, in every notice", async () => {
    await purge(servers);
    const file = join(dir, "eve\u001b]2;pwned\u0007\u202e.json");
    const checkpoint = join(dir, "hostile.checkpoint");
    const args = ["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", checkpoint, "--once"];
    writeFileSync(file, `${event(1)}\n${event(2)}\n`);
    const first = await runCli(args, { env });
    expect(first.code, first.stderr).toBe(0);
    // Rotated while stopped: the notices name the rotated sibling too.
    appendFileSync(file, `${event(3)}\n`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, `${event(4)}\n`);
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    for (const r of [first, second]) {
      expect(RAW_CONTROL.test(r.stderr), JSON.stringify(r.stderr)).toBe(false);
      expect(r.stderr).toContain("eve\\x1B]2;pwned\\x07\\u202E.json");
    }
    expect(second.stderr).toContain("eve\\x1B]2;pwned\\x07\\u202E.json.1");
    expect((await readStream(servers.nc)).map((m) => JSON.parse(m.data).n)).toEqual([1, 2, 3, 4]);
  });

  it("a stop while JetStream refuses every publish (stream full, discard new) ends after --stop-timeout, leaving them at the source", async () => {
    const { nc } = servers;
    const created = await nc.request(
      "$JS.API.STREAM.CREATE.full",
      JSON.stringify({ name: "full", subjects: ["full.>"], max_msgs: 3, discard: "new", storage: "memory", duplicate_window: 120e9 }),
      { timeout: 5000 },
    );
    expect(created.json<{ error?: unknown }>().error).toBeUndefined();
    const file = join(dir, "full.json");
    const checkpoint = join(dir, "full.checkpoint");
    writeFileSync(file, Array.from({ length: 10 }, (_, i) => event(i)).join("\n") + "\n");
    const args = ["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", checkpoint, "--prefix", "full", "--stop-timeout", "1s", "--progress", "0"];
    const ingest = startCli(args, { env });
    await ingest.waitFor(/publish failed: .*maximum messages/i, { stream: "stderr", timeoutMs: 20_000 });
    const asked = Date.now();
    const stopped = await ingest.stop("SIGTERM");
    const tookMs = Date.now() - asked;
    expect(stopped.code, stopped.stderr).toBe(1);
    expect(tookMs).toBeLessThan(6000);
    expect(stopped.stderr).toMatch(/SIGTERM: stopping; finishing 7 in-flight publishes \(waiting up to 1s/);
    expect(stopped.stderr).toMatch(/7 publishes still unacknowledged after 1s \(last answer: .*maximum messages.*\): left at the source, sent again on the next start/i);
    expect(await streamCount(nc, "full")).toBe(3);
    // Room again: the next run sends exactly the seven it left behind.
    const edited = await nc.request("$JS.API.STREAM.UPDATE.full", JSON.stringify({ name: "full", subjects: ["full.>"], max_msgs: -1, discard: "new", storage: "memory", duplicate_window: 120e9 }), { timeout: 5000 });
    expect(edited.json<{ error?: unknown }>().error).toBeUndefined();
    const again = await runCli([...args, "--once"], { env });
    expect(again.code, again.stderr).toBe(0);
    expect((await readStream(nc, "full")).map((m) => JSON.parse(m.data).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("an event over the stream's max_msg_size is refused naming the stream's limit and the edit that raises it", async () => {
    const { nc } = servers;
    const created = await nc.request("$JS.API.STREAM.CREATE.small", JSON.stringify({ name: "small", subjects: ["small.>"], max_msg_size: 100, storage: "memory" }), { timeout: 5000 });
    expect(created.json<{ error?: unknown }>().error).toBeUndefined();
    const input = `${JSON.stringify({ event_type: "dns", n: 1, pad: "x".repeat(200) })}\n${JSON.stringify({ event_type: "dns", n: 2 })}\n`;
    const r = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--prefix", "small", "--progress", "0"], { env, input });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "not published (larger than stream small's max_msg_size (err_code 10054); to store such events: nsm4home stream edit small --max-msg-size SIZE): small.dns, 235 B",
    );
    expect(r.stderr).toMatch(/published 2, acked 1, .*rejected 1/);
    expect((await readStream(nc, "small")).map((m) => JSON.parse(m.data).n)).toEqual([2]);
  });

  it("a second signal quits at once while publishes are refused", async () => {
    const { nc } = servers;
    const created = await nc.request("$JS.API.STREAM.CREATE.full2", JSON.stringify({ name: "full2", subjects: ["full2.>"], max_msgs: 1, discard: "new", storage: "memory" }), { timeout: 5000 });
    expect(created.json<{ error?: unknown }>().error).toBeUndefined();
    const file = join(dir, "full2.json");
    writeFileSync(file, `${event(1)}\n${event(2)}\n`);
    const ingest = startCli(["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", join(dir, "full2.checkpoint"), "--prefix", "full2", "--stop-timeout", "60s"], { env });
    await ingest.waitFor(/publish failed/i, { stream: "stderr", timeoutMs: 20_000 });
    ingest.child.kill("SIGTERM");
    await ingest.waitFor(/SIGTERM: stopping/, { stream: "stderr" });
    const asked = Date.now();
    const stopped = await ingest.stop("SIGINT");
    expect(Date.now() - asked).toBeLessThan(5000);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/stopped with 1 event not acknowledged by JetStream/);
    expect(stopped.stderr).toMatch(/1 publish still unacknowledged \(last answer: .*maximum messages.*\): left at the source/i);
  });

  it("--once leaves a final line without a newline for the next run (it may still be being written); stdin's is read", async () => {
    await purge(servers);
    const file = join(dir, "unterminated.json");
    const args = ["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", join(dir, "unterminated.checkpoint"), "--once"];
    const whole = event(2);
    writeFileSync(file, `${event(1)}\n${whole.slice(0, 10)}`);
    const first = await runCli(args, { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`left 1 unterminated line (10 bytes) at the end of ${file} for the next run`);
    expect(first.stderr).toMatch(/done: read 1, published 1, acked 1, .*invalid 0.*backlog 10 B/);
    // The writer finishes the line: the next run reads it whole, and nothing went to suricata.invalid.
    appendFileSync(file, `${whole.slice(10)}\n`);
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain("unterminated line");
    const stored = await readStream(servers.nc);
    expect(stored.map((m) => m.subject)).toEqual(["suricata.dns", "suricata.dns"]);
    expect(stored.map((m) => JSON.parse(m.data).n)).toEqual([1, 2]);
    // The end of stdin is the end of its last line.
    await purge(servers);
    const piped = await runCli(["-s", servers.nats.url, "ingest", "--from", "-", "--once"], { env, input: `${event(3)}\n${event(4)}` });
    expect(piped.code, piped.stderr).toBe(0);
    expect((await readStream(servers.nc)).map((m) => JSON.parse(m.data).n)).toEqual([3, 4]);
  });

  it("refuses a --checkpoint that is the followed file (by path or by a link), and a --processing-key that is the list (exit 2)", async () => {
    await purge(servers);
    const file = join(dir, "self.json");
    const content = `${event(1)}\n`;
    writeFileSync(file, content);
    symlinkSync(file, join(dir, "self-link.json"));
    for (const checkpoint of [file, join(dir, ".", "self.json"), join(dir, "self-link.json")]) {
      const r = await runCli(["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", checkpoint, "--once"], { env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--checkpoint ${checkpoint} is the followed file itself`);
    }
    expect(readFileSync(file, "utf8")).toBe(content);
    expect(await readStream(servers.nc)).toEqual([]);
    const sameKey = await runCli(["-s", servers.nats.url, "ingest", "--from", "redis://127.0.0.1:1/events", "--processing-key", "events", "--once"], { env });
    expect(sameKey.code, sameKey.stderr).toBe(2);
    expect(sameKey.stderr).toContain("--processing-key events is the list being read");
  });

  it("a second ingest on the same checkpoint is refused while the first runs, and takes over after it was killed -9", async () => {
    await purge(servers);
    const file = join(dir, "shared.json");
    const checkpoint = join(dir, "shared.checkpoint");
    writeFileSync(file, `${event(1)}\n`);
    const args = ["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", checkpoint, "--progress", "0"];
    const first = startCli(args, { env });
    await first.waitFor(/→ stream suricata/, { stream: "stderr", timeoutMs: 20_000 });
    const second = await runCli([...args, "--once"], { env });
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr.trim().split("\n")).toEqual([
      `nsm4home: another ingest (pid ${first.child.pid}) is using the checkpoint ${checkpoint}: stop it, or give this one its own --checkpoint`,
    ]);
    await first.stop("SIGKILL");
    appendFileSync(file, `${event(2)}\n`);
    const third = await runCli([...args, "--once"], { env });
    expect(third.code, third.stderr).toBe(0);
    expect((await readStream(servers.nc)).map((m) => JSON.parse(m.data).n)).toEqual([1, 2]);
    // A run that ended lets the next one in.
    const fourth = await runCli([...args, "--once"], { env });
    expect(fourth.code, fourth.stderr).toBe(0);
  });

  it("--from a pipe (a FIFO, <(zcat eve.json.gz)) is read like stdin to its end; with --checkpoint it is refused (exit 2)", async () => {
    await purge(servers);
    const fifo = join(dir, "events.fifo");
    execFileSync("mkfifo", [fifo]);
    const ingest = runCli(["-s", servers.nats.url, "ingest", "--from", fifo, "--once", "--progress", "0"], { env });
    await writeFile(fifo, `${event(1)}\n${event(2)}\n${event(3)}`);
    const r = await ingest;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/done: read 3, published 3, acked 3/);
    expect((await readStream(servers.nc)).map((m) => JSON.parse(m.data).n)).toEqual([1, 2, 3]);
    const withCheckpoint = await runCli(["-s", servers.nats.url, "ingest", "--from", fifo, "--checkpoint", join(dir, "fifo.ckpt"), "--once"], { env });
    expect(withCheckpoint.code, withCheckpoint.stderr).toBe(2);
    expect(withCheckpoint.stderr.trim()).toBe(`nsm4home: --from ${fifo} is a pipe: it keeps no position, leave out --checkpoint`);
  });

  it("--from a directory is one line naming it and the file to give instead (exit 2), before anything is read", async () => {
    const r = await runCli(["-s", servers.nats.url, "ingest", "--from", dir, "--once"], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([`nsm4home: --from ${dir} is a directory: give the eve.json to follow, e.g. --from ${join(dir, "eve.json")}`]);
  });

  it("a --checkpoint that cannot be written stops the run before anything is read, naming it (exit 1)", async () => {
    await purge(servers);
    const file = join(dir, "kept.json");
    writeFileSync(file, `${event(1)}\n`);
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "x");
    const checkpoint = join(blocker, "sub", "kept.ckpt");
    const r = await runCli(["-s", servers.nats.url, "ingest", "--from", file, "--checkpoint", checkpoint, "--once"], { env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `nsm4home: cannot write the checkpoint ${checkpoint} (ENOTDIR): give --checkpoint a path in a writable directory`,
    ]);
    expect(await readStream(servers.nc)).toEqual([]);
  });

  it("a wrong or missing Redis password is an authentication failure: one line, exit 1, also with --once", async () => {
    const redisServer = await startRedisServer();
    try {
      const { Redis } = await import("ioredis");
      const admin = new Redis(redisServer.url);
      await admin.config("SET", "requirepass", "s3cret");
      admin.disconnect();
      const port = redisServer.port;
      const ingest = (...args: string[]) => runCli(["-s", servers.nats.url, "ingest", "--from", ...args], { env, timeoutMs: 60_000 });
      const runs = await Promise.all([
        ingest(`redis://127.0.0.1:${port}/k`, "--once"),
        ingest(`redis://:wrong@127.0.0.1:${port}/k`),
        ingest(`redis-stream://default:wrong@127.0.0.1:${port}/k`, "--once"),
      ]);
      for (const r of runs) {
        expect(r.signal, r.stderr).toBeNull();
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/refused the credentials \((NOAUTH|WRONGPASS)[^)]*\): check the user and password in --from/);
        expect(r.stderr).not.toMatch(/unreachable|wrong@/);
      }
    } finally {
      await redisServer.dispose();
    }
  });

  it("ingest --core counts what the server refused (Permissions Violation) and exits 1", async () => {
    const guarded = await startNatsServer({
      jetstream: false,
      config: 'authorization { users = [ { user: feeder, password: feedpw, permissions: { publish: { allow: ["suricata.tls", "_INBOX.>"] } } } ] }',
    });
    try {
      const input = [event(1), JSON.stringify({ event_type: "tls", n: 2 }), event(3)].join("\n") + "\n";
      const r = await runCli(["-s", guarded.url, "--user", "feeder", "--password", "feedpw", "ingest", "--core", "--from", "-"], { env, input, timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/published 3, acked 1, .*rejected 2/);
      expect(r.stderr).toMatch(/not published \(the server refused it: Permissions Violation for Publish to "?suricata\.dns"?\)/i);
      expect(r.stderr).toMatch(/the server refused 2 publishes/);
    } finally {
      await guarded.dispose();
    }
  });
});
