// --trace as a user sees it: real nats-server, the built CLI; JetStream API requests and replies on stderr (or in
// a file), stdout exactly as without it, hostile text escaped, secrets masked, data only with --trace-data.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { traceBody } from "../../src/nats/trace.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { natsWithClientForFile } from "../ingest/stream-helpers.js";
import { scriptBinary, startInPty } from "../commands/pty.js";

const LINE = /^\d\d:\d\d:\d\d\.\d{3} (>>>|<<<) (\S+)( .*)?$/;

function traceLines(stderr: string): Array<{ dir: string; subject: string; rest: string }> {
  return stderr
    .split("\n")
    .map((l) => LINE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ dir: m[1]!, subject: m[2]!, rest: m[3] ?? "" }));
}

describe("traceBody", () => {
  it("compacts JSON, masks secrets and escapes what a terminal would obey", () => {
    expect(traceBody('{\n  "a": 1,\n  "b": [1, 2]\n}')).toBe('{"a":1,"b":[1,2]}');
    const seed = "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4";
    const masked = traceBody(JSON.stringify({ password: "hunter2", nested: { token: "t0k", url: "nats://u:pw@host:4222", note: `seed ${seed}` } }));
    expect(masked).not.toMatch(/hunter2|t0k|u:pw|SUAIBDPB/);
    expect(masked).toContain('"password":"***"');
    expect(masked).toContain("nats://***@host:4222");
    expect(traceBody(JSON.stringify({ description: "\u001b[31mred\u202e" }))).toBe('{"description":"\\u001b[31mred\\u202e"}');
    expect(traceBody("not json \u001b]0;x\u0007")).toBe("not json \\x1B]0;x\\x07");
    expect(traceBody(new Uint8Array())).toBe("");
  });
});

describe("--trace", () => {
  const servers = natsWithClientForFile();
  const env = isolatedEnv();

  it("traces stream add and info: each API request and its reply, once, with stdout unchanged", async () => {
    const url = servers.nats.url;
    const added = await runCli(["-s", url, "--trace", "stream", "add", "--defaults", "--json"], { env });
    expect(added.code, added.stderr).toBe(0);
    const lines = traceLines(added.stderr);
    const create = lines.filter((l) => l.subject === "$JS.API.STREAM.CREATE.suricata");
    expect(create.map((l) => l.dir)).toEqual([">>>", "<<<"]);
    expect(JSON.parse(create[0]!.rest).subjects).toEqual(["suricata.>"]);
    expect(JSON.parse(create[1]!.rest).type).toBe("io.nats.jetstream.api.v1.stream_create_response");
    // Every line on stderr is a trace line; stdout is the --json document alone.
    expect(added.stderr.trim().split("\n").every((l) => LINE.test(l))).toBe(true);
    expect(JSON.parse(added.stdout).config.name).toBe("suricata");

    const plain = await runCli(["-s", url, "stream", "info", "suricata", "--json"], { env });
    const traced = await runCli(["-s", url, "stream", "info", "suricata", "--json", "--trace"], { env });
    expect(traced.code, traced.stderr).toBe(0);
    expect(plain.stderr).toBe("");
    expect(Object.keys(JSON.parse(traced.stdout))).toEqual(Object.keys(JSON.parse(plain.stdout)));
    expect(traceLines(traced.stderr).filter((l) => l.subject === "$JS.API.STREAM.INFO.suricata").map((l) => l.dir)).toEqual([">>>", "<<<"]);
  });

  it("a consumer with a hostile description: the request and reply escape it; data messages only with --trace-data", async () => {
    const url = servers.nats.url;
    const hostile = "\u001b[2J\u001b]0;pwned\u0007\u202e";
    const added = await runCli(["-s", url, "--trace", "consumer", "add", "suricata", "c1", "--subject", "suricata.dns", "--description", hostile, "--defaults"], { env });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(added.stderr).toContain("\\u001b[2J");
    expect(traceLines(added.stderr).some((l) => l.subject.startsWith("$JS.API.CONSUMER.CREATE.suricata.c1") && l.dir === ">>>")).toBe(true);

    const event = JSON.stringify({ event_type: "dns", n: 1 });
    const ingest = await runCli(["-s", url, "--trace", "ingest", "--from", "-"], { env, input: event + "\n" });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stderr).not.toContain('"n":1');
    const withData = await runCli(["-s", url, "--trace-data", "ingest", "--from", "-"], { env, input: JSON.stringify({ event_type: "dns", n: 2 }) + "\n" });
    expect(withData.code, withData.stderr).toBe(0);
    const published = traceLines(withData.stderr).find((l) => l.subject === "suricata.dns");
    expect(published?.dir).toBe(">>>");
    expect(published?.rest).toContain('{"event_type":"dns","n":2}');

    // tail replay: the consumer it creates and the pulls, not the events (without --trace-data).
    const tail = await runCli(["-s", url, "--trace", "tail", "dns", "--all", "--no-follow", "--json"], { env });
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout.trim().split("\n").map((l) => JSON.parse(l).n)).toEqual([1, 2]);
    const subjects = traceLines(tail.stderr).map((l) => l.subject);
    expect(subjects.some((s) => s.startsWith("$JS.API.CONSUMER.CREATE.suricata."))).toBe(true);
    expect(subjects.some((s) => s.startsWith("$JS.API.CONSUMER.MSG.NEXT.suricata."))).toBe(true);
    expect(tail.stderr).not.toContain('"n":1');
  });

  it("--trace-file (or NSM4HOME_TRACE_FILE) appends to a file, leaving stderr alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-trace-"));
    trackDir(dir);
    const file = join(dir, "trace.log");
    const r = await runCli(["-s", servers.nats.url, "--trace", "--trace-file", file, "stream", "ls"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const r2 = await runCli(["-s", servers.nats.url, "--trace", "stream", "ls"], { env: { ...env, NSM4HOME_TRACE_FILE: file } });
    expect(r2.code, r2.stderr).toBe(0);
    const lines = traceLines(readFileSync(file, "utf8"));
    expect(lines.filter((l) => l.subject === "$JS.API.STREAM.LIST").map((l) => l.dir)).toEqual([">>>", "<<<", ">>>", "<<<"]);
    const bad = await runCli(["-s", servers.nats.url, "--trace", "--trace-file", join(dir, "no", "such", "dir.log"), "stream", "ls"], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^nsm4home: cannot write the trace to .*dir\.log: ENOENT\n$/);
  });

  it.skipIf(!scriptBinary)("tui on a terminal refuses a trace that would write over it", async () => {
    const pty = startInPty(["-s", servers.nats.url, "--trace", "tui"], env);
    const { code, output } = await pty.exited;
    expect(code).toBe(2);
    expect(output).toContain("--trace would write over the dashboard: give --trace-file FILE (env NSM4HOME_TRACE_FILE), or redirect stderr (2>trace.log)");
  });
});
