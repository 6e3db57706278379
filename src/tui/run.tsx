// `nsm4home tui`: connect, open one event source per pane (live, or backfilled from the stream then live), take
// over the terminal, render until q, and give everything back on every exit path. Loaded only by the tui command,
// so ink, react and nats.js never slow down the other commands' start.
import { render, useApp } from "ink";
import type { TimestampMode } from "../eve/format.js";
import { errorMessage } from "../errors.js";
import { sanitizeText } from "../text/sanitize.js";
import { connectNats, describeServers, resolveConnectionOptions, type ConnectionFlags } from "../nats/connection/index.js";
import { openEventSource, type EventSource, type ReplayStart } from "../nats/event-source/index.js";
import { App } from "./App.js";
import { createInvestigator } from "./investigator.js";
import { useTerminalSize } from "./hooks/useTerminalSize.js";
import type { PaneConfig } from "./state/pane-state.js";
import { TuiStore } from "./state/store.js";
import { findInkCaches, trimInkCaches } from "./ink-caches.js";
import { capYoungGeneration, startHeapTrimmer, tightenOldGenerationGrowth } from "./heap-trimmer.js";
import { installGraphemeFastPath } from "./grapheme-fast-path.js";
import { enterFullScreen, exitCodeForSignal, onEveryExitPath, onTerminalHangupError, type ExitReason } from "./terminal.js";

export interface RunTuiOptions {
  flags: ConnectionFlags;
  panes: PaneConfig[];
  start?: ReplayStart;
  /** How the user asked for the backfill (`--since 1h`, `--last 100`), to say what the alert count covers. */
  backfill?: string;
  /** The stream to backfill from; default the one that stores the subjects. */
  streamName?: string;
  color: boolean;
  timestamps: TimestampMode;
  /** Subject prefix: alerts are counted from `<prefix>.alert`, and the pivots read `<prefix>.>`. */
  prefix?: string;
  /** A line for the status bar from the start (a word that looks like a misspelt event type). */
  notice?: string;
  /** Ends the dashboard as q does when this settles (the demo's --duration and its stop signals). */
  until?: Promise<unknown>;
}

function Root({ store, color }: { store: TuiStore; color: boolean }) {
  const { columns, rows } = useTerminalSize();
  const { exit } = useApp();
  return <App store={store} columns={columns} rows={rows} color={color} onQuit={() => exit()} />;
}

async function openSources(
  nc: Awaited<ReturnType<typeof connectNats>>,
  resolved: ReturnType<typeof resolveConnectionOptions>,
  store: TuiStore,
  options: RunTuiOptions,
): Promise<EventSource[]> {
  const sources: EventSource[] = [];
  try {
    // One source per pane: each pane gets its own backfill (--last N is N per pane) and needs no routing.
    for (const [i, pane] of options.panes.entries()) {
      const source = await openEventSource(nc, resolved, {
        subjects: [pane.subject],
        ...(options.start !== undefined ? { start: options.start } : {}),
        ...(options.streamName !== undefined ? { streamName: options.streamName } : {}),
        follow: true,
        onMessage: (msg) => store.receive(i, msg.data, msg.backfill === true ? msg.time : undefined),
        onDrop: (n) => store.addDrops(n),
        onStatus: (line) => {
          store.notice = sanitizeText(line);
        },
      });
      source.done.catch((err: unknown) => {
        // Errors can quote what a server said: escaped before the status bar shows them.
        store.notice = sanitizeText(`${pane.subject}: ${errorMessage(err)}`);
      });
      sources.push(source);
    }
    if (options.prefix !== undefined) sources.push(await openAlertSource(nc, resolved, store, options, options.prefix));
  } catch (err) {
    await Promise.all(sources.map((s) => s.stop()));
    throw err;
  }
  return sources;
}

/**
 * Alerts are counted whatever the panes show: a subscription of their own (cheap: few alerts), backfilled like the
 * panes. Where no stream stores the alerts, they are counted from now on, and the status bar says why.
 */
async function openAlertSource(
  nc: Awaited<ReturnType<typeof connectNats>>,
  resolved: ReturnType<typeof resolveConnectionOptions>,
  store: TuiStore,
  options: RunTuiOptions,
  prefix: string,
): Promise<EventSource> {
  const live = { subjects: [`${prefix}.alert`], onMessage: (msg: { data: Uint8Array }) => store.receiveAlert(msg.data) };
  if (options.start === undefined) return openEventSource(nc, resolved, live);
  try {
    return await openEventSource(nc, resolved, {
      ...live,
      start: options.start,
      ...(options.streamName !== undefined ? { streamName: options.streamName } : {}),
      follow: true,
    });
  } catch (err) {
    store.alertsFromNow();
    store.notice = sanitizeText(`alerts counted from now: ${errorMessage(err)}`);
    return openEventSource(nc, resolved, live);
  }
}

/**
 * While the dashboard is on screen: ink's caches trimmed every second, V8 told to collect sooner (with a timed full
 * collection behind it), and the grapheme shortcut for ink's measuring. Returns the undo of all of them.
 */
function tuneProcessForDashboard(inkCaches: Awaited<ReturnType<typeof findInkCaches>>): () => void {
  const trimTimer = setInterval(() => trimInkCaches(inkCaches), 1000);
  trimTimer.unref();
  const undo = [() => clearInterval(trimTimer), startHeapTrimmer(), tightenOldGenerationGrowth(), installGraphemeFastPath()];
  return () => {
    for (const step of undo) step();
  };
}

/**
 * Runs the dashboard until q or Ctrl-C, or a signal (SIGTERM, SIGHUP, SIGINT): then it returns with
 * process.exitCode set to 128 + the signal's number. An uncaught error restores the terminal and exits 1.
 */
export async function runTui(options: RunTuiOptions): Promise<void> {
  let instance: ReturnType<typeof render> | undefined;
  let untilSettled = false;
  const endByCaller = () => {
    untilSettled = true;
    instance?.unmount();
  };
  options.until?.then(endByCaller, endByCaller);
  const resolved = resolveConnectionOptions(options.flags);
  const store = new TuiStore({
    panes: options.panes,
    server: describeServers(resolved),
    color: options.color,
    timestamps: options.timestamps,
    ...(options.backfill !== undefined && options.prefix !== undefined ? { alertsBackfill: options.backfill } : {}),
  });
  // Connect and subscribe before taking the screen: a wrong server or a missing stream is an ordinary error line.
  // Status lines would scribble over the dashboard; the status bar shows the connection state instead.
  const nc = await connectNats(resolved, { name: "nsm4home tui", onStatus: null, onStatusEvent: (s) => store.onNatsStatus(s) });
  store.setConnection({ kind: "connected" });
  if (options.notice !== undefined) store.notice = sanitizeText(options.notice);
  if (options.prefix !== undefined) {
    const prefix = options.prefix;
    store.investigator = createInvestigator(nc, resolved, {
      prefix,
      ...(options.streamName !== undefined ? { streamName: options.streamName } : {}),
      timestamps: () => (store.timestampsOn ? options.timestamps : "none"),
      width: () => store.columns,
    });
  }
  // Before the first event arrives: under load V8 would double the young generation again.
  const stopYoungGenerationCap = capYoungGeneration();
  let sources: EventSource[];
  try {
    sources = await openSources(nc, resolved, store, options);
  } catch (err) {
    stopYoungGenerationCap();
    await nc.close().catch(() => undefined);
    throw err;
  }

  const closeAll = async () => {
    stopYoungGenerationCap();
    await Promise.all(sources.map((s) => s.stop().catch(() => undefined)));
    await nc.close().catch(() => undefined);
  };
  const inkCaches = await findInkCaches();
  // Asked to end while connecting: no screen to take.
  if (untilSettled) return closeAll();

  const untune = tuneProcessForDashboard(inkCaches);

  const screen = enterFullScreen(process.stdout, process.stdin);
  let stopping = false;
  const stop = (reason: ExitReason) => {
    // A hangup seen as a failed write first, then as SIGHUP: one stop.
    if (stopping) return;
    stopping = true;
    // Terminal first, synchronously: whatever happens next, the user gets the shell back. A terminal that hung up
    // is let go of before anything is written to it (unmount draws a last frame).
    screen.hungUp();
    instance?.unmount();
    screen.restore();
    if (reason.kind === "error") {
      process.stderr.write(`nsm4home: tui stopped on an unexpected error: ${sanitizeText(errorMessage(reason.error).split("\n")[0]!)}\n`);
      if (process.env.NSM4HOME_DEBUG) process.stderr.write(`${(reason.error as Error)?.stack ?? ""}\n`);
      // Closing politely is worth a moment, not a hang.
      setTimeout(() => process.exit(1), 1000).unref();
      void closeAll().finally(() => process.exit(1));
      return;
    }
    // A signal ends the dashboard as q does (the unmount above ends the wait below), with 128 + its number as the
    // exit status: the caller gets to finish (the demo stops its server and says so). Should something keep the
    // process alive after that, it ends anyway.
    const code = exitCodeForSignal(reason.signal);
    process.exitCode = code;
    setTimeout(() => process.exit(code), 5000).unref();
  };
  const uninstall = onEveryExitPath(stop);
  const usualErrors = onTerminalHangupError([process.stdout, process.stderr, process.stdin], screen.hungUp, () =>
    stop({ kind: "signal", signal: "SIGHUP" }),
  );
  try {
    instance = render(<Root store={store} color={options.color} />, {
      exitOnCtrlC: false,
      // The snapshot timer paces frames (10 a second at most); ink's own throttle would only hold a key press's
      // frame back (up to 1000/maxFps ms after the timer's), so it is kept out of the way.
      maxFps: 1000,
      // Not incrementalRendering: in ink 6.8 it misplaces lines when several change at once (seen in tmux).
      patchConsole: true,
    });
    await instance.waitUntilExit();
  } finally {
    untune();
    stopYoungGenerationCap();
    instance?.unmount();
    screen.restore();
    uninstall();
    usualErrors();
    // A terminal that hung up may send SIGHUP again (the shell passes it on, the kernel when the shell exits), also
    // after the dashboard has ended: no reason to die before the caller has finished.
    if (stopping) process.on("SIGHUP", () => undefined);
    await closeAll();
  }
}
