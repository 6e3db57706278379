// Text a server sends (error texts, INFO fields) is as untrusted as event text: a fake server that answers with
// terminal escape sequences must not reach the terminal through any command, and --json keeps the exact value.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { startFakeNatsServer, type FakeNatsServer } from "../helpers/fake-nats-server.js";
import { trackDir } from "../helpers/processes.js";

const OSC_TITLE = "\u001b]2;pwned\u0007";
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe("a server that answers with escape sequences", () => {
  let fake: FakeNatsServer;
  let eveFile: string;
  beforeAll(async () => {
    fake = await startFakeNatsServer({
      errorText: `Permissions Violation for Publish to ${OSC_TITLE}`,
      info: { server_name: `evil\u202e${OSC_TITLE}` },
    });
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-hostile-"));
    trackDir(dir);
    eveFile = join(dir, "eve.json");
    writeFileSync(eveFile, '{"event_type":"dns","dns":{"rrname":"a"}}\n');
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("-ERR text is escaped in tail --since, tail, consumer sub, ingest and replay", async () => {
    const env = isolatedEnv();
    const common = ["-s", fake.url, "--timeout", "1s"];
    const commands = [
      ["tail", "--since", "1m"],
      ["consumer", "sub", "suricata", "c1"],
      ["ingest", "--from", eveFile, "--once"],
      ["replay", eveFile],
    ];
    const live = startCli(["tail", ...common], { env });
    const results = await Promise.all(commands.map((c) => runCli([...c, ...common], { env, timeoutMs: 20_000 })));
    await live.waitFor(/Permissions Violation/, { stream: "stderr", timeoutMs: 30_000 });
    results.push(await live.stop("SIGINT"));
    commands.push(["tail"]);
    for (const [i, r] of results.entries()) {
      const what = commands[i]!.join(" ");
      expect(r.stderr, what).toContain("Permissions Violation for Publish to \\x1B]2;pwned\\x07");
      expect(RAW_CONTROL.test(r.stderr), `${what}: ${JSON.stringify(r.stderr)}`).toBe(false);
      expect(RAW_CONTROL.test(r.stdout), what).toBe(false);
    }
  });

  it("server info --json keeps INFO fields exact and terminal-safe (\\u escapes)", async () => {
    const r = await runCli(["server", "info", "--json", "-s", fake.url, "--timeout", "1s"], { env: isolatedEnv() });
    expect(RAW_CONTROL.test(r.stdout), JSON.stringify(r.stdout)).toBe(false);
    expect(r.stdout).toContain("evil\\u202e\\u001b]2;pwned\\u0007");
    const parsed = JSON.parse(r.stdout) as { server: { server_name: string } };
    expect(parsed.server.server_name).toBe(`evil\u202e${OSC_TITLE}`);
  });

  it("an invalid connect_urls entry in INFO is reported in one escaped line, not a stack trace on stdout", async () => {
    const gossip = await startFakeNatsServer({ info: { connect_urls: [`not a url:::/x${OSC_TITLE}`, "127.0.0.1:1"] } });
    try {
      const env = isolatedEnv();
      const [info, r] = await Promise.all([
        runCli(["server", "info", "-s", gossip.url, "--timeout", "1s"], { env }),
        runCli(["tail", "--since", "1m", "-s", gossip.url, "--timeout", "1s"], { env }),
      ]);
      expect(info.stdout).toMatch(/ID: FAKE/);
      for (const out of [info.stdout, r.stdout]) expect(out).not.toMatch(/reader closed|Invalid URL|at new URL/);
      expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false);
      expect(r.stderr).toContain("ignored an invalid entry in the server's connect_urls: not a url:::/x\\x1B]2;pwned\\x07");
    } finally {
      await gossip.close();
    }
  });

  it("a silent server advertising a host that does not resolve: says so, not 'host not found, check the server address'", async () => {
    const gossip = await startFakeNatsServer({ info: { connect_urls: ["no-such-host.invalid:4222"] }, noPong: true });
    try {
      const r = await runCli(["check", "-s", gossip.url, "--timeout", "1s"], { env: isolatedEnv(), timeoutMs: 15_000 });
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(
        /^NSM4HOME UNKNOWN: cannot connect to nats:\/\/127\.0\.0\.1:\d+: the server did not complete the handshake in time, and no-such-host\.invalid, which it advertises in its connect_urls, is not found/,
      );
    } finally {
      await gossip.close();
    }
  });

  it("an invalid connect_urls entry from a server that never finishes the handshake: check times out in --timeout, not never", async () => {
    const gossip = await startFakeNatsServer({ info: { connect_urls: [`not a url:::/x${OSC_TITLE}`] }, noPong: true });
    try {
      const started = Date.now();
      const r = await runCli(["check", "-s", gossip.url, "--timeout", "1s"], { env: isolatedEnv(), timeoutMs: 15_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/^NSM4HOME UNKNOWN: cannot connect to nats:\/\/127\.0\.0\.1:\d+: timed out after 1000 ms/);
      expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false);
    } finally {
      await gossip.close();
    }
  });
});
