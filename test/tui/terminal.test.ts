// The terminal comes back on every way out: run small programs that take the screen the way the dashboard does
// and end them by an uncaught error, a rejected promise, process.exit and a signal.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exitCodeForSignal } from "../../src/tui/terminal.js";
import { repoRoot } from "../helpers/cli.js";
import { hasTmux, TmuxSession } from "./tmux.js";

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

// A terminal that hangs up (ssh closed, tmux kill-session): a tmux pane is the terminal, handed to a child of this
// test (so its exit status can be read), then the session is killed, which hangs the pane's terminal up.
describe.skipIf(!hasTmux())("a terminal that hung up", () => {
  const sessions: TmuxSession[] = [];
  afterAll(() => {
    for (const s of sessions) s.kill();
    TmuxSession.killServer();
  });

  /** `usual`: the program's own stdout error handling (as the CLI's), installed before the dashboard's. */
  function onHungUpTerminal(body: string, usual = "") {
    const session = new TmuxSession("hangup");
    sessions.push(session);
    session.start(80, 24, { PATH: process.env.PATH ?? "/usr/bin:/bin" });
    const paneTty = execFileSync("tmux", ["-L", session.socket, "display-message", "-p", "-t", session.name, "#{pane_tty}"], { encoding: "utf8" }).trim();
    const program = `
      import { enterFullScreen, onEveryExitPath, onTerminalHangupError, exitCodeForSignal } from ${JSON.stringify(terminalModule)};
      ${usual}
      const screen = enterFullScreen(process.stdout, process.stdin);
      process.stdin.setRawMode(true);
      process.stdin.resume();
      let stopping = false;
      const stop = (reason) => {
        if (stopping) return;
        stopping = true;
        screen.hungUp();
        screen.restore();
        process.stdout.write("written after the hangup\\n");
        process.stderr.write("exit path: " + (reason.signal ?? reason.kind) + "\\n");
        setTimeout(() => process.exit(reason.kind === "signal" ? exitCodeForSignal(reason.signal) : 1), 50);
      };
      onEveryExitPath(stop);
      onTerminalHangupError([process.stdout, process.stderr, process.stdin], screen.hungUp, () => stop({ kind: "signal", signal: "SIGHUP" }));
      process.stderr.write("ready\\n");
      ${body}
    `;
    const terminal = openSync(paneTty, constants.O_RDWR | constants.O_NOCTTY);
    const child = spawn(process.execPath, ["--input-type=module", "-e", program], { stdio: [terminal, terminal, "pipe"] });
    closeSync(terminal);
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal, stderr })),
    );
    const ready = new Promise<void>((resolve) => child.stderr!.on("data", () => stderr.includes("ready") && resolve()));
    return { session, child, exited, ready };
  }

  it("SIGHUP: exits 129 quietly, not with Node's abort on resetting a dead terminal", async () => {
    const t = onHungUpTerminal(`setInterval(() => undefined, 1000);`);
    await t.ready;
    t.session.kill();
    t.child.kill("SIGHUP");
    const r = await t.exited;
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 129, signal: null });
    expect(r.stderr).toBe("ready\nexit path: SIGHUP\n");
  });

  it("a write that fails on it ends the program as SIGHUP does, without 'cannot write output'", async () => {
    const t = onHungUpTerminal(
      `setInterval(() => process.stdout.write("frame\\n"), 20);`,
      `process.stdout.on("error", (err) => { process.stderr.write("usual handler: " + err.code + "\\n"); process.exit(1); });`,
    );
    await t.ready;
    t.session.kill();
    const r = await t.exited;
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 129, signal: null });
    expect(r.stderr).toBe("ready\nexit path: SIGHUP\n");
  });
});
