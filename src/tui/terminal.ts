// The terminal while the dashboard owns it: the alternate screen with the cursor hidden, given back on every way
// out (q, Ctrl-C, SIGTERM, SIGHUP, SIGINT from kill, an uncaught error, process.exit anywhere). Registered once.

export const ENTER_ALT_SCREEN = "\x1b[?1049h";
export const LEAVE_ALT_SCREEN = "\x1b[?1049l";
export const HIDE_CURSOR = "\x1b[?25l";
export const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_AND_HOME = "\x1b[2J\x1b[H";

export interface FullScreen {
  /** Leaves the alternate screen, shows the cursor, ends raw mode. Safe to call any number of times. */
  restore(): void;
  readonly restored: boolean;
}

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): FullScreen {
  let restored = false;
  // A TTY write is synchronous on POSIX, so this reaches the terminal even from an 'exit' handler.
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_AND_HOME);
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off("exit", restore);
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
    get restored() {
      return restored;
    },
  };
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
      if (reason.kind === "signal") process.exit(exitCodeForSignal(reason.signal));
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
