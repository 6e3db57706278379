// The terminal comes back on every way out: run small programs that take the screen the way the dashboard does
// and end them by an uncaught error, a rejected promise, process.exit and a signal.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { exitCodeForSignal } from "../../src/tui/terminal.js";
import { repoRoot } from "../helpers/cli.js";

const terminalModule = pathToFileURL(join(repoRoot, "dist", "tui", "terminal.js")).href;
const ENTER = "\x1b[?1049h";
const LEAVE = "\x1b[?25h\x1b[?1049l";

function run(body: string, signal?: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const program = `
    import { enterFullScreen, onEveryExitPath, exitCodeForSignal } from ${JSON.stringify(terminalModule)};
    const screen = enterFullScreen(process.stdout, process.stdin);
    onEveryExitPath((reason) => {
      screen.restore();
      process.stderr.write("exit path: " + reason.kind + "\\n");
      process.exit(reason.kind === "signal" ? exitCodeForSignal(reason.signal) : 1);
    });
    console.log("ready");
    ${body}
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", program], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (signal !== undefined && stdout.includes("ready")) child.kill(signal);
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("terminal restore", () => {
  it("on an uncaught error", async () => {
    const r = await run(`setTimeout(() => { throw new Error("boom"); }, 10);`);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith(ENTER)).toBe(true);
    expect(r.stdout.endsWith(LEAVE)).toBe(true);
    expect(r.stderr).toContain("exit path: error");
  });

  it("on a rejected promise nobody handles", async () => {
    const r = await run(`setTimeout(() => Promise.reject(new Error("boom")), 10);`);
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith(LEAVE)).toBe(true);
  });

  it("on process.exit anywhere, once", async () => {
    const r = await run(`setTimeout(() => process.exit(3), 10);`);
    expect(r.code).toBe(3);
    expect(r.stdout.endsWith(LEAVE)).toBe(true);
    expect(r.stdout.split(LEAVE)).toHaveLength(2);
  });

  it.each(["SIGTERM", "SIGHUP", "SIGINT"] as const)("on %s, with 128 + the signal's number", async (signal) => {
    const r = await run(`setInterval(() => undefined, 1000);`, signal);
    expect(r.code).toBe(exitCodeForSignal(signal));
    expect(r.stdout.endsWith(LEAVE)).toBe(true);
    expect(r.stderr).toContain("exit path: signal");
  });
});
