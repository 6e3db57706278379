// `nsm4home demo`: a throwaway nats-server with JetStream, the `suricata` stream, a live feed of sample events,
// and the dashboard on top (or, with --no-tui, instructions for other terminals). Everything is stopped and the
// temp dir removed on the way out: quit, Ctrl-C, SIGTERM, --duration.
import { connectNats, resolveConnectionOptions, type ConnectionFlags } from "../nats/connection.js";
import { describeJetStreamError, openJetStreamManager } from "../nats/jetstream.js";
import { startLocalNatsServer } from "../nats/local-server.js";
import { DEFAULT_STREAM_NAME, nsmStreamConfig } from "../nats/stream-defaults.js";
import { eventTypeOfSubject, subjectsFor } from "../nats/subjects.js";
import { formatCount } from "../render/units.js";
import { DEFAULT_TUI_TYPES } from "../tui/limits.js";
import { startDemoFeed } from "./feed.js";

export interface DemoSettings {
  tui: boolean;
  prefix: string;
  eventsPerSecond: number;
  durationMs?: number;
  port?: number;
  seed?: number;
  color: boolean;
  /** Where the instructions go (stdout); status lines go to stderr. */
  out?: NodeJS.WritableStream;
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

function untilStopped(durationMs: number | undefined): Promise<NodeJS.Signals | "duration"> {
  return new Promise((resolve) => {
    const done = (why: NodeJS.Signals | "duration") => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      clearTimeout(timer);
      resolve(why);
    };
    const onInt = () => done("SIGINT");
    const onTerm = () => done("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const timer = durationMs === undefined ? undefined : setTimeout(() => done("duration"), durationMs);
  });
}

export async function runDemo(s: DemoSettings): Promise<void> {
  const out = s.out ?? process.stdout;
  const say = (line: string) => process.stderr.write(`nsm4home: demo: ${line}\n`);
  const server = await startLocalNatsServer({ port: s.port });
  // The demo server has no auth or TLS: the user's NATS_* settings are for their real servers, not this one.
  for (const key of Object.keys(process.env)) if (key.startsWith("NATS_")) delete process.env[key];
  const flags: ConnectionFlags = { server: server.url, context: false };
  let feed: ReturnType<typeof startDemoFeed> | undefined;
  let nc: Awaited<ReturnType<typeof connectNats>> | undefined;
  try {
    const resolved = resolveConnectionOptions(flags, {});
    nc = await connectNats(resolved, { name: "nsm4home demo feed", onStatus: null });
    const jsm = await openJetStreamManager(nc, resolved);
    try {
      await jsm.streams.add(nsmStreamConfig(DEFAULT_STREAM_NAME, s.prefix));
    } catch (err) {
      throw describeJetStreamError(err, `creating stream ${DEFAULT_STREAM_NAME}`);
    }
    feed = startDemoFeed(nc, { prefix: s.prefix, eventsPerSecond: s.eventsPerSecond, seed: s.seed });
    if (s.tui) {
      // As the tui command does: React's production build, chosen when react is first loaded (the import below).
      process.env.NODE_ENV ??= "production";
      const { runTui } = await import("../tui/run.js");
      const subjects = subjectsFor(DEFAULT_TUI_TYPES, s.prefix);
      await runTui({
        flags,
        panes: subjects.map((subject) => ({ subject, eventType: eventTypeOfSubject(subject), capacity: 10_000 })),
        // The stream holds only this demo's events: show them all, the first stats event included.
        start: { kind: "all" },
        color: s.color,
        timestamps: "local",
      });
    } else {
      out.write(demoInstructions(server.url, server.dir, nc.info?.version ?? "?", s.prefix, s.eventsPerSecond));
      const why = await untilStopped(s.durationMs);
      if (why !== "duration") say(`${why}: stopping`);
    }
  } finally {
    await feed?.stop();
    await nc?.close().catch(() => undefined);
    await server.stop();
    say(`published ${formatCount(feed?.published() ?? 0)} events; stopped nats-server and removed ${server.dir}`);
  }
}
