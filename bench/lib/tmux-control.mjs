// A tmux control-mode client (`tmux -C attach`): one long-lived process that takes commands on stdin and reports
// each answer between %begin and %end, with a %output line whenever a pane writes. The bench times key presses
// through it because a `tmux send-keys` or `capture-pane` process per step costs 5-15 ms to start on a loaded
// machine and a polling loop adds its interval: together about 25 ms of every key's figure that was the
// harness, not the dashboard. Here the screen is read the moment the pane has written.
import { spawn } from "node:child_process";

export class TmuxControl {
  /** Answers waited for, in the order the commands were sent (tmux answers in that order). */
  #pending = [];
  #block = undefined;
  #buffer = "";
  #outputListeners = new Set();
  #child;
  #ready;
  #onAttached;

  constructor(socket, session) {
    this.#child = spawn("tmux", ["-L", socket, "-C", "attach-session", "-t", session], { stdio: ["pipe", "pipe", "inherit"] });
    this.#child.stdout.setEncoding("utf8").on("data", (chunk) => this.#read(chunk));
    // The attach answers with blocks of its own; commands sent before %session-changed are not for this session.
    this.#ready = new Promise((resolve) => (this.#onAttached = resolve));
  }

  #read(chunk) {
    this.#buffer += chunk;
    let newline;
    while ((newline = this.#buffer.indexOf("\n")) >= 0) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#line(line);
    }
  }

  #line(line) {
    if (this.#block !== undefined) {
      if (/^%(end|error) \d+ \d+ \d+$/.test(line)) {
        const { lines, fromUs } = this.#block;
        this.#block = undefined;
        // Blocks flagged 0 answer tmux's own commands (the attach), not ours.
        if (fromUs) this.#pending.shift()?.(line.startsWith("%error") ? new Error(lines.join("\n")) : lines);
      } else {
        this.#block.lines.push(line);
      }
      return;
    }
    const begin = /^%begin \d+ \d+ (\d+)$/.exec(line);
    if (begin) this.#block = { lines: [], fromUs: begin[1] === "1" };
    else if (line.startsWith("%session-changed")) this.#onAttached?.();
    else if (line.startsWith("%output ")) for (const listener of this.#outputListeners) listener();
  }

  /** Runs one tmux command; resolves to the lines it printed. */
  async command(text) {
    await this.#ready;
    return new Promise((resolve, reject) => {
      this.#pending.push((result) => (result instanceof Error ? reject(result) : resolve(result)));
      this.#child.stdin.write(`${text}\n`);
    });
  }

  async capture(target) {
    return (await this.command(`capture-pane -p -t ${target}`)).join("\n");
  }

  /**
   * Sends a key and resolves to the milliseconds until the pane's screen passes `test`: read after every write the
   * pane makes (one capture at a time; a write during a capture means one more), and every 50 ms in case a write
   * was missed. Rejects after timeoutMs.
   */
  async timeKey(target, key, test, timeoutMs = 5000) {
    await this.#ready;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let capturing = false;
      let again = false;
      let done = false;
      const finish = (error, ms) => {
        done = true;
        this.#outputListeners.delete(check);
        clearInterval(poll);
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve(ms);
      };
      const check = () => {
        if (done) return;
        if (capturing) {
          again = true;
          return;
        }
        capturing = true;
        this.capture(target).then((screen) => {
          capturing = false;
          if (done) return;
          if (test(screen)) finish(undefined, performance.now() - started);
          else if (again) {
            again = false;
            check();
          }
        }, (error) => finish(error));
      };
      this.#outputListeners.add(check);
      const poll = setInterval(check, 50);
      const deadline = setTimeout(() => finish(new Error(`the screen did not answer ${key} within ${timeoutMs} ms`)), timeoutMs);
      this.command(`send-keys -t ${target} ${key}`).catch((error) => finish(error));
    });
  }

  close() {
    this.#child.stdin.end();
    this.#child.kill();
  }
}
