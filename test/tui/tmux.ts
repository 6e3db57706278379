// A real terminal for end-to-end tests and the benchmark: a tmux session on a private socket (the user's own tmux
// server is never touched), driven with send-keys and read with capture-pane.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export function hasTmux(): boolean {
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(`${dir}/tmux`)) return true;
  return false;
}

let counter = 0;

export class TmuxSession {
  readonly socket: string;
  readonly name: string;

  constructor(label = "t") {
    counter++;
    this.socket = `nsm4home-test-${process.pid}`;
    this.name = `${label}-${process.pid}-${counter}`;
  }

  private tmux(args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Starts a plain shell (no rc files, a fixed prompt) with exactly `env` in its environment. */
  start(width: number, height: number, env: Record<string, string>): void {
    const vars = Object.entries({ PS1: "$ ", TERM: "screen", ...env }).map(([k, v]) => `${k}=${v}`);
    this.tmux(["new-session", "-d", "-s", this.name, "-x", String(width), "-y", String(height), "env", "-i", ...vars, "sh"]);
    // A server started by this call has the default window size policy; make the window exactly this size.
    this.tmux(["set-option", "-t", this.name, "window-size", "manual"]);
    this.tmux(["resize-window", "-t", this.name, "-x", String(width), "-y", String(height)]);
  }

  /** Keys by tmux name (Enter, Escape, Tab, Space, C-c) or literal characters with `literal`. */
  send(keys: string, literal = false): void {
    this.tmux(["send-keys", "-t", this.name, ...(literal ? ["-l", keys] : [keys])]);
  }

  /** Types a command line and presses Enter. */
  run(line: string): void {
    this.send(line, true);
    this.send("Enter");
  }

  capture(): string {
    return this.tmux(["capture-pane", "-p", "-t", this.name]);
  }

  /** Whether the program in the pane has the alternate screen on. */
  alternateOn(): boolean {
    return this.tmux(["display-message", "-p", "-t", this.name, "#{alternate_on}"]).trim() === "1";
  }

  /** The title programs in the pane set with OSC 0/2 escape sequences. */
  paneTitle(): string {
    return this.tmux(["display-message", "-p", "-t", this.name, "#{pane_title}"]).trim();
  }

  resize(width: number, height: number): void {
    this.tmux(["resize-window", "-t", this.name, "-x", String(width), "-y", String(height)]);
  }

  /** The pid of the shell in the pane. */
  shellPid(): number {
    return Number(this.tmux(["display-message", "-p", "-t", this.name, "#{pane_pid}"]).trim());
  }

  async waitFor(test: (screen: string) => boolean, timeoutMs = 10_000, what = "screen"): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = "";
    for (;;) {
      screen = this.capture();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`tmux ${what}: not seen within ${timeoutMs} ms; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  waitForText(text: string, timeoutMs?: number): Promise<string> {
    return this.waitFor((s) => s.includes(text), timeoutMs, JSON.stringify(text));
  }

  kill(): void {
    try {
      this.tmux(["kill-session", "-t", this.name]);
    } catch {
      // already gone
    }
  }

  /** Ends the private tmux server (all sessions of this test process). */
  static killServer(): void {
    try {
      execFileSync("tmux", ["-L", `nsm4home-test-${process.pid}`, "kill-server"], { stdio: "ignore" });
    } catch {
      // no server
    }
  }
}
