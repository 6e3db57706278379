// A throwaway nats-server for `nsm4home demo`: JetStream in a fresh temp dir, loopback only, a free port chosen
// by the server itself. Stopped, and its dir removed, on every way out (including process.exit from elsewhere,
// and a SIGKILL of this process: see spawnWatched).
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { RuntimeError } from "../errors.js";

export const NATS_SERVER_MISSING =
  "nats-server not found (looked in PATH and /usr/sbin): install it with 'sudo apt-get install nats-server' " +
  "or from https://github.com/nats-io/nats-server/releases, or set NSM4HOME_NATS_SERVER=/path/to/nats-server";

/**
 * Why no nats-server was found: a NSM4HOME_NATS_SERVER that points nowhere is named (telling the user to set the
 * variable they set would send them in a circle); otherwise where we looked and how to get one.
 */
export function natsServerMissingMessage(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.NSM4HOME_NATS_SERVER;
  if (!fromEnv) return NATS_SERVER_MISSING;
  const what = existsSync(fromEnv) ? "is not an executable file" : "does not exist";
  return `NSM4HOME_NATS_SERVER=${fromEnv} ${what}: point it at a nats-server binary, or unset it to look in PATH and /usr/sbin`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** NSM4HOME_NATS_SERVER, else nats-server on PATH, /usr/sbin, /usr/local/bin; undefined when there is none. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.NSM4HOME_NATS_SERVER;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  const dirs = [...(env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/usr/bin"];
  for (const dir of dirs) {
    if (dir && isExecutable(join(dir, "nats-server"))) return join(dir, "nats-server");
  }
  return undefined;
}

export interface LocalNatsServer {
  url: string;
  port: number;
  /** The temp dir holding the config and the JetStream store; removed by stop(). */
  dir: string;
  pid: number;
  /** The server's log so far (the tail), for error messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after a while) and removes its dir. */
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  binary?: string;
  /** 0 or undefined: a free port chosen by nats-server. */
  port?: number;
  readyTimeoutMs?: number;
}

// The server must not outlive this process, even one killed with SIGKILL (no 'exit' hook runs then), and Node
// cannot ask the kernel for a parent-death signal. So the server is started by a shell that first leaves a
// watcher behind: it blocks reading a pipe only this process holds, and when the pipe closes (this process ended,
// however, or stop() closed it) it stops the server and removes its dir. Then the shell execs nats-server, so
// child.pid is the server's own pid. The watcher ignores the terminal's signals: a Ctrl-C or hangup is for us.
const WATCHER_SCRIPT = [
  'server=$$; dir="$1"',
  "(",
  'trap "" INT HUP TERM',
  "read -r _ <&3",
  'kill -TERM "$server" 2>/dev/null',
  'i=0; while [ "$i" -lt 50 ] && kill -0 "$server" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done',
  '[ "$i" -lt 50 ] || kill -KILL "$server" 2>/dev/null',
  'rm -rf "$dir"',
  ") </dev/null >/dev/null 2>&1 &",
  'shift; exec "$@" 3<&-',
].join("\n");

function spawnWatched(binary: string, config: string, dir: string): ChildProcess {
  const stdio: ("ignore" | "pipe")[] = ["ignore", "ignore", "pipe"];
  if (process.platform === "win32") return spawn(binary, ["-c", config], { stdio });
  return spawn("/bin/sh", ["-c", WATCHER_SCRIPT, "nsm4home-demo-watcher", dir, binary, "-c", config], { stdio: [...stdio, "pipe"] });
}

/** Closes the pipe the watcher waits on (see spawnWatched): from then on it stops the server by itself. */
function releaseWatcher(child: ChildProcess): void {
  (child.stdio[3] as NodeJS.ReadWriteStream & { destroy?: () => void } | null | undefined)?.destroy?.();
}

export async function startLocalNatsServer(opts: LocalServerOptions = {}): Promise<LocalNatsServer> {
  const binary = opts.binary ?? findNatsServer();
  if (!binary) throw new RuntimeError(natsServerMissingMessage());
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-demo-"));
  const config = join(dir, "nats-server.conf");
  writeFileSync(
    config,
    [`listen: 127.0.0.1:${opts.port ? opts.port : -1}`, "server_name: nsm4home-demo", `jetstream { store_dir: ${JSON.stringify(join(dir, "store"))} }`, ""].join("\n"),
  );

  let child: ChildProcess;
  try {
    child = spawnWatched(binary, config, dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new RuntimeError(`cannot start ${binary}: ${(err as Error).message}`);
  }
  let log = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => (log = (log + d).slice(-32 * 1024)));

  // Whatever ends this process (a signal handler calling process.exit, an uncaught error), the server and its
  // dir go with it.
  const cleanupOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  };
  process.on("exit", cleanupOnExit);

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("error", () => undefined);

  let port = 0;
  try {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
    while (!/Server is ready/.test(log)) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        throw new RuntimeError(`nats-server exited before it was ready: ${lastLogLine(log) ?? "no output"}`);
      }
      if (Date.now() > deadline) throw new RuntimeError(`nats-server was not ready after ${opts.readyTimeoutMs ?? 15_000} ms: ${lastLogLine(log) ?? "no output"}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const m = /Listening for client connections on [^\s]*:(\d+)/.exec(log);
    if (!m) throw new RuntimeError("nats-server did not say which port it listens on");
    port = Number(m[1]);
  } catch (err) {
    releaseWatcher(child);
    cleanupOnExit();
    process.off("exit", cleanupOnExit);
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    dir,
    pid: child.pid!,
    log: () => log,
    stop() {
      stopping ??= (async () => {
        // The watcher first, while the server still runs: it never signals a pid that may be someone else's now.
        releaseWatcher(child);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
        process.off("exit", cleanupOnExit);
      })();
      return stopping;
    },
  };
}

function lastLogLine(log: string): string | undefined {
  const lines = log.trim().split("\n");
  const last = lines[lines.length - 1];
  return last ? last.replace(/^\[\d+\] \S+ \S+ /, "") : undefined;
}
