// `nsm4home demo`: everything on one machine with nothing set up: a throwaway nats-server with JetStream, the
// suricata stream, sample events at a home network's pace, and the dashboard (or a feed for other terminals).
import type { Command } from "commander";
import { parseColorChoice, shouldUseColor } from "../render/color.js";
import { parseCount, parseDuration } from "../text/units.js";
import { UsageError } from "../errors.js";
import { connectionFlagsOf, refuseTraceOnTerminal } from "./shared.js";
import { DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { checkPublishPrefix } from "../nats/subjects.js";

interface DemoFlags {
  tui: boolean;
  duration?: string;
  rate: string;
  port?: string;
  seed?: string;
  prefix: string;
  color: string;
}

/** The demo's last lines: the way from the sample feed to the user's own events, in a day's order. */
export function demoNextSteps(): string {
  return [
    "nsm4home: demo: next, on your own NATS server:",
    "  nsm4home context add home -s nats://HOST:4222 --select    # where your NATS runs (context validate checks it)",
    "  nsm4home stream add --defaults                            # the suricata stream",
    "  nsm4home ingest --from /var/log/suricata/eve.json         # Suricata's events in (or: replay samples/eve.json)",
    "  nsm4home tail alert    nsm4home tui                       # then watch them",
    "",
  ].join("\n");
}

export function register(program: Command): void {
  program
    .command("demo")
    .description("run a throwaway nats-server with sample Suricata events and open the dashboard on it")
    .argument("[subjects...]", `panes of the dashboard (default: ${["dns", "flow", "tls", "alert", "stats"].join(" ")})`)
    .option("--no-tui", "no dashboard: print the server URL and a ready-to-paste 'tail' line, keep publishing until Ctrl-C")
    .option("--duration <duration>", "stop after this long (e.g. 30s) instead of waiting for Ctrl-C or q")
    .option("--rate <n>", "average sample events per second (bursts and quiet spells around it)", "25")
    .option("--port <n>", "port for the demo server (default: a free one)")
    .option("--seed <n>", "seed for the sample events (default: from the clock)")
    .option("--prefix <prefix>", "subject prefix", DEFAULT_SUBJECT_PREFIX)
    .option("--color <when>", "auto, always or never", "auto")
    .addHelpText(
      "after",
      `
Needs nats-server (PATH, /usr/sbin, or NSM4HOME_NATS_SERVER). It runs on 127.0.0.1 with JetStream in a temp dir,
which is removed when the demo ends (q in the dashboard, Ctrl-C, SIGTERM, SIGHUP, or --duration; a killed demo takes its server with it).

Examples:
  nsm4home demo
  nsm4home demo dns alert         # two panes instead of dns flow tls alert stats
  nsm4home demo --no-tui          # then, elsewhere: nsm4home -s nats://127.0.0.1:PORT tail dns
`,
    )
    .action(async (panes: string[], flags: DemoFlags, cmd: Command) => {
      // The demo makes its own events, so its prefix tokens have no length limit.
      checkPublishPrefix(flags.prefix, { maxTokenLength: Infinity });
      const eventsPerSecond = parseCount(flags.rate, "--rate");
      if (eventsPerSecond < 1) throw new UsageError("invalid --rate '0': give at least 1 event per second");
      const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, "--duration");
      const port = flags.port === undefined ? undefined : parseCount(flags.port, "--port");
      if (port !== undefined && port > 65535) throw new UsageError(`invalid --port '${flags.port}': use a port up to 65535, or leave it out for a free one`);
      const seed = flags.seed === undefined ? undefined : parseCount(flags.seed, "--seed");
      let tui = flags.tui;
      if (tui && (!process.stdin.isTTY || !process.stdout.isTTY)) {
        process.stderr.write("nsm4home: demo: no terminal for the dashboard; running as --no-tui\n");
        tui = false;
      }
      if (tui) refuseTraceOnTerminal(cmd, "the dashboard");
      const color = shouldUseColor(parseColorChoice(flags.color), process.stdout);
      const { runDemo } = await import("../demo/run.js");
      if (panes.length > 9) throw new UsageError(`too many panes (${panes.length}): give at most 9 subjects`);
      await runDemo({ tui, panes, prefix: flags.prefix, eventsPerSecond, durationMs, port, seed, color, trace: connectionFlagsOf(cmd).trace });
      process.stderr.write(demoNextSteps());
    });
}
