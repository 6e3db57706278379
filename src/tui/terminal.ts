// The terminal while the dashboard owns it: the alternate screen with the cursor hidden, given back on every way
// out (q, Ctrl-C, SIGTERM, SIGHUP, SIGINT from kill, an uncaught error, process.exit anywhere). Registered once.
// A terminal that hung up (ssh closed, tmux kill-session) is let go of quietly instead: nothing left to restore.
import type { EventEmitter } from "node:events";
import { closeSync, openSync } from "node:fs";
import { isatty } from "node:tty";

export const ENTER_ALT_SCREEN = "\x1b[?1049h";
export const LEAVE_ALT_SCREEN = "\x1b[?1049l";
export const HIDE_CURSOR = "\x1b[?25l";
export const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_AND_HOME = "\x1b[2J\x1b[H";

/** The standard fds (0, 1, 2) that are a terminal now; what letGoOfHungUpTerminal looks at later. */
export function terminalFds(): number[] {
  return [0, 1, 2].filter((fd) => isatty(fd));
}

const letGo = new Set<number>();

/**
 * After a hangup (the fds in `fds` were a terminal and are not any more), points each of them at /dev/null and
 * returns true; false while the terminal is there. Writes then vanish instead of failing with EIO, and Node's
 * stdio reset at exit, which aborts on a dead terminal (tcsetattr fails: nodejs/node#42433), skips an fd that is
 * not the file it was at start. `stdin`, if something reads it, is destroyed first so no reader watches fd 0.
 */
export function letGoOfHungUpTerminal(fds: readonly number[], stdin?: NodeJS.ReadStream): boolean {
  const hungUp = fds.filter((fd) => !letGo.has(fd) && !isatty(fd));
  if (hungUp.length === 0) return fds.some((fd) => letGo.has(fd));
  if (hungUp.includes(0)) stdin?.destroy();
  // In ascending order, so the lowest free fd that open() returns is the one just closed.
  for (const fd of [...hungUp].sort((a, b) => a - b)) {
    letGo.add(fd);
    try {
      closeSync(fd);
      const devNull = openSync("/dev/null", "r+");
      // Not ours (a race with another open): leave fd closed, which the exit-time reset skips as well.
      if (devNull !== fd) closeSync(devNull);
    } catch {
      // Closed already: nothing to reset either.
    }
  }
  return true;
}

/**
 * ink hides the cursor with cli-cursor, which arms restore-cursor: a signal-exit hook that writes ESC[?25h to
 * stderr at exit whatever stderr is (a log file, with 2>file). restore() shows the cursor on the terminal the
 * dashboard drew on; that hook is dropped. (signal-exit 3 keeps its hooks on this process-wide emitter.)
 */
function disarmStderrCursorRestore(): void {
  const emitter = (process as unknown as { __signal_exit_emitter__?: EventEmitter }).__signal_exit_emitter__;
  for (const hook of emitter?.listeners("afterexit") ?? []) {
    if (String(hook).includes(SHOW_CURSOR.slice(1))) emitter!.removeListener("afterexit", hook as (...args: unknown[]) => void);
  }
}

export interface FullScreen {
  /** Leaves the alternate screen, shows the cursor, ends raw mode. Safe to call any number of times. */
  restore(): void;
  /** Lets go of the terminal if it hung up (letGoOfHungUpTerminal); true then. Call before writing to it. */
  hungUp(): boolean;
  readonly restored: boolean;
}

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): FullScreen {
  let restored = false;
  const fds = terminalFds();
  const hungUp = () => letGoOfHungUpTerminal(fds, stdin);
  // A TTY write is synchronous on POSIX, so this reaches the terminal even from an 'exit' handler.
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_AND_HOME);
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off("exit", restore);
    disarmStderrCursorRestore();
    // A dead terminal: its fds now lead to /dev/null, so what follows is harmless and quiet.
    hungUp();
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // stdin may already be closed; the screen still has to come back.
    }
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  process.on("exit", restore);
  return {
    restore,
    hungUp,
    get restored() {
      return restored;
    },
  };
}

/**
 * While the dashboard owns the terminal: a write that fails because the terminal hung up (EIO, often before the
 * SIGHUP is handled) calls `onHangup` instead of the stream's usual error handling ("cannot write output", exit
 * 1); other write errors go where they went before. Returns a function that puts the usual handling back.
 */
export function onHangupWriteError(streams: NodeJS.WriteStream[], hungUp: () => boolean, onHangup: () => void): () => void {
  const putBack = streams.map((stream) => {
    const usual = stream.rawListeners("error") as ((err: Error) => void)[];
    stream.removeAllListeners("error");
    const onError = (err: Error) => {
      if (hungUp()) return onHangup();
      // No handler before: what an unhandled 'error' event does.
      if (usual.length === 0) throw err;
      for (const listener of usual) listener.call(stream, err);
    };
    stream.on("error", onError);
    return () => {
      stream.off("error", onError);
      for (const listener of usual) stream.on("error", listener);
    };
  });
  return () => putBack.forEach((undo) => undo());
}

export type ExitReason = { kind: "signal"; signal: NodeJS.Signals } | { kind: "error"; error: unknown };

const SIGNALS: NodeJS.Signals[] = ["SIGTERM", "SIGHUP", "SIGINT"];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The conventional exit code for death by a signal: 128 + its number. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 0);
}

/**
 * Calls `onExit` once for the first signal or uncaught error. The handler must leave the terminal usable
 * synchronously (the process may be about to end); it decides when to exit. Returns a function that uninstalls.
 */
export function onEveryExitPath(onExit: (reason: ExitReason) => void): () => void {
  let fired = false;
  const fire = (reason: ExitReason) => {
    if (fired) {
      // A second signal while shutting down (a close that hangs): stop now; the 'exit' hook restores the screen.
      // Not SIGHUP: a closing terminal sends it twice (the shell passes it on, the kernel when the shell exits).
      if (reason.kind === "signal" && reason.signal !== "SIGHUP") process.exit(exitCodeForSignal(reason.signal));
      return;
    }
    fired = true;
    onExit(reason);
  };
  const onSignal = (signal: NodeJS.Signals) => fire({ kind: "signal", signal });
  const onError = (error: unknown) => fire({ kind: "error", error });
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return () => {
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
  };
}
