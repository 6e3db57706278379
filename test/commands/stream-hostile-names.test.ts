// QA F11: names, subjects and other server-supplied text planted through the JetStream API (which takes control
// characters) and then listed and shown by the CLI: stdout and stderr carry them escaped, never raw. And QA F12:
// overflowing flags and bad --config files are usage errors (exit 2) before anything reaches the server.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { cliFor, expectExit, parseJson } from "./jetstream-helpers.js";

/** What a terminal would act on or hide: C0 but newline, DEL, C1, bidi controls and isolates. */
const TERMINAL_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const HOSTILE_STREAM = "x\u001b]0;N\u0007";
const HOSTILE_CONSUMER = "c\u001b[2J";
const C1_CONSUMER = "d\u009b2J\u202e";
const HOSTILE_SUBJECT = "h\u001b[31m.>";
const PUSH_TARGET = "to\u202e.exe";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(() => server.url);
  const { connect } = await import("@nats-io/transport-node");
  const { jetstreamManager } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: HOSTILE_STREAM, subjects: ["q.>"] });
    await jsm.streams.add({ name: "plain", subjects: [HOSTILE_SUBJECT, "p.>"], description: "d\u001b]0;DESC\u0007" });
    await jsm.consumers.add("plain", { durable_name: HOSTILE_CONSUMER, ack_policy: "explicit", filter_subject: "h\u001b[31m.x" });
    await jsm.consumers.add("plain", { durable_name: C1_CONSUMER, ack_policy: "explicit" });
    await jsm.consumers.add("plain", { durable_name: "pusher", ack_policy: "explicit", deliver_subject: PUSH_TARGET });
  } finally {
    await nc.close();
  }
}, 30_000);
afterAll(async () => {
  await server?.dispose();
});

function expectNoControls(r: { stdout: string; stderr: string }): void {
  expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
  expect(r.stderr).not.toMatch(TERMINAL_CONTROL);
}

describe("hostile names made through the API", () => {
  it("stream ls (table, --names, --json) shows them escaped", async () => {
    const table = await cli(["stream", "ls"]);
    expectExit(table, 0);
    expectNoControls(table);
    expect(table.stdout).toContain("x\\x1B]0;N\\x07");
    expect(table.stdout).toContain("h\\x1B[31m.>");

    const names = await cli(["stream", "ls", "--names"]);
    expectExit(names, 0);
    expectNoControls(names);
    expect(names.stdout).toBe("plain\nx\\x1B]0;N\\x07\n");

    const json = await cli(["stream", "ls", "--json"]);
    expectNoControls(json);
    // The JSON still parses back to the real names.
    expect(parseJson<Array<{ config: { name: string } }>>(json).map((s) => s.config.name).sort()).toEqual(["plain", HOSTILE_STREAM].sort());
  });

  it("stream info shows hostile subjects and description escaped", async () => {
    const info = await cli(["stream", "info", "plain"]);
    expectExit(info, 0);
    expectNoControls(info);
    expect(info.stdout).toMatch(/Subjects: h\\x1B\[31m\.>, p\.>/);
    expect(info.stdout).toContain("Description: d\\x1B]0;DESC\\x07");
  });

  it("consumer ls and consumer info show hostile consumer names, filters and push targets escaped", async () => {
    const ls = await cli(["consumer", "ls", "plain"]);
    expectExit(ls, 0);
    expectNoControls(ls);
    expect(ls.stdout).toContain("c\\x1B[2J");
    expect(ls.stdout).toContain("d\\x9B2J\\u202E");
    expect(ls.stdout).toContain("push to\\u202E.exe");
    expect(ls.stdout).toContain("h\\x1B[31m.x");

    const names = await cli(["consumer", "ls", "plain", "--names"]);
    expectNoControls(names);
    expect(names.stdout.split("\n").filter(Boolean).sort()).toEqual(["c\\x1B[2J", "d\\x9B2J\\u202E", "pusher"].sort());

    const info = await cli(["consumer", "info", "plain", "pusher"]);
    expectExit(info, 0);
    expectNoControls(info);
    expect(info.stdout).toContain("Delivery Subject: to\\u202E.exe");
  });

  it("commands taking a name refuse a hostile one with exit 2, naming the rule and showing the name escaped", async () => {
    const rule = "use letters, digits, - and _, at most 255 characters (no whitespace, dots, *, >, slashes, control or invisible characters)";
    for (const args of [
      ["stream", "info", HOSTILE_STREAM],
      ["stream", "rm", HOSTILE_STREAM, "-f"],
      ["stream", "add", HOSTILE_STREAM, "--subjects", "z.>", "--defaults"],
      ["consumer", "ls", HOSTILE_STREAM],
      ["consumer", "add", "plain", HOSTILE_CONSUMER, "--defaults"],
      ["consumer", "info", "plain", C1_CONSUMER],
      ["consumer", "rm", "plain", HOSTILE_CONSUMER, "-f"],
    ]) {
      const r = await cli(args);
      expectExit(r, 2);
      expectNoControls(r);
      expect(r.stderr).toMatch(/^nsm4home: invalid (stream|consumer) name '(x\\x1B\]0;N\\x07|c\\x1B\[2J|d\\x9B2J\\u202E)': /);
      expect(r.stderr).toContain(rule);
    }
    // Nothing was removed or added.
    expect(parseJson<unknown[]>(await cli(["stream", "ls", "--json"]))).toHaveLength(2);
    expect(parseJson<unknown[]>(await cli(["consumer", "ls", "plain", "--json"]))).toHaveLength(3);
  });
});

describe("overflowing flags and bad --config files (exit 2, naming what to fix)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nsm-cfg-"));
  const file = (name: string, value: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(value));
    return p;
  };

  it("--max-age, --max-bytes, --max-msgs past 64 bits, and --replicas -1", async () => {
    const age = await cli(["stream", "add", "big", "--max-age", "99999999999d", "--defaults"]);
    expectExit(age, 2);
    expect(age.stderr).toMatch(/^nsm4home: invalid --max-age '99999999999d': at most 292y\d+d/);
    const bytes = await cli(["stream", "add", "big", "--max-bytes", "99999999999999999999GiB", "--defaults"]);
    expectExit(bytes, 2);
    expect(bytes.stderr).toContain("invalid --max-bytes '99999999999999999999GiB': at most 9223372036854775807 bytes");
    const msgs = await cli(["stream", "add", "big", "--max-msgs", "99999999999999999999", "--defaults"]);
    expectExit(msgs, 2);
    const replicas = await cli(["stream", "add", "big", "--replicas", "-1", "--defaults"]);
    expectExit(replicas, 2);
    expect(replicas.stderr).toContain("use 1 to 5");
    const inactive = await cli(["consumer", "add", "plain", "big", "--inactive-threshold", "99999999999d", "--defaults"]);
    expectExit(inactive, 2);
    expect(inactive.stderr).toContain("invalid --inactive-threshold");
    expect(parseJson<unknown[]>(await cli(["stream", "ls", "--json"]))).toHaveLength(2);
  });

  it("a string where nanoseconds go, and unknown keys, name the field", async () => {
    const typed = file("cfg1.json", { name: "c1", subjects: ["c1.>"], max_age: "1h" });
    const r1 = await cli(["stream", "add", "--config", typed]);
    expectExit(r1, 2);
    expect(r1.stderr).toBe(`nsm4home: --config ${typed}: max_age must be nanoseconds, a whole number (or use --max-age 1h)\n`);

    const typo = file("cfg2.json", { name: "c2", subjects: ["c2.>"], max_bytse: 1000 });
    const r2 = await cli(["stream", "add", "--config", typo]);
    expectExit(r2, 2);
    expect(r2.stderr).toContain(`--config ${typo}: unknown field "max_bytse"`);

    const consumer = file("cfg3.json", { durable_name: "c3", ack_wait: "30s" });
    const r3 = await cli(["consumer", "add", "plain", "--config", consumer]);
    expectExit(r3, 2);
    expect(r3.stderr).toContain("ack_wait must be nanoseconds, a whole number (or use --wait 30s)");

    // `stream info --json` output is a valid --config, with fields we do not model.
    const info = await cli(["stream", "info", "plain", "--json"]);
    const again = file("info.json", JSON.parse(info.stdout));
    const r4 = await cli(["stream", "add", "--config", again]);
    expectExit(r4, 0);
    expect(r4.stdout).toContain("already exists with the same configuration");
    const cinfo = await cli(["consumer", "info", "plain", "pusher", "--json"]);
    const cagain = file("cinfo.json", JSON.parse(cinfo.stdout));
    const r5 = await cli(["consumer", "add", "plain", "--config", cagain]);
    expectExit(r5, 0);
  });
});
