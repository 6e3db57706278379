// `nsm4home demo --no-tui` as a feed for other terminals: starts its own nats-server, publishes, and on
// --duration, SIGTERM or SIGHUP stops the server and removes its temp dir, and a SIGKILL leaves nothing running.
// (The dashboard part is checked in tmux: demo-tui.test.ts.)
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isolatedEnv, runCli, startCli } from "../helpers/cli.js";
import { connect } from "node:net";
import { readStream, testConnection, waitForCount } from "../ingest/stream-helpers.js";

/** True when something accepts TCP connections on the URL's port. */
function listening(url: string): Promise<boolean> {
  const port = Number(new URL(url).port);
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

/** Running: it exists and is not a zombie waiting to be reaped by whoever inherited it. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitUntil(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function announced(stdout: string): { url: string; dir: string } {
  const m = /JetStream at (nats:\/\/127\.0\.0\.1:\d+) \(store in ([^)]+)\)/.exec(stdout);
  if (!m) throw new Error(`no server line in:\n${stdout}`);
  return { url: m[1]!, dir: m[2]! };
}

describe("demo --no-tui", () => {
  it("publishes realistic events to the suricata stream and cleans up on Ctrl-C", async () => {
    const proc = startCli(["demo", "--no-tui", "--rate", "60", "--seed", "5"], { env: isolatedEnv() });
    await proc.waitFor(/nsm4home -s nats:\/\/127\.0\.0\.1:\d+ tail dns/);
    const { url, dir } = announced(proc.stdout());
    expect(existsSync(dir)).toBe(true);
    const nc = await testConnection(url);
    await waitForCount(nc, (n) => n >= 40, 15_000);
    const stored = await readStream(nc);
    await nc.close();
    const types = new Set(stored.map((m) => m.subject));
    expect(types.has("suricata.dns")).toBe(true);
    expect(types.has("suricata.flow")).toBe(true);
    expect(types.has("suricata.stats")).toBe(true);
    for (const m of stored) expect(m.subject).toBe(`suricata.${(JSON.parse(m.data) as { event_type: string }).event_type}`);

    const result = await proc.stop("SIGINT");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/published [\d,]+ events; stopped nats-server and removed/);
    expect(existsSync(dir)).toBe(false);
  });

  it("stops the server and removes its dir on SIGTERM", async () => {
    const proc = startCli(["demo", "--no-tui"], { env: isolatedEnv() });
    await proc.waitFor(/tail dns/);
    const { url, dir } = announced(proc.stdout());
    expect(await listening(url)).toBe(true);
    const result = await proc.stop("SIGTERM");
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(await listening(url)).toBe(false);
    expect(result.stderr).toMatch(/SIGTERM: stopping/);
  });

  it("stops the server and removes its dir on SIGHUP (the terminal feeding others was closed)", async () => {
    const proc = startCli(["demo", "--no-tui"], { env: isolatedEnv() });
    await proc.waitFor(/tail dns/);
    const { url, dir } = announced(proc.stdout());
    const result = await proc.stop("SIGHUP");
    expect({ code: result.code, signal: result.signal }, result.stderr).toEqual({ code: 0, signal: null });
    expect(result.stderr).toMatch(/SIGHUP: stopping\n.*published [\d,]+ events; stopped nats-server and removed/);
    expect(existsSync(dir)).toBe(false);
    expect(await listening(url)).toBe(false);
  });

  it("leaves no server or dir behind when killed with SIGKILL (the server's watcher stops it)", async () => {
    const proc = startCli(["demo", "--no-tui"], { env: isolatedEnv() });
    await proc.waitFor(/tail dns/);
    const { url, dir } = announced(proc.stdout());
    // The demo's child is nats-server itself (its watcher is the server's child, not ours).
    const server = childrenOf(proc.child.pid!).find((pid) => commandLine(pid).endsWith(`\0-c\0${dir}/nats-server.conf\0`));
    expect(server, childrenOf(proc.child.pid!).map(commandLine).join("\n")).toBeDefined();
    const result = await proc.stop("SIGKILL");
    expect(result.signal).toBe("SIGKILL");
    await waitUntil(() => !running(server!) && !existsSync(dir), 5000, `server ${server} stopped and ${dir} removed`);
    expect(await listening(url)).toBe(false);
  });

  it("says in one line a NSM4HOME_NATS_SERVER that points nowhere, naming a NSM4HOME_NATS_SERVER that points nowhere", async () => {
    const result = await runCli(["demo", "--no-tui"], { env: isolatedEnv({ NSM4HOME_NATS_SERVER: "/nonexistent/nats-server" }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "nsm4home: NSM4HOME_NATS_SERVER=/nonexistent/nats-server does not exist: point it at a nats-server binary, or unset it to look in PATH and /usr/sbin\n",
    );
  });

  it("runs without a terminal as --no-tui, ends after --duration, and rejects bad flags", async () => {
    const proc = startCli(["demo", "--duration", "1s"], { env: isolatedEnv() });
    const result = await proc.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/no terminal for the dashboard; running as --no-tui/);
    expect(existsSync(announced(result.stdout).dir)).toBe(false);
    // The closing lines say where to go from the demo, last on stderr.
    expect(result.stderr).toMatch(/nsm4home: demo: next, on your own NATS server:\n  nsm4home context add home -s nats:\/\/HOST:4222 --select.*\n  nsm4home stream add --defaults.*\n  nsm4home ingest --from \/var\/log\/suricata\/eve\.json.*\n  nsm4home tail alert {4}nsm4home tui.*\n$/);
    const bad = await runCli(["demo", "--rate", "fast"], { env: isolatedEnv() });
    expect(bad.code).toBe(2);
    const badPort = await runCli(["demo", "--no-tui", "--port", "99999"], { env: isolatedEnv() });
    expect(badPort.code, badPort.stderr).toBe(2);
    expect(badPort.stderr.trim()).toBe("nsm4home: invalid --port '99999': use a port up to 65535, or leave it out for a free one");
  });
});
