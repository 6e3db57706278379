// Throwaway redis-server processes on loopback, nothing persisted unless a dir is reused.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisServerBinary } from "./binaries.js";
import { freePort } from "./ports.js";
import { restartableProcess, trackDir, trackPid } from "./processes.js";

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  pid(): number;
  kill(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-redis-"));
  trackDir(dir);
  const port = await freePort();
  let child!: ChildProcess;
  const launch = async () => {
    child = spawn(
      redisServerBinary(),
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", ""],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    trackPid(child.pid);
    let log = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => (log = (log + d).slice(-16 * 1024)));
    const deadline = Date.now() + 15_000;
    while (!log.includes("Ready to accept connections")) {
      if (child.exitCode !== null) throw new Error(`redis-server exited before ready:\n${log}`);
      if (Date.now() > deadline) throw new Error(`redis-server not ready:\n${log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    ...restartableProcess(() => child, launch, dir),
  };
}
