// `nsm4home host IP`: what one host did in a window: DNS names asked, TLS SNIs, peers by bytes, alerts by
// signature, flows by app protocol (the dashboard's top-N for that host), as text or --json.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import type { WindowFlags } from "../investigate/window.js";
import { connectionFlagsOf, printJson } from "./shared.js";

interface HostFlags extends WindowFlags {
  at?: string;
  top: string;
  stream?: string;
  prefix: string;
  json?: boolean;
  width?: string;
}

async function runHost(ip: string, flags: HostFlags, cmd: Command): Promise<void> {
  const { isIP } = await import("node:net");
  const given = ip.trim().toLowerCase();
  if (isIP(given) === 0) throw new UsageError(`invalid IP '${ip}': give an IPv4 or IPv6 address, e.g. 192.168.1.10`);
  // fe80::1%eth0 from `ip addr`: Suricata writes no zone, so such an address would match nothing, silently.
  const zone = given.indexOf("%");
  if (zone !== -1) throw new UsageError(`invalid IP '${ip}': Suricata logs addresses without a zone: give ${ip.trim().slice(0, zone)}`);
  // Suricata writes IPv6 addresses expanded: fe80::2 is fe80:0000:0000:0000:0000:0000:0000:0002 in its events.
  const { suricataAddress } = await import("../investigate/ip-address.js");
  const address = suricataAddress(given);
  const { parseCount } = await import("../text/units.js");
  const { parseWindowFlags } = await import("../investigate/window.js");
  const { parseStartTime } = await import("../nats/replay-start.js");
  const top = parseCount(flags.top, "--top");
  if (top === 0) throw new UsageError("invalid --top '0': give how many entries each list shows, 1 or more");
  const anchorMs = flags.at === undefined ? undefined : parseStartTime(flags.at, "--at").getTime();
  const window = parseWindowFlags(flags, anchorMs);
  const width = flags.width !== undefined ? parseCount(flags.width, "--width") : process.stdout.isTTY ? process.stdout.columns : undefined;

  const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
  const { investigateHost } = await import("../investigate/host.js");
  const resolved = resolveConnectionOptions(connectionFlagsOf(cmd));
  const nc = await connectNats(resolved, { name: "nsm4home host" });
  let summary: import("../investigate/host.js").HostSummary;
  try {
    summary = await investigateHost(nc, resolved, {
      ip: address,
      window,
      prefix: flags.prefix,
      top,
      ...(flags.stream !== undefined ? { streamName: flags.stream } : {}),
      onStatus: (line) => process.stderr.write(`nsm4home: ${line}\n`),
    });
  } finally {
    await nc.close().catch(() => undefined);
  }
  if (flags.json) {
    // Keys are event text: JSON escapes control characters, and the summary holds nothing else untrusted.
    printJson({ ...summary, window: { since: new Date(summary.window.sinceMs).toISOString(), until: new Date(summary.window.untilMs).toISOString() } });
    return;
  }
  const { renderHostSummary } = await import("../render/host-summary.js");
  process.stdout.write(renderHostSummary(summary, width === 0 ? undefined : width));
}

export function register(program: Command): void {
  program
    .command("host")
    .description("one host over a window: DNS names asked, TLS SNIs, peers by bytes, alerts by signature, flows by app protocol")
    .argument("<ip>", "the host's IPv4 or IPv6 address")
    .option("--around <duration>", "with --at: this long either side of it; otherwise the window is the last DURATION", "10m")
    .option("--at <when>", "centre the window on this time (a duration ago or an RFC 3339 time)")
    .option("--since <when>", "start of the window: a duration ago (1h) or an RFC 3339 time")
    .option("--until <when>", "end of the window: a duration ago (5m) or an RFC 3339 time")
    .option("--top <n>", "entries per list", "10")
    .option("--stream <name>", "stream to read (default: the one that stores <prefix>.>)")
    .option("--prefix <prefix>", "subject prefix of the events", DEFAULT_SUBJECT_PREFIX)
    .option("--json", "print the summary as one JSON document")
    .option("--width <columns>", "fit tables to this width; 0 = never cut (default: the terminal's)")
    .addHelpText("after", "\nExamples:\n  nsm4home host 192.168.1.10\n  nsm4home host 192.168.1.10 --since 2h --top 20\n  nsm4home host fd00::12 --json\n")
    .action((ip: string, flags: HostFlags, cmd: Command) => runHost(ip, flags, cmd));
}
