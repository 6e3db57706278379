// `nsm4home demo`: a throwaway nats-server with JetStream, the `suricata` stream, a live feed of sample events,
// and the dashboard on top (or, with --no-tui, instructions for other terminals). Everything is stopped and the
// temp dir removed on the way out: quit, Ctrl-C, SIGTERM, SIGHUP, --duration (and, after a SIGKILL, by the
// server's watcher: see local-server.ts).
import { sanitizeText } from "../text/sanitize.js";
import { connectNats, resolveConnectionOptions, type ConnectionFlags, type TraceSettings } from "../nats/connection/index.js";
import { openJetStreamManager } from "../nats/jetstream.js";
import { startLocalNatsServer, type LocalNatsServer } from "../nats/local-server.js";
import { DEFAULT_STREAM_NAME } from "../nats/stream-defaults.js";
import { createNsmStream } from "../nats/streams/nsm-stream.js";
import { eventTypeOfSubject, subjectsFor } from "../nats/subjects.js";
import { formatCount } from "../text/units.js";
import { DEFAULT_DEMO_TYPES } from "../tui/limits.js";
import { exitCodeForSignal, letGoOfHungUpTerminal, letGoOfHungUpTerminalAtExit, terminalFds } from "../tui/terminal.js";
import { startDemoFeed } from "./feed.js";

export interface DemoSettings {
  tui: boolean;
  /** Event types or subjects, one pane each (default DEFAULT_DEMO_TYPES). */
  panes?: readonly string[];
  prefix: string;
  eventsPerSecond: number;
  durationMs?: number;
  port?: number;
  seed?: number;
  color: boolean;
  /** Where the instructions go (stdout); status lines go to stderr. */
  out?: NodeJS.WritableStream;
  /** --trace: the feed's and the dashboard's JetStream API traffic. */
  trace?: TraceSettings;
}

/** The lines --no-tui prints: where the server is and what to paste into another terminal. */
export function demoInstructions(url: string, dir: string, version: string, prefix: string, eventsPerSecond: number): string {
  return [
    `nsm4home demo: nats-server ${version} with JetStream at ${url} (store in ${dir})`,
    `publishing sample Suricata events to stream ${DEFAULT_STREAM_NAME} as ${prefix}.<event_type>, about ${eventsPerSecond} a second`,
    "",
    "In another terminal:",
    `  nsm4home -s ${url} tail dns`,
    `  nsm4home -s ${url} tui`,
    "",
    "Ctrl-C stops the server and removes its directory.",
    "",
  ].join("\n");
}

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

interface StopRequests {
  /** Resolves at the first SIGINT, SIGTERM or SIGHUP (its terminal was closed), or when the duration is over. */
  first: Promise<NodeJS.Signals | "duration">;
  dispose(): void;
}

/**
 * Listens for the demo's whole life. The first signal asks it to stop; a second one, while stopping takes long,
 * exits at once ('exit' hooks stop the server and remove its dir), but not SIGHUP, which a closing terminal sends
 * twice (the shell passes it on, the kernel sends it when the shell exits). A terminal (`terminal`: its fds) that
 * hung up is let go of first, and at exit, so the status lines and the exit do not fail on it.
 */
function stopRequests(durationMs: number | undefined, terminal: readonly number[]): StopRequests {
  let seen: NodeJS.Signals | undefined;
  let resolveFirst!: (why: NodeJS.Signals | "duration") => void;
  const first = new Promise<NodeJS.Signals | "duration">((resolve) => (resolveFirst = resolve));
  letGoOfHungUpTerminalAtExit(terminal);
  const onSignal = (signal: NodeJS.Signals) => {
    letGoOfHungUpTerminal(terminal);
    if (seen !== undefined && signal !== "SIGHUP") process.exit(exitCodeForSignal(signal));
    seen = signal;
    resolveFirst(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const timer = durationMs === undefined ? undefined : setTimeout(() => resolveFirst("duration"), durationMs);
  return {
    first,
    dispose() {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      clearTimeout(timer);
    },
  };
}

export async function runDemo(s: DemoSettings): Promise<void> {
  const out = s.out ?? process.stdout;
  const say = (line: string) => process.stderr.write(`nsm4home: demo: ${sanitizeText(line)}\n`);
  // With the dashboard, the terminal is the dashboard's to let go of.
  const stop = stopRequests(s.durationMs, s.tui ? [] : terminalFds());
  let server: LocalNatsServer;
  try {
    server = await startLocalNatsServer({ port: s.port });
  } catch (err) {
    stop.dispose();
    throw err;
  }
  // The demo server has no auth or TLS: the user's NATS_* settings are for their real servers, not this one.
  for (const key of Object.keys(process.env)) if (key.startsWith("NATS_")) delete process.env[key];
  const flags: ConnectionFlags = { server: server.url, context: false, trace: s.trace };
  let feed: ReturnType<typeof startDemoFeed> | undefined;
  let nc: Awaited<ReturnType<typeof connectNats>> | undefined;
  try {
    const resolved = resolveConnectionOptions(flags, {});
    nc = await connectNats(resolved, { name: "nsm4home demo feed", onStatus: null });
    const jsm = await openJetStreamManager(nc, resolved);
    await createNsmStream(jsm, DEFAULT_STREAM_NAME, s.prefix);
    feed = startDemoFeed(nc, { prefix: s.prefix, eventsPerSecond: s.eventsPerSecond, seed: s.seed });
    if (s.tui) {
      // As the tui command does: React's production build, chosen when react is first loaded (the import below).
      process.env.NODE_ENV ??= "production";
      const { runTui } = await import("../tui/run.js");
      const subjects = subjectsFor(s.panes !== undefined && s.panes.length > 0 ? s.panes : DEFAULT_DEMO_TYPES, s.prefix);
      await runTui({
        flags,
        panes: subjects.map((subject) => ({ subject, eventType: eventTypeOfSubject(subject), capacity: 10_000 })),
        // The stream holds only this demo's events: show them all, the first stats event included.
        start: { kind: "all" },
        prefix: s.prefix,
        color: s.color,
        timestamps: "local",
        until: stop.first,
      });
    } else {
      out.write(demoInstructions(server.url, server.dir, nc.info?.version ?? "?", s.prefix, s.eventsPerSecond));
      const why = await stop.first;
      if (why !== "duration") say(`${why}: stopping`);
    }
  } finally {
    await feed?.stop();
    await nc?.close().catch(() => undefined);
    await server.stop();
    say(`published ${formatCount(feed?.published() ?? 0)} events; stopped nats-server and removed ${server.dir}`);
    stop.dispose();
  }
}
