// Every process a test starts, and every temp dir it makes, is registered here: killed and removed after each test
// file (cleanup.ts, a vitest setup file: vitest ends its workers without running 'exit' handlers) and, outside
// vitest, when the process exits.
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

const livePids = new Set<number>();
const tempDirs = new Set<string>();

export function trackPid(pid: number | undefined): void {
  if (pid !== undefined) livePids.add(pid);
}
export function untrackPid(pid: number | undefined): void {
  if (pid !== undefined) livePids.delete(pid);
}
export function trackDir(dir: string): void {
  tempDirs.add(dir);
}
export function removeDir(dir: string): void {
  tempDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Kills every tracked process and removes every tracked dir. */
export function cleanupAll(): void {
  for (const pid of livePids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  livePids.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on("exit", cleanupAll);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What the server helpers hand out for a process that `launch` (re)starts: `child()` is the current one. */
export function restartableProcess(child: () => ChildProcess, launch: () => Promise<void>, dir: string) {
  return {
    pid: () => child().pid!,
    /** SIGTERM and wait; the dir is kept until dispose(). */
    stop: () => stopChild(child(), "SIGTERM"),
    /** SIGKILL, as a crash. */
    kill: () => stopChild(child(), "SIGKILL"),
    restart: async () => {
      await stopChild(child(), "SIGTERM");
      await launch();
    },
    /** Kill and remove the dir. */
    dispose: async () => {
      await stopChild(child(), "SIGKILL");
      removeDir(dir);
    },
  };
}

/** Sends a signal and waits (up to timeoutMs) for the child to exit; SIGKILL after that. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    untrackPid(child.pid);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
  untrackPid(child.pid);
}
