// Throwaway nats-server processes for tests: loopback ports, a temporary store dir, optional extra config
// (auth, TLS), 3-node JetStream clusters. Stopped by pid; their dirs removed even when a test fails.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { natsServerBinary } from "./binaries.js";
import { freePort } from "./ports.js";
import { restartableProcess, trackDir, trackPid } from "./processes.js";

export interface NatsServerOptions {
  jetstream?: boolean;
  /** Extra nats-server config text appended to the generated file (authorization {...}, tls {...}). */
  config?: string;
  /** URL scheme clients should use (tls when the config requires TLS). */
  scheme?: "nats" | "tls";
  name?: string;
  /** Reuse a store dir (a restart of "the same" server). */
  storeDir?: string;
  port?: number;
  cluster?: { name: string; port: number; routes: number[] };
  /** Start from this config file as it is (one `sensor init` wrote); `port` and `monitorPort` must match it. */
  configFile?: string;
  monitorPort?: number;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly monitorUrl: string;
  readonly storeDir: string;
  readonly dir: string;
  readonly name: string;
  pid(): number;
  log(): string;
  /** SIGTERM and wait; the store dir is kept until dispose(). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash: JetStream must recover from the store on restart. */
  kill(): Promise<void>;
  /** Start again on the same ports with the same store. */
  restart(): Promise<void>;
  /** Stop and remove everything. */
  dispose(): Promise<void>;
}

async function waitForReady(child: ChildProcess, logRef: { text: string }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (logRef.text.includes("Server is ready")) return;
    if (child.exitCode !== null) throw new Error(`nats-server exited (${child.exitCode}) before it was ready:\n${logRef.text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nats-server not ready after ${timeoutMs} ms:\n${logRef.text.slice(-2000)}`);
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-nats-"));
  trackDir(dir);
  const storeDir = options.storeDir ?? join(dir, "store");
  let port = options.port ?? (await freePort());
  let monitorPort = options.monitorPort ?? (await freePort());
  let name = options.name ?? `t${port}`;
  const configFile = options.configFile ?? join(dir, "server.conf");
  const writeConfig = () => {
    if (options.configFile !== undefined) return;
    const lines = [`listen: 127.0.0.1:${port}`, `http: 127.0.0.1:${monitorPort}`, `server_name: ${name}`];
    if (options.jetstream !== false) lines.push(`jetstream { store_dir: "${storeDir}" }`);
    if (options.cluster) {
      const routes = options.cluster.routes.map((p) => `nats-route://127.0.0.1:${p}`).join(", ");
      lines.push(`cluster { name: ${options.cluster.name}, listen: 127.0.0.1:${options.cluster.port}, routes: [${routes}] }`);
    }
    if (options.config) lines.push(options.config);
    writeFileSync(configFile, lines.join("\n") + "\n");
  };
  writeConfig();

  let child!: ChildProcess;
  const logRef = { text: "" };
  const launch = async () => {
    logRef.text = "";
    child = spawn(natsServerBinary(), ["-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
    trackPid(child.pid);
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
      // Keep the tail only: a long test must not grow this without bound.
      logRef.text = (logRef.text + d).slice(-64 * 1024);
    });
    await waitForReady(child, logRef, 20_000);
  };
  // Ports picked here were free a moment ago; another test file's process may have taken one since. Then new ones.
  const portsOurs = options.port === undefined && options.monitorPort === undefined && options.configFile === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      if (!portsOurs || attempt === 3 || !/address already in use/.test(logRef.text)) throw err;
      port = await freePort();
      monitorPort = await freePort();
      name = options.name ?? `t${port}`;
      writeConfig();
    }
  }

  const scheme = options.scheme ?? "nats";
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    monitorUrl: `http://127.0.0.1:${monitorPort}`,
    storeDir,
    dir,
    name,
    log: () => logRef.text,
    ...restartableProcess(() => child, launch, dir),
  };
}

/** Three JetStream servers routed together on loopback; `waitForJetStreamReady` before creating R3 streams. */
export async function startNatsCluster(size = 3): Promise<NatsServer[]> {
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const clusterName = `c${clusterPorts[0]}`;
  return Promise.all(
    clusterPorts.map((cport, i) =>
      startNatsServer({
        name: `n${i + 1}-${cport}`,
        cluster: { name: clusterName, port: cport, routes: clusterPorts.filter((p) => p !== cport) },
      }),
    ),
  );
}

/** Polls $JS.API.INFO until JetStream answers (a fresh cluster needs a meta leader first). */
export async function waitForJetStreamReady(url: string, timeoutMs = 30_000): Promise<void> {
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: url, timeout: 5000 });
  try {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      try {
        const m = await nc.request("$JS.API.INFO", undefined, { timeout: 1000 });
        const info = m.json<{ error?: { description: string } }>();
        if (!info.error) return;
        last = info.error.description;
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`JetStream not ready at ${url} after ${timeoutMs} ms: ${last}`);
  } finally {
    await nc.close();
  }
}

export async function disposeAll(servers: Array<NatsServer | undefined>): Promise<void> {
  await Promise.all(servers.map((s) => s?.dispose()));
}
