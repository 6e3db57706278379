// `nsm4home tail` as a user runs it, against one real nats-server for the whole file: live and replay modes,
// several subjects, --count and --timeout, filters and projections, hostile text in every output mode,
// payloads that are not JSON, closed pipes, usage errors. Each test uses its own subject prefix (and stream).
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { isolatedEnv, repoRoot, runCli, startCli, type CliProcess, cliShellCommand } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { trackPid, untrackPid } from "../helpers/processes.js";
import { hasTmux, TmuxSession } from "../tui/tmux.js";

const HOSTILE_SNI = "\u001b]0;owned\u0007evil.com";
const env = isolatedEnv();

let server: NatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;

function dns(n: number, rrname: string, type = "query", extra: Record<string, unknown> = {}) {
  return {
    timestamp: `2026-03-01T12:00:${String(n % 60).padStart(2, "0")}.000000+0000`,
    event_type: "dns",
    src_ip: "192.168.1.10",
    src_port: 40000 + n,
    dest_ip: "192.168.1.1",
    dest_port: 53,
    proto: "UDP",
    dns: { type, id: n, rrname, rrtype: "A", tx_id: 0 },
    n,
    ...extra,
  };
}

function tls(n: number, sni: string) {
  return {
    timestamp: `2026-03-01T12:01:${String(n % 60).padStart(2, "0")}.000000+0000`,
    event_type: "tls",
    src_ip: "192.168.1.10",
    src_port: 50000 + n,
    dest_ip: "93.184.216.34",
    dest_port: 443,
    proto: "TCP",
    tls: { sni, version: "TLS 1.3" },
    n,
  };
}

function flow(n: number) {
  return {
    timestamp: `2026-03-01T12:02:${String(n % 60).padStart(2, "0")}.000000+0000`,
    event_type: "flow",
    src_ip: "192.168.1.10",
    src_port: 60000 + n,
    dest_ip: "8.8.8.8",
    dest_port: 53,
    proto: "UDP",
    flow: { pkts_toserver: 1, pkts_toclient: 1, bytes_toserver: 70, bytes_toclient: 120, state: "established" },
    n,
  };
}

async function publish(subject: string, payload: unknown): Promise<void> {
  nc.publish(subject, typeof payload === "string" || payload instanceof Uint8Array ? payload : JSON.stringify(payload));
  await nc.flush();
}

async function subscriptions(): Promise<number> {
  const res = await fetch(`${server.monitorUrl}/subsz`);
  return ((await res.json()) as { num_subscriptions: number }).num_subscriptions;
}

/** Starts a live tail and waits until the server has its `subjects` subscriptions, so nothing published is missed. */
async function startLiveTail(args: string[], subjects = 1): Promise<CliProcess> {
  const before = await subscriptions();
  const tail = startCli(["-s", server.url, "tail", ...args], { env });
  const deadline = Date.now() + 15_000;
  while ((await subscriptions()) < before + subjects) {
    if (Date.now() > deadline || tail.child.exitCode !== null) {
      const r = await tail.stop("SIGKILL");
      throw new Error(`tail never subscribed: ${r.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return tail;
}

async function addStream(name: string, prefix: string): Promise<void> {
  await jsm.streams.add({ name, subjects: [`${prefix}.>`], storage: "file" as never });
}

const tailArgs = (...args: string[]) => ["-s", server.url, "tail", ...args];
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

beforeAll(async () => {
  server = await startNatsServer();
  const { connect } = await import("@nats-io/transport-node");
  const { jetstreamManager } = await import("@nats-io/jetstream");
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

describe("tail live", () => {
  it("subscribes to the named types only, stops at --count and prints a summary on stderr", async () => {
    const tail = await startLiveTail(["--prefix", "l1", "dns", "tls", "--count", "2", "--timestamps", "none"], 2);
    await publish("l1.flow", flow(1));
    await publish("l1.dns", dns(2, "example.org"));
    await publish("l1.tls", tls(3, "www.example.com"));
    const r = await tail.exited;
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^DNS\s+Q example\.org A/);
    expect(out[1]).toMatch(/^TLS\s+www\.example\.com/);
    expect(r.stdout).not.toContain("FLOW");
    expect(r.stderr).toContain("received 2, shown 2, filtered 0, dropped 0");
  });

  it("takes every event with no argument, a word with a dot as a full subject, and --prefix", async () => {
    const all = await startLiveTail(["--prefix", "l2", "--count", "2", "--json"]);
    await publish("l2.dns", dns(1, "a.example"));
    await publish("l2.custom", { event_type: "custom", n: 2 });
    const r1 = await all.exited;
    expect(r1.code, r1.stderr).toBe(0);
    expect(lines(r1.stdout).map((l) => JSON.parse(l).n)).toEqual([1, 2]);

    const full = await startLiveTail(["other.sensor.dns", "--count", "1", "--json"]);
    await publish("other.sensor.dns", dns(3, "b.example"));
    const r2 = await full.exited;
    expect(JSON.parse(r2.stdout).dns.rrname).toBe("b.example");
    expect(r2.stderr).not.toContain("--prefix");

    // A --prefix that no word uses (every word is a full subject) is said, not silently ignored.
    const unused = await startLiveTail(["sensor2.dns", "--prefix", "ids", "--count", "1", "--json"]);
    await publish("sensor2.dns", dns(4, "c.example"));
    const r3 = await unused.exited;
    expect(JSON.parse(r3.stdout).n).toBe(4);
    expect(r3.stderr).toContain("--prefix ids is not used: sensor2.dns is a full subject (a word with a dot); for ids.dns give the event type alone: dns --prefix ids");
  });

  it("--quiet leaves out the summary line", async () => {
    const tail = await startLiveTail(["--prefix", "lq", "dns", "--count", "1", "--quiet", "--json"]);
    await publish("lq.dns", dns(1, "q.example"));
    const r = await tail.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).n).toBe(1);
    expect(r.stderr).toBe("");
  });

  it("--filter, --select and --bare show only what matches, as JSON or bare strings; SIGINT gives the summary", async () => {
    const tail = await startLiveTail(["--prefix", "l3", "--filter", "dns.type == 'query'", "--select", "dns.rrname", "--bare"]);
    await publish("l3.dns", dns(1, "wanted.example"));
    await publish("l3.dns", dns(2, "answer.example", "answer"));
    await publish("l3.flow", flow(3));
    await publish("l3.dns", dns(4, "also.example"));
    await tail.waitFor(/also\.example/);
    const r = await tail.stop("SIGINT");
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(["wanted.example", "also.example"]);
    expect(r.stderr).toContain("received 4, shown 2, filtered 2, dropped 0");
  });

  it("cuts lines to --width and never on a pipe by default", async () => {
    const long = "x".repeat(150) + ".example";
    const cut = await startLiveTail(["--prefix", "l4", "dns", "--count", "1", "--width", "40", "--timestamps", "none"]);
    await publish("l4.dns", dns(1, long));
    const r1 = await cut.exited;
    expect(lines(r1.stdout)[0]!.length).toBeLessThanOrEqual(40);
    const whole = await startLiveTail(["--prefix", "l4", "dns", "--count", "1", "--timestamps", "none"]);
    await publish("l4.dns", dns(2, long));
    const r2 = await whole.exited;
    expect(r2.stdout).toContain(long);
  });

  it("--timeout: exit 1 when --count is not reached, exit 0 without --count", async () => {
    const r1 = await runCli(tailArgs("--prefix", "l5", "--count", "5", "--timeout", "400ms"), { env });
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain("timeout: received 0 of 5");
    const r2 = await runCli(tailArgs("--prefix", "l5", "--timeout", "300ms"), { env });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toContain("received 0, shown 0");
  });
});

describe("tail replay", () => {
  beforeAll(async () => {
    await addStream("R1", "r1");
    for (let i = 1; i <= 30; i++) {
      if (i % 3 === 0) await publish("r1.tls", tls(i, `site${i}.example`));
      else if (i % 3 === 1) await publish("r1.dns", dns(i, `name${i}.example`, i % 2 === 0 ? "answer" : "query"));
      else await publish("r1.flow", flow(i));
    }
  });

  const ns = (stdout: string) => lines(stdout).map((l) => JSON.parse(l).n as number);

  it("--all --no-follow prints the whole stream in order and exits", async () => {
    const r = await runCli(tailArgs("--prefix", "r1", "--all", "--no-follow", "--json"), { env });
    expect(r.code, r.stderr).toBe(0);
    expect(ns(r.stdout)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("--last, --seq and --since pick where to start", async () => {
    const last = await runCli(tailArgs("--prefix", "r1", "--last", "4", "--no-follow", "--json"), { env });
    expect(ns(last.stdout)).toEqual([27, 28, 29, 30]);
    const seq = await runCli(tailArgs("--prefix", "r1", "--seq", "25", "--no-follow", "--json"), { env });
    expect(ns(seq.stdout)).toEqual([25, 26, 27, 28, 29, 30]);
    const since = await runCli(tailArgs("--prefix", "r1", "--since", "1h", "--no-follow", "--json"), { env });
    expect(ns(since.stdout)).toHaveLength(30);
    // Past the last message (a minute ahead is taken as clock skew): nothing to replay, and no error on 2.9.
    const after = await runCli(tailArgs("--prefix", "r1", "--since", new Date(Date.now() + 60_000).toISOString(), "--no-follow", "--json"), { env });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe("");
    const future = await runCli(tailArgs("--prefix", "r1", "--since", "2999-01-01T00:00:00Z", "--no-follow", "--json"), { env });
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/invalid --since '2999-01-01T00:00:00Z': 2999-01-01T00:00:00.000Z is in the future/);
  });

  it("several subjects on a 2.9 server come merged in stream order, --last counting across all of them", async () => {
    const both = await runCli(tailArgs("--prefix", "r1", "dns", "tls", "--all", "--no-follow", "--json"), { env });
    expect(both.code, both.stderr).toBe(0);
    expect(ns(both.stdout)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1).filter((n) => n % 3 !== 2));
    const last = await runCli(tailArgs("--prefix", "r1", "dns", "tls", "--last", "5", "--no-follow", "--json"), { env });
    expect(ns(last.stdout)).toEqual([24, 25, 27, 28, 30]);
  });

  it("filters and projects replayed events; a filter that fails on some events says so once", async () => {
    const r = await runCli(
      tailArgs("--prefix", "r1", "dns", "--all", "--no-follow", "--filter", "dns.type == 'query'", "--select", "dns.rrname"),
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(["name1.example", "name7.example", "name13.example", "name19.example", "name25.example"].map((s) => JSON.stringify(s)));
    expect(r.stderr).toContain("received 10, shown 5, filtered 5");
  });

  it("follows after the replay without a gap or a duplicate", async () => {
    await addStream("R2", "r2");
    for (let i = 1; i <= 3; i++) await publish("r2.dns", dns(i, `old${i}.example`));
    const tail = startCli(tailArgs("--prefix", "r2", "--last", "2", "--json", "--count", "5"), { env });
    await tail.waitFor((t) => lines(t).length === 2);
    for (let i = 4; i <= 6; i++) await publish("r2.dns", dns(i, `new${i}.example`));
    const r = await tail.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(ns(r.stdout)).toEqual([2, 3, 4, 5, 6]);
  });

  it("--last N on a stream that has never held a message shows nothing, then follows (tail and stream view)", async () => {
    await addStream("EMPTY1", "empty1");
    for (const args of [["--last", "3"], ["dns", "--last", "3"]]) {
      const r = await runCli(tailArgs("--prefix", "empty1", ...args, "--no-follow", "--json"), { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe("");
    }
    const view = await runCli(["-s", server.url, "stream", "view", "EMPTY1", "--last", "3", "--json"], { env });
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toBe("");
    const tail = startCli(tailArgs("--prefix", "empty1", "dns", "--last", "3", "--json", "--count", "2"), { env });
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 1; i <= 2; i++) await publish("empty1.dns", dns(i, `new${i}.example`));
    const r = await tail.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(ns(r.stdout)).toEqual([1, 2]);
  });

  it("--utc, the older spelling of --timestamps utc, works with a note; with a different --timestamps it is a usage error", async () => {
    const args = ["--prefix", "r1", "--last", "3", "--no-follow", "--color", "never"];
    const utc = await runCli(tailArgs(...args, "--timestamps", "utc"), { env });
    const old = await runCli(tailArgs(...args, "--utc"), { env });
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toBe(utc.stdout);
    expect(lines(old.stdout)).toHaveLength(3);
    expect(old.stderr).toContain("--utc is now --timestamps utc");
    const clash = await runCli(tailArgs(...args, "--utc", "--timestamps", "local"), { env });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("--utc and --timestamps local disagree");
  });

  it("says which stream is missing", async () => {
    const r = await runCli(tailArgs("--prefix", "nostream", "--all"), { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no stream captures nostream\.>.*stream add/);
  });
});

describe("literal prefilter (unit tests in test/filter/prefilter.test.ts)", () => {
  it("a value spelled with \\u escapes still matches on the command line", async () => {
    await addStream("E1", "e1");
    await publish("e1.dns", '{"event_type":"dns","dns":{"type":"qu\\u0065ry","rrname":"escaped.example"},"n":1}');
    await publish("e1.dns", dns(2, "plain.example"));
    await publish("e1.dns", dns(3, "answer.example", "answer"));
    const r = await runCli(tailArgs("--prefix", "e1", "--all", "--no-follow", "--filter", "dns.type == 'query'", "--select", "dns.rrname", "--bare"), { env });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(["escaped.example", "plain.example"]);
    expect(r.stderr).toContain("received 3, shown 2, filtered 1");
  });
});

describe("a --select that fails", () => {
  it("prints no null for the events it failed on: says what failed and counts it", async () => {
    await addStream("SF", "sf");
    await publish("sf.dns", '{"event_type":"dns","dns":{"rrname":"a.example","ttl":5},"n":1}');
    await publish("sf.dns", '{"event_type":"dns","dns":{"rrname":"b.example","ttl":"x"},"n":2}');
    const r = await runCli(tailArgs("--prefix", "sf", "--all", "--no-follow", "--select", "abs(dns.ttl)"), { env });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(["5"]);
    expect(r.stderr).toMatch(/received 2, shown 1/);
    expect(r.stderr).toMatch(/1 event failed the projection 'abs\(dns\.ttl\)': /);
  });
});

describe("hostile and broken payloads", () => {
  const controlChars = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  beforeAll(async () => {
    await addStream("H1", "h1");
    await publish("h1.tls", tls(1, HOSTILE_SNI));
    await publish("h1.tls", tls(2, "rtl\u202Egnp.exe\u009b31m"));
    await publish("h1.dns", "not json \u001b[31mred\u0007");
    await publish("h1.dns", "[1,2]");
  });

  it("pretty output (pipe or --color always) shows escapes, never the control characters", async () => {
    for (const color of ["never", "always"]) {
      const r = await runCli(tailArgs("--prefix", "h1", "--all", "--no-follow", "--color", color), { env });
      expect(r.code, r.stderr).toBe(0);
      // Colour adds SGR sequences only: ESC followed by '[' digits 'm'.
      const withoutSgr = r.stdout.replace(/\u001b\[[0-9;]*m/g, "");
      expect(withoutSgr).not.toMatch(controlChars);
      expect(withoutSgr).toContain("\\x1B]0;owned\\x07evil.com");
      const out = lines(withoutSgr);
      expect(out).toHaveLength(4);
      expect(out[2]).toMatch(/\[invalid: not JSON\] not json \\x1B\[31mred\\x07/);
      expect(out[3]).toMatch(/\[invalid: JSON array, not an event object\]/);
    }
  });

  it("--json writes \\u escapes that parse back to the original; non-JSON payloads are skipped and counted", async () => {
    const r = await runCli(tailArgs("--prefix", "h1", "--all", "--no-follow", "--json"), { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(controlChars);
    const out = lines(r.stdout).map((l) => JSON.parse(l));
    expect(out.map((e) => e.tls.sni)).toEqual([HOSTILE_SNI, "rtl\u202Egnp.exe\u009b31m"]);
    expect(r.stderr).toMatch(/skipping messages that are not JSON events \(first on h1\.dns: not JSON\)/);
    expect(r.stderr).toContain("received 4, shown 2, filtered 0, not events 2, dropped 0");
  });

  it("--select --bare escapes strings", async () => {
    const r = await runCli(tailArgs("--prefix", "h1", "tls", "--all", "--no-follow", "--select", "tls.sni", "--bare"), { env });
    expect(lines(r.stdout)).toEqual(["\\x1B]0;owned\\x07evil.com", "rtl\\u202Egnp.exe\\x9B31m"]);
  });

  it("--raw on a pipe passes payloads byte for byte (JSON text keeps the SNI escaped)", async () => {
    const r = await runCli(tailArgs("--prefix", "h1", "tls", "--all", "--no-follow", "--raw"), { env });
    expect(r.stdout).toBe(JSON.stringify(tls(1, HOSTILE_SNI)) + "\n" + JSON.stringify(tls(2, "rtl\u202Egnp.exe\u009b31m")) + "\n");
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).not.toContain("\u0007");
  });
});

describe.skipIf(!hasTmux())("on a terminal (tmux)", () => {
  afterAll(() => TmuxSession.killServer());

  it("cuts lines to the terminal width, escapes --raw payloads, and the title never changes", async () => {
    await addStream("T1", "t1");
    await publish("t1.tls", tls(1, HOSTILE_SNI));
    await publish("t1.dns", "\u001b]0;pwned-raw\u0007 \u001b[2J plain");
    await publish("t1.dns", dns(2, "y".repeat(200)));
    const term = new TmuxSession("tail");
    try {
      term.start(70, 30, { PATH: process.env.PATH ?? "", HOME: env.HOME!, NO_COLOR: "1" });
      const cmd = `${cliShellCommand} -s ${server.url} --no-context tail --prefix t1 --all --no-follow --timestamps none`;
      // The marker is computed by the shell, so the typed command line does not already match it.
      term.run(`${cmd}; ${cmd} --raw; echo END-$((40+2))`);
      const screen = await term.waitForText("END-42");
      expect(term.paneTitle()).not.toMatch(/owned|pwned/);
      expect(screen).toContain("\\x1B]0;owned\\x07evil.com");
      expect(screen).toContain("\\x1B]0;pwned-raw\\x07 \\x1B[2J plain");
      // Pretty lines fit the 70 columns; the long name is cut with an ellipsis.
      const dnsLine = screen.split("\n").find((l) => l.startsWith("DNS"))!;
      expect(dnsLine.length).toBeLessThanOrEqual(70);
      expect(dnsLine).toContain("…");
    } finally {
      term.kill();
    }
  });
});

describe("pipes and usage errors", () => {
  it("a reader slower than the events: what does not fit --buffer is dropped and reported", async () => {
    const tail = spawn(
      "sh",
      ["-c", `${cliShellCommand} -s ${server.url} tail --prefix slow --raw --buffer 64KiB --timeout 2s | (sleep 3; cat > /dev/null)`],
      { cwd: repoRoot, env },
    );
    trackPid(tail.pid);
    let stderr = "";
    tail.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => tail.on("close", (code) => resolve(code)));
    const before = await subscriptions();
    // The sh pipeline and the node process start; wait for tail's subscription before the burst.
    while ((await subscriptions()) < before + 1) await new Promise((r) => setTimeout(r, 20));
    const big = JSON.stringify(dns(1, "z".repeat(900)));
    for (let i = 0; i < 2000; i++) nc.publish("slow.dns", big);
    await nc.flush();
    const code = await exited;
    untrackPid(tail.pid);
    expect(code).toBe(0);
    const dropped = /dropped ([\d,]+) messages \(slow consumer/.exec(stderr);
    expect(dropped, stderr).not.toBeNull();
    // The first drop names the way that loses nothing, once.
    expect(stderr.split("tail --new reads new events through the stream and drops none")).toHaveLength(2);
    const summary = /received ([\d,]+), shown ([\d,]+), filtered 0, dropped ([\d,]+)/.exec(stderr)!;
    const [received, shown, droppedTotal] = summary.slice(1).map((x) => Number(x.replace(/,/g, "")));
    expect(received).toBe(2000);
    expect(shown! + droppedTotal!).toBe(2000);
    expect(droppedTotal).toBeGreaterThan(0);
  });

  it("--new: the same burst to the same slow reader, read through the stream, loses nothing and keeps the order", async () => {
    await addStream("SLOWNEW", "slownew");
    const tail = spawn(
      "sh",
      ["-c", `${cliShellCommand} -s ${server.url} tail --prefix slownew --new --raw --buffer 64KiB --count 2000 --timeout 10s | (sleep 3; cat)`],
      { cwd: repoRoot, env },
    );
    trackPid(tail.pid);
    let stderr = "";
    let stdout = "";
    tail.stderr.on("data", (d) => (stderr += d));
    tail.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => tail.on("close", (code) => resolve(code)));
    // --new starts at the stream's end when its consumer exists: publish only after that.
    while ((await jsm.streams.info("SLOWNEW")).state.consumer_count < 1) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 2000; i++) nc.publish("slownew.dns", JSON.stringify(dns(i, `${"z".repeat(900)}${i}`)));
    await nc.flush();
    const code = await exited;
    untrackPid(tail.pid);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("received 2,000, shown 2,000, filtered 0, dropped 0");
    expect(stderr).not.toMatch(/slow consumer/);
    expect(lines(stdout).map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it("`tail | head -1` exits 0 quietly, live and replaying", async () => {
    await addStream("P1", "p1");
    for (let i = 0; i < 400; i++) nc.publish("p1.dns", JSON.stringify(dns(i, `${"p".repeat(200)}${i}.example`)));
    await nc.flush();
    const run = (args: string) =>
      new Promise<{ code: number | null; stderr: string; stdout: string; ms: number }>((resolve) => {
        const started = Date.now();
        const child = spawn("sh", ["-c", `${cliShellCommand} -s ${server.url} tail --prefix p1 ${args} | head -1`], {
          cwd: repoRoot,
          env,
        });
        trackPid(child.pid);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => {
          untrackPid(child.pid);
          resolve({ code, stderr, stdout, ms: Date.now() - started });
        });
      });
    const replay = await run("--all --json");
    expect(replay.code).toBe(0);
    expect(replay.stderr).toBe("");
    expect(JSON.parse(replay.stdout).n).toBe(0);

    // Live: events keep coming, the first write after head has gone ends tail.
    const ticker = setInterval(() => nc.publish("p1.dns", JSON.stringify(dns(1, "tick.example"))), 20);
    try {
      const live = await run("dns");
      expect(live.code).toBe(0);
      expect(live.stderr).toBe("");
      expect(live.stdout).toMatch(/DNS\s+Q tick\.example/);
      expect(live.ms).toBeLessThan(5000);
    } finally {
      clearInterval(ticker);
    }
  });

  it.each([
    [["--filter", "dns.type == "], /invalid --filter 'dns\.type == ': .* at column \d+/],
    [["--select", "dns.[rrname"], /invalid --select .* at column \d+/],
    [["--raw", "--json"], /--raw .* cannot be combined/],
    [["--bare"], /--bare .* give --select too/],
    [["--no-follow"], /--no-follow .* give --since, --last, --seq or --all/],
    [["--since", "yesterday"], /invalid --since 'yesterday'/],
    [["--last", "3", "--all"], /--last and --all both say where to start/],
    [["--since", "1h", "--new"], /--since and --new both say where to start/],
    [["--new", "--no-follow"], /--no-follow .* \(--new only follows\)/],
    [["--new", "--ack"], /--ack .* without --since, --last, --seq, --all or --new/],
    [["--timestamps", "gmt"], /invalid --timestamps 'gmt'/],
    [["--color", "rainbow"], /invalid --color 'rainbow'/],
    [["dns tls"], /invalid subject 'dns tls'/],
    [["suricata.>.x"], /invalid subject/],
    [["--count", "0"], /invalid --count '0'/],
  ])("usage error %j exits 2 with one line", async (args, message) => {
    const r = await runCli(tailArgs(...(args as string[])), { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stdout).toBe("");
  });
});
