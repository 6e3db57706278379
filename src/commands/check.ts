// `check`: a health check for cron and monitoring (Nagios, Icinga, Sensu, ...) in the spirit of natscli's
// `server check`: the stream's newest event, Suricata's stats, sources, a consumer and fullness against
// -warn/-critical thresholds. Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, bad flags and unreachable servers included.
import type { Command, CommanderError } from "commander";
import { errorMessage, isUserFacingError, RuntimeError } from "../errors.js";
import type { CheckFlags } from "../health/thresholds.js";
import { DEFAULT_STREAM_NAME, DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { sanitizeText } from "../text/sanitize.js";
import { collectRepeat, connectionFlagsOf, printJson } from "./shared.js";

interface CheckOptions extends CheckFlags {
  stream: string;
  prefix: string;
  json?: boolean;
}

/** Nagios's UNKNOWN: what a plugin exits with when it cannot check, bad arguments included. */
const UNKNOWN = 3;

export function register(program: Command): void {
  const check = program
    .command("check")
    .description("health check for cron and monitoring: Nagios-style status line and exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)")
    .option("--stream <name>", "the stream to check", DEFAULT_STREAM_NAME)
    .option("--prefix <prefix>", "subject prefix (stats events are <prefix>.stats)", DEFAULT_SUBJECT_PREFIX)
    .option("--age-warn <duration>", "warn when the stream's newest event is older")
    .option("--age-critical <duration>", "critical when the stream's newest event is older")
    .option("--subject-age <subject=warn,crit>", "the same for the newest event on SUBJECT; a wildcard checks each subject it matches (repeatable)", collectRepeat)
    .option("--stats-age-warn <duration>", "warn when the latest Suricata stats event is older")
    .option("--stats-age-critical <duration>", "critical when the latest Suricata stats event is older")
    .option("--drop-warn <percent>", "warn when kernel drops since Suricata started are higher")
    .option("--drop-critical <percent>", "critical when kernel drops since Suricata started are higher")
    .option("--lag-warn <msgs>", "warn when a source or the mirror is more messages behind")
    .option("--lag-critical <msgs>", "critical when a source or the mirror is more messages behind")
    .option("--seen-warn <duration>", "warn when a source or the mirror was last heard from longer ago")
    .option("--seen-critical <duration>", "critical when a source or the mirror was last heard from longer ago (or never)")
    .option("--consumer <name>", "check this consumer's unprocessed and ack pending counts")
    .option("--unprocessed-warn <msgs>", "warn when the consumer has more messages not yet delivered")
    .option("--unprocessed-critical <msgs>", "critical when the consumer has more messages not yet delivered")
    .option("--outstanding-ack-warn <msgs>", "warn when more of the consumer's messages await their ack")
    .option("--outstanding-ack-critical <msgs>", "critical when more of the consumer's messages await their ack")
    .option("--fullness-warn <percent>", "warn when the stream fills more of its max_bytes or max_msgs")
    .option("--fullness-critical <percent>", "critical when the stream fills more of its max_bytes or max_msgs")
    .option("--json", "print {status, code, checks, perfdata} as JSON instead of the plugin output")
    .addHelpText(
      "after",
      `
Only the checks asked for run; with none, --age-warn 5m --age-critical 15m (is Suricata still writing?).
A check is WARNING above its -warn threshold and CRITICAL above its -critical one; either may be given alone.
Durations: 30s, 5m, 2h. The overall status is the worst: CRITICAL, then WARNING, then UNKNOWN.

  newest event     the time the stream stored its newest message (any subject, or each --subject-age SUBJECT);
                   none at all is CRITICAL
  stats            the latest <prefix>.stats event: its own timestamp, and capture.kernel_drops against
                   capture.kernel_packets since Suricata started (UNKNOWN without capture counters: pcap mode)
  sources          on a stream that sources sensors (hub add-sensor, stream add --source), lag and last
                   contact per source, and the stats are read per sensor in its domain, as 'hub status' does;
                   a sensor whose link is down has UNKNOWN stats. A mirror's lag and last contact too.
  consumer         unprocessed: messages not yet delivered; outstanding ack: delivered, not yet acked
  fullness         bytes against max_bytes or messages against max_msgs, whichever is fuller

Output: "NSM4HOME STATUS: stream: summary | perfdata", then one line per check. UNKNOWN (3) when the server
cannot be reached, the stream does not exist or a flag is wrong.

Examples:
  nsm4home check --age-warn 2m --age-critical 10m --stats-age-critical 5m --drop-warn 1 --drop-critical 5
  nsm4home check --subject-age suricata.stats=1m,5m --subject-age 'suricata.*=,1d'
  nsm4home check --stream suricata --lag-critical 10000 --seen-critical 5m --stats-age-critical 5m
  nsm4home check --consumer alerts --unprocessed-warn 1000 --outstanding-ack-critical 500 --json
`,
    )
    .action(async (opts: CheckOptions, cmd: Command) => {
      const report = await runCheck(opts, cmd);
      const { checkJson, renderNagios } = await import("../render/check.js");
      if (opts.json) printJson(checkJson(report));
      else process.stdout.write(renderNagios(report));
      process.exitCode = report.code;
    });

  // A flag commander refuses is a plugin that cannot check: the UNKNOWN line and exit 3, not usage's exit 2
  // (which Nagios would read as CRITICAL). The reason goes to stderr once, as for every other command.
  check.configureOutput({ outputError: () => undefined }).exitOverride((err: CommanderError) => {
    if (err.exitCode === 0) throw err;
    const message = err.message.replace(/^error: /, "");
    process.stdout.write(`NSM4HOME UNKNOWN: ${sanitizeText(message.split("\n")[0]!)}\n`);
    throw new RuntimeError(message, UNKNOWN);
  });
}

async function runCheck(opts: CheckOptions, cmd: Command) {
  const { evaluateHealth, unknownReport } = await import("../health/evaluate.js");
  let thresholds;
  try {
    const { parseThresholds } = await import("../health/thresholds.js");
    const { checkStreamName } = await import("../nats/names.js");
    const { checkSubject } = await import("../nats/subjects.js");
    checkStreamName(opts.stream);
    checkSubject(`${opts.prefix}.stats`, "--prefix");
    thresholds = parseThresholds(opts);
  } catch (err) {
    if (!isUserFacingError(err)) throw err;
    process.stderr.write(`nsm4home: ${sanitizeText(errorMessage(err))}\n`);
    return unknownReport(opts.stream, errorMessage(err));
  }
  try {
    const { withJetStreamManager } = await import("../nats/admin.js");
    const { gatherHealth } = await import("../nats/health.js");
    const facts = await withJetStreamManager(connectionFlagsOf(cmd), ({ nc, jsm, resolved }) =>
      gatherHealth(nc, jsm, {
        stream: opts.stream,
        prefix: opts.prefix,
        subjects: thresholds.subjectAge.map((s) => s.subject),
        stats: thresholds.statsAge !== undefined || thresholds.drop !== undefined,
        origins: thresholds.lag !== undefined || thresholds.seen !== undefined,
        ...(thresholds.consumer ? { consumer: thresholds.consumer.name } : {}),
        probeMs: Math.min(2000, resolved.timeoutMs),
      }),
    );
    return evaluateHealth(facts, thresholds);
  } catch (err) {
    // Whatever stopped the check (no server, no stream, no JetStream, a bug) is its UNKNOWN, never a stack trace.
    if (process.env.NSM4HOME_DEBUG && !isUserFacingError(err)) process.stderr.write(`nsm4home: ${(err as Error)?.stack ?? String(err)}\n`);
    return unknownReport(opts.stream, errorMessage(err).split("\n")[0]!);
  }
}
