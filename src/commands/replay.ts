// `nsm4home replay FILE`: publishes an eve.json to <prefix>.<event_type> at the pace of its timestamps, at N
// events a second, or as fast as JetStream acknowledges, once or in a loop. For demos, tests and dashboards.
import type { Command } from "commander";
import { parseCount } from "../text/units.js";
import { RuntimeError, UsageError } from "../errors.js";
import { addPublishTargetOptions, connectionFlagsOf, parseProgressFlag } from "./shared.js";

interface ReplayFlags {
  rate: string;
  loop?: boolean;
  prefix: string;
  stream: string;
  createStream?: boolean;
  window: string;
  progress: string;
}

export function register(program: Command): void {
  addPublishTargetOptions(
    program
      .command("replay")
      .description("publish an eve.json to JetStream: at its own pace, N events a second, or as fast as possible")
      .argument("<file>", "eve.json (one event per line), or - for stdin")
      .option("--rate <rate>", "realtime (the events' timestamps; gaps over 10s shortened), N events per second, or max", "realtime")
      .option("--loop", "start again at the end of the file, until Ctrl-C"),
  )
    .option("--window <n>", "most publishes awaiting their acknowledgement at once", "1000")
    .option("--progress <duration>", "progress line on stderr every DURATION (0: only the final summary)", "5s")
    .addHelpText(
      "after",
      `
Events are published as they are (timestamps unchanged) and without Nats-Msg-Id, so replaying a file twice stores
it twice. Lines that are not JSON objects go to <prefix>.invalid.

Examples:
  nsm4home replay eve.json --create-stream
  nsm4home replay eve.json --rate 200 --loop
  nsm4home replay eve.json --rate max
`,
    )
    .action(async (file: string, flags: ReplayFlags, cmd: Command) => {
      const { parseReplayRate, ReplayFileSource } = await import("../ingest/sources/replay-file.js");
      const rate = parseReplayRate(flags.rate);
      if (flags.loop && file === "-") throw new UsageError("--loop needs a file: stdin cannot be read twice");
      const progressMs = parseProgressFlag(flags.progress);
      const window = parseCount(flags.window, "--window");
      if (file !== "-") {
        const { statSync } = await import("node:fs");
        const { join } = await import("node:path");
        let st: import("node:fs").Stats;
        try {
          st = statSync(file);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? (err as Error).message);
          throw new RuntimeError(`cannot replay ${file}: ${why}`);
        }
        if (st.isDirectory()) throw new UsageError(`cannot replay ${file}: it is a directory; give the eve.json to replay, e.g. ${join(file, "eve.json")}`);
        if (!st.isFile()) throw new RuntimeError(`cannot replay ${file}: not a file`);
      }
      const { sanitizeText } = await import("../text/sanitize.js");
      // Notices quote file names and server errors: escaped like event text.
      const notify = (line: string) => process.stderr.write(`nsm4home: replay: ${sanitizeText(line)}\n`);
      const source = new ReplayFileSource(file, {
        rate,
        loop: flags.loop === true,
        notify,
        ...(file === "-" ? { open: () => process.stdin } : {}),
      });
      const { runIngest } = await import("../ingest/run.js");
      await runIngest(
        connectionFlagsOf(cmd),
        {
          from: file,
          prefix: flags.prefix,
          stream: flags.stream,
          createStream: flags.createStream === true,
          core: false,
          dropInvalid: false,
          window,
          batch: 250,
          group: "",
          field: "eve",
          startAt: "beginning",
          once: true,
          progressMs,
        },
        { source, msgIds: false, label: "replay", notify },
      );
    });
}
