// Runs the built CLI (bin/nsm4home.js) as a user would: a real process, real stdio, its exit code.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stopChild, trackDir, trackPid, untrackPid } from "./processes.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const cliPath = join(repoRoot, "bin", "nsm4home.js");

/** A word for sh, quoted: a clone may live under a path with a space in it. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `node bin/nsm4home.js` as a shell command line starts (tmux panes, pipelines). */
export const cliShellCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * An environment without the developer's NATS settings or contexts: HOME and XDG_CONFIG_HOME point to a fresh
 * temp dir, NATS_* and colour variables are removed, so each test says exactly what it sets.
 */
export function isolatedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "nsm4home-home-"));
  trackDir(home);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("NATS_") || k === "NO_COLOR" || k === "FORCE_COLOR" || k.startsWith("VITEST") || k === "NODE_OPTIONS") continue;
    env[k] = v;
  }
  env.HOME = home;
  env.XDG_CONFIG_HOME = join(home, ".config");
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
  cwd?: string;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const proc = startCli(args, opts);
  if (opts.input !== undefined) proc.child.stdin!.end(opts.input);
  else proc.child.stdin!.end();
  return proc.exited;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout (or stderr) matches; rejects with both outputs after timeoutMs. */
  waitFor(pattern: RegExp | ((text: string) => boolean), opts?: { stream?: "stdout" | "stderr"; timeoutMs?: number }): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  exited: Promise<CliResult>;
}

export function startCli(args: string[], opts: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: opts.env ?? isolatedEnv(),
    cwd: opts.cwd ?? repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  trackPid(child.pid);
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => (out += d));
  child.stderr!.on("data", (d: string) => (err += d));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exited = new Promise<CliResult>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      untrackPid(child.pid);
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, o = {}) {
      const test = typeof pattern === "function" ? pattern : (t: string) => pattern.test(t);
      const deadline = Date.now() + (o.timeoutMs ?? 15_000);
      while (Date.now() < deadline) {
        if (test(o.stream === "stderr" ? err : out)) return;
        if (child.exitCode !== null || child.signalCode !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      if (test(o.stream === "stderr" ? err : out)) return;
      throw new Error(`waited for ${String(pattern)} on ${o.stream ?? "stdout"}; got stdout:\n${out.slice(-3000)}\nstderr:\n${err.slice(-3000)}`);
    },
    async stop(signal: NodeJS.Signals = "SIGINT") {
      await stopChild(child, signal);
      return exited;
    },
    exited,
  };
}
