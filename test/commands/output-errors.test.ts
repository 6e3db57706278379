// stdout on a full disk (/dev/full): every command says so in one line and exits 1, never 0 and never a stack.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, runCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

function runToDevFull(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const out = openSync("/dev/full", "w");
  const child = spawn(process.execPath, [cliPath, ...args], { env: isolatedEnv(), stdio: ["ignore", out, "pipe"] });
  closeSync(out);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe.skipIf(!existsSync("/dev/full"))("writing to a full disk", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
    expect((await runCli(["-s", server.url, "stream", "add", "--defaults"])).code).toBe(0);
    const replay = await runCli(["-s", server.url, "replay", "test/fixtures/eve/surevego-2017-multi.eve.json", "--rate", "max"]);
    expect(replay.code).toBe(0);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it.each([
    ["--help"],
    ["context", "ls"],
    ["server", "info"],
    ["stream", "info", "suricata"],
    ["stream", "get", "suricata", "1"],
    ["stream", "view", "suricata"],
    ["tail", "--all", "--no-follow"],
    ["tail", "--all", "--no-follow", "--json"],
  ])("%s: exit 1 with one line naming the problem", async (...args) => {
    const withServer = args[0] === "--help" || args[0] === "context" ? args : ["-s", server.url, ...args];
    const r = await runToDevFull(withServer);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").filter((l) => l.includes("cannot write output"))).toEqual([
      "nsm4home: cannot write output: no space left on device (ENOSPC)",
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
