// natscli (v0.5.0, built into the tools cache by scripts/test-servers.mjs), run as a peer against the same
// throwaway server and the same isolated HOME as nsm4home, so both read and write the same contexts.
import { spawn } from "node:child_process";
import { describe } from "vitest";
import { natscliBinary, NATSCLI_VERSION } from "../../scripts/test-servers.mjs";
import { trackPid } from "./processes.js";

/** The natscli binary (NSM4HOME_NATSCLI, else the cache); undefined when absent: peer tests skip, and the run's
 *  one "not tested on" line names natscli. CI with Go builds it, and NSM4HOME_TEST_MATRIX=required fails without. */
export const natscli: string | undefined = natscliBinary();
export const natscliVersion = NATSCLI_VERSION;

/** `describe` when natscli is there, `describe.skip` otherwise. */
export const describeWithNatscli = natscli ? describe : describe.skip;

export interface NatsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nats <args>` with env (use the test's isolatedEnv() so contexts land in its HOME). */
export function runNatscli(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string; timeoutMs?: number } = {}): Promise<NatsResult> {
  if (!natscli) throw new Error("natscli is not built: run 'node scripts/test-servers.mjs'");
  const child = spawn(natscli, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  trackPid(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin.end(opts.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** runNatscli that throws with natscli's own words unless it exits 0. */
export async function natsOk(args: string[], env: NodeJS.ProcessEnv, opts?: { input?: string }): Promise<string> {
  const r = await runNatscli(args, env, opts);
  if (r.code !== 0) throw new Error(`nats ${args.join(" ")} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}
