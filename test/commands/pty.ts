// Runs the CLI on a pseudo-terminal (util-linux `script`), so prompts can be seen and answered as a person would.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cliPath, repoRoot } from "../helpers/cli.js";
import { stopChild, trackPid, untrackPid } from "../helpers/processes.js";

export const scriptBinary = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));

const shQuote = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export interface PtyProcess {
  output(): string;
  /** Waits until the output (prompts and echo) matches, then types `answer` and Enter. */
  answer(prompt: RegExp, answer: string): Promise<void>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Ctrl-D: end of input. */
  endInput(): void;
  exited: Promise<{ code: number | null; output: string }>;
  kill(): Promise<void>;
}

export function startInPty(args: string[], env: NodeJS.ProcessEnv): PtyProcess {
  if (!scriptBinary) throw new Error("script (util-linux) not found: install util-linux to run the terminal tests");
  const command = [process.execPath, cliPath, ...args].map(shQuote).join(" ");
  // -q quiet, -e child's exit code, -f flush each write; TERM=dumb keeps readline from drawing with escapes.
  const child = spawn(scriptBinary, ["-qefc", command, "/dev/null"], { cwd: repoRoot, env: { ...env, TERM: "dumb" }, stdio: ["pipe", "pipe", "pipe"] });
  trackPid(child.pid);
  let out = "";
  let consumed = 0;
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("close", (code) => {
      untrackPid(child.pid);
      resolve({ code, output: out });
    }),
  );
  const waitFor = async (pattern: RegExp, timeoutMs = 15_000, from = 0) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = pattern.exec(out.slice(from));
      if (m) return from + m.index + m[0].length;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`waited for ${String(pattern)} on the terminal; got:\n${out.slice(-3000)}`);
  };
  return {
    output: () => out,
    async answer(prompt, answer) {
      // Each answer waits for its own question: match only output after the previous question.
      consumed = await waitFor(prompt, 15_000, consumed);
      child.stdin!.write(answer + "\r");
    },
    async waitFor(pattern, timeoutMs) {
      await waitFor(pattern, timeoutMs);
    },
    endInput() {
      child.stdin!.write("\x04");
    },
    exited,
    kill: () => stopChild(child, "SIGKILL"),
  };
}
