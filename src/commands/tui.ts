// `tui [TYPE|SUBJECT ...]`: the full-screen dashboard, one pane per subject (default dns flow tls stats).
// Flags are checked here; ink, react and nats.js are loaded only once the command runs (cold start).
import type { Command } from "commander";
import { oldSpelling } from "./old-spellings.js";
import { UsageError } from "../errors.js";
import { parseColorChoice, shouldUseColor } from "../render/color.js";
import { parseCount } from "../text/units.js";
import { replayStartOf } from "../nats/replay-start.js";
import { DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { eventTypeOfSubject, subjectsFor } from "../nats/subjects.js";
import { keyHelpLines } from "../tui/keymap.js";
import { ARENA_BYTES_PER_PAYLOAD, DEFAULT_PANE_CAPACITY, DEFAULT_TUI_TYPES, MAX_PANES } from "../tui/limits.js";
import { connectionFlagsOf, refuseTraceOnTerminal } from "./shared.js";

interface TuiFlags {
  prefix: string;
  since?: string;
  last?: string;
  stream?: string;
  timestamps: string;
  color: string;
  history: string;
}

export function register(program: Command): void {
  program
    .command("tui")
    .description("full-screen dashboard: dns, flow, tls and stats side by side, with pause, filters and top-N")
    .argument("[subjects...]", `event types or full subjects, one pane each (default: ${DEFAULT_TUI_TYPES.join(" ")})`)
    .option("--prefix <prefix>", "subject prefix for event types", DEFAULT_SUBJECT_PREFIX)
    .option("--since <when>", "backfill the panes from the stream starting this long ago (10m) or at an RFC 3339 time")
    .option("--last <n>", "backfill each pane with its last N messages from the stream")
    .option("--stream <name>", "stream to backfill from (default: the one that stores the subjects)")
    .option("--timestamps <mode>", "local, utc or none (t toggles)", "local")
    .option("--color <when>", "auto, always or never", "auto")
    .option("--history <n>", `messages kept per pane: what you can scroll back and what a pause holds (about ${ARENA_BYTES_PER_PAYLOAD} bytes each)`, String(DEFAULT_PANE_CAPACITY))
    .addOption(oldSpelling("--buffer <n>", "--history", "--buffer is bytes of output in tail"))
    .addHelpText(
      "after",
      () =>
        "\nNeeds a terminal; for pipes and scripts use 'nsm4home tail'. Keys (? shows them in the dashboard too):\n\n" +
        keyHelpLines().join("\n") +
        "\n\nExamples:\n  nsm4home tui\n  nsm4home tui --since 10m\n  nsm4home tui dns alert http\n",
    )
    .action(async (words: string[], flags: TuiFlags, cmd: Command) => {
      const subjects = subjectsFor(words.length === 0 ? DEFAULT_TUI_TYPES : words, flags.prefix);
      if (subjects.length > MAX_PANES) throw new UsageError(`too many panes (${subjects.length}): give at most ${MAX_PANES} subjects`);
      const start = replayStartOf({ since: flags.since, last: flags.last });
      if (flags.stream !== undefined && start === undefined) throw new UsageError("--stream names where to backfill from: give --since or --last too");
      const { misspeltTypeNotes } = await import("../eve/fields.js");
      const typeNotes = misspeltTypeNotes(words, flags.prefix);
      const { parseTimestampsFlag } = await import("../eve/format.js");
      const timestamps = parseTimestampsFlag(flags.timestamps);
      const capacity = parseCount(flags.history, "--history");
      if (capacity < 100) throw new UsageError(`invalid --history '${flags.history}': keep at least 100 messages per pane`);
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError(
          "tui needs a terminal on stdin and stdout; for pipes and scripts use 'nsm4home tail' (e.g. nsm4home tail dns flow tls stats)",
        );
      }
      refuseTraceOnTerminal(cmd, "the dashboard");
      const color = shouldUseColor(parseColorChoice(flags.color), process.stdout);
      // React's development build checks every element and costs a third of a frame; pick the production one
      // unless the user asked otherwise. It is chosen when react is first loaded, which is the import below.
      process.env.NODE_ENV ??= "production";
      const { runTui } = await import("../tui/run.js");
      await runTui({
        flags: connectionFlagsOf(cmd),
        panes: subjects.map((subject) => ({ subject, eventType: eventTypeOfSubject(subject), capacity })),
        ...(start !== undefined ? { start, backfill: flags.since !== undefined ? `--since ${flags.since}` : `--last ${flags.last}` } : {}),
        ...(flags.stream !== undefined ? { streamName: flags.stream } : {}),
        prefix: flags.prefix,
        ...(typeNotes.length > 0 ? { notice: typeNotes.join("; ") } : {}),
        color,
        timestamps,
      });
    });
}
