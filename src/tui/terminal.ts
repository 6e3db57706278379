// The terminal while the dashboard owns it: the alternate screen with the cursor hidden, given back on every way
// out (q, Ctrl-C, SIGTERM, SIGHUP, SIGINT from kill, an uncaught error, process.exit anywhere). Registered once.
// A terminal that hung up (ssh closed, tmux kill-session) is let go of quietly instead: nothing left to restore,
// and nothing written to it may fail loudly or abort the exit.
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
const deadStreams = new WeakSet<NodeJS.WriteStream>();

/** A stdout or stderr stream open on a terminal that hung up: its write errors (EIO) are not news any more. */
function ignoreWriteErrors(stream: NodeJS.WriteStream): void {
  if (!stream.isTTY || deadStreams.has(stream)) return;
  deadStreams.add(stream);
  stream.removeAllListeners("error");
  stream.on("error", () => undefined);
}

/**
 * After a hangup (the fds in `fds` were a terminal and are not any more, or `gone`: an EIO from it said so before
 * isatty does), lets go of the terminal and returns true; false while it is there. Its standard fds are pointed at
 * /dev/null, which Node's stdio reset at exit then skips (it aborts when it cannot reset a dead terminal:
 * nodejs/node#42433); stdout and stderr streams already open on it (libuv writes through an fd of its own) ignore
 * their write errors from now on; `stdin`, if something reads it, is destroyed.
 */
export function letGoOfHungUpTerminal(fds: readonly number[], stdin?: NodeJS.ReadStream, gone = false): boolean {
  const hungUp = fds.filter((fd) => !letGo.has(fd) && (gone || !isatty(fd)));
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
    // After the swap: a stream not made yet is made on /dev/null, not on the dead terminal.
    if (fd === 1) ignoreWriteErrors(process.stdout);
    if (fd === 2) ignoreWriteErrors(process.stderr);
  }
  return true;
}

/** However the process ends, lets go of the terminal at exit if it hung up meanwhile (see letGoOfHungUpTerminal). */
export function letGoOfHungUpTerminalAtExit(fds: readonly number[]): void {
  if (fds.length > 0) process.on("exit", () => letGoOfHungUpTerminal(fds));
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
  /** Lets go of the terminal if it hung up, or at once if `gone` (letGoOfHungUpTerminal); true then. */
  hungUp(gone?: boolean): boolean;
  readonly restored: boolean;
}

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): FullScreen {
  let restored = false;
  const fds = terminalFds();
  const hungUp = (gone = false) => letGoOfHungUpTerminal(fds, stdin, gone);
  letGoOfHungUpTerminalAtExit(fds);
  // A TTY write is synchronous on POSIX, so this reaches the terminal even from an 'exit' handler.
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_AND_HOME);
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off("exit", restore);
    disarmStderrCursorRestore();
    // A dead terminal is let go of first: what follows then fails quietly.
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
 * While the dashboard owns the terminal: an error from it because it hung up (EIO from a write, a read or
 * setRawMode, often before the SIGHUP is handled) lets go of it and calls `onHangup`, instead of the stream's
 * usual error handling ("cannot write output" and exit 1; for stdin, an uncaught error). Other errors go where
 * they went before. Returns a function that puts the usual handling back.
 */
export function onTerminalHangupError(
  streams: (NodeJS.WriteStream | NodeJS.ReadStream)[],
  hungUp: (gone: boolean) => boolean,
  onHangup: () => void,
): () => void {
  const putBack = streams.map((stream) => {
    const usual = stream.rawListeners("error") as ((err: Error) => void)[];
    stream.removeAllListeners("error");
    const onError = (err: NodeJS.ErrnoException) => {
      // EIO from a terminal means it is gone, even while isatty still says otherwise (the other side just closed).
      if (hungUp(err.code === "EIO" && stream.isTTY === true)) return onHangup();
      // No handler before: what an unhandled 'error' event does.
      if (usual.length === 0) throw err;
      for (const listener of usual) listener.call(stream, err);
    };
    stream.on("error", onError);
    return () => {
      stream.off("error", onError);
      // A stream on a terminal that hung up keeps ignoring its errors.
      if (deadStreams.has(stream as NodeJS.WriteStream)) return;
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
