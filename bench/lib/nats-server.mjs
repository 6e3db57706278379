// A throwaway nats-server for benchmarks: loopback port, temporary store, monitoring port for /subsz and /connz.
// Stopped by pid and its directory removed, also when the benchmark fails.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function natsServerBinary() {
  const fromEnv = process.env.NSM4HOME_NATS_SERVER;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/usr/local/bin"]) {
    if (dir && existsSync(join(dir, "nats-server"))) return join(dir, "nats-server");
  }
  throw new Error("nats-server not found: install it or set NSM4HOME_NATS_SERVER=/path/to/nats-server");
}

/** Ports handed out already: the OS may offer a port again as soon as the probe closes it. */
const handedOut = new Set();

/** A port free now that this process has not handed out before (two in a row were once the same). */
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const srv = createServer();
      srv.on("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

const live = new Set();
process.on("exit", () => {
  for (const s of live) s.killNow();
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    for (const s of live) s.killNow();
    process.exit(130);
  });
}

/**
 * Starts nats-server with JetStream (unless jetstream: false). `config` is extra config text.
 * Returns { url, port, monitorUrl, pid, stop() }.
 */
export async function startThrowawayServer({ jetstream = true, config = "" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-bench-"));
  const port = await freePort();
  const monitorPort = await freePort();
  const lines = [`listen: 127.0.0.1:${port}`, `http: 127.0.0.1:${monitorPort}`, `server_name: bench${port}`];
  if (jetstream) lines.push(`jetstream { store_dir: "${join(dir, "store")}" }`);
  if (config) lines.push(config);
  writeFileSync(join(dir, "server.conf"), lines.join("\n") + "\n");
  const child = spawn(natsServerBinary(), ["-c", join(dir, "server.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => (log = (log + d).slice(-32 * 1024)));
  const deadline = Date.now() + 20_000;
  while (!log.includes("Server is ready")) {
    if (child.exitCode !== null) throw new Error(`nats-server exited before it was ready:\n${log}`);
    if (Date.now() > deadline) throw new Error(`nats-server not ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const handle = {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorUrl: `http://127.0.0.1:${monitorPort}`,
    pid: child.pid,
    log: () => log,
    killNow() {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
    async stop() {
      live.delete(handle);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(handle);
  return handle;
}

/** GET a monitoring endpoint (/varz, /subsz, /connz?subs=1) as JSON. */
export async function monitor(server, path) {
  const res = await fetch(server.monitorUrl + path);
  return res.json();
}

/** The newest client connection's id (0 for none): take it before starting a subscriber, then wait for a newer one. */
export async function newestConnectionId(server) {
  const conns = (await monitor(server, "/connz?sort=cid&limit=100000")).connections ?? [];
  return conns.reduce((max, c) => Math.max(max, c.cid), 0);
}

/**
 * Resolves once a connection newer than `afterCid` has a subscription (a subscriber is ready before publishing).
 * Not a change in the server's total: a stream deleted just before takes its internal subscriptions away a moment
 * later, and a total taken before that never grows by one (the bench once waited 20 s for it and failed).
 */
export async function waitForSubscriber(server, afterCid, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const conns = (await monitor(server, "/connz?sort=cid&limit=100000")).connections ?? [];
    if (conns.some((c) => c.cid > afterCid && c.subscriptions > 0)) return;
    if (Date.now() > deadline) throw new Error(`no new connection with a subscription after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
