// `hub`: the machine that gathers every sensor's events. `init` writes its nats-server config (its own JetStream
// domain, a leaf node listener for the sensors) and systemd unit; `add-sensor`/`rm-sensor` edit the hub stream's
// sources; `status` shows each sensor's link, lag and freshness.
import type { Command } from "commander";
import { oldSpelling } from "./old-spellings.js";
import { confirmDestructive, connectionFlagsOf, printApiJson, printJson } from "./shared.js";
import { addSetupOptions, setupCommonOf, writeAndReport, type SetupFlags } from "./setup-options.js";

interface HubStreamFlags {
  stream: string;
  sensorStream: string;
  json?: boolean;
}

interface HubInitFlags extends SetupFlags {
  domain: string;
  leafListen: string;
}

export function register(program: Command): void {
  const hub = program.command("hub").description("the hub that gathers every sensor's events: init, add-sensor, rm-sensor, status");
  registerInit(hub);
  registerAddSensor(hub);
  registerRmSensor(hub);
  registerStatus(hub);
}

/** `hub init`: the hub's nats-server config and systemd unit. */
function registerInit(hub: Command): void {
  addSetupOptions(
    hub
      .command("init")
      .description("write the hub's nats-server config (JetStream domain, leaf node listener) and its systemd unit")
      .option("--domain <name>", "the hub's JetStream domain and server name", "hub")
      .option("--leaf-listen <host:port>", "where sensors' leaf node connections arrive", "0.0.0.0:7422"),
    "0.0.0.0:4222",
  )
    .addHelpText(
      "after",
      `
Then, on each sensor: nsm4home sensor init NAME --hub nats-leaf://THIS-HOST:7422, and here: nsm4home hub add-sensor NAME.
With --leaf-user, sensors must log in with that user and the password from NSM4HOME_LEAF_PASSWORD (kept in a
0600 file beside the config). Existing files are kept unless --force; --dry-run prints what would be written.
`,
    )
    .action(async (flags: HubInitFlags) => {
      const { hubFiles, checkNodeName, parseListen } = await import("../setup/config-files.js");
      checkNodeName(flags.domain, "--domain");
      parseListen(flags.leafListen, "--leaf-listen", "0.0.0.0");
      const common = await setupCommonOf(flags.domain, flags);
      const files = hubFiles({ ...common, leafListen: flags.leafListen, leafUser: flags.leafUser, leafPassword: process.env.NSM4HOME_LEAF_PASSWORD });
      const { join } = await import("node:path");
      await writeAndReport(flags, files, "hub init", [
        `sudo systemctl enable --now ${join(common.dir, "nsm4home-nats.service")}`,
        "for each sensor: nsm4home hub add-sensor NAME (the first one creates the hub's stream)",
      ]);
    });
}

/** `hub add-sensor NAME`: the hub stream sources the sensor's stream. */
function registerAddSensor(hub: Command): void {
  hub
    .command("add-sensor")
    .argument("<name>", "the sensor's name (its JetStream domain)")
    .description("source the sensor's stream into the hub stream (created with the NSM defaults if missing); other sources are kept")
    .option("--stream <name>", "the hub stream", "suricata")
    .option("--sensor-stream <name>", "the sensor's stream", "suricata")
    .option("--subject <subject>", "copy only this subject, e.g. suricata.alert")
    .addOption(oldSpelling("--filter <subject>", "--subject", "--filter is a JMESPath condition in tail, stream view and tui"))
    .option("--replicas <n>", "replicas when the hub stream is created (a hub cluster: 3)")
    .option("--prefix <prefix>", "subject prefix of the hub stream when it is created", "suricata")
    .option("--json", "print the hub stream's info API object")
    .action(async (name: string, opts: HubStreamFlags & { subject?: string; replicas?: string; prefix: string }, cmd: Command) => {
      const { checkNodeName } = await import("../setup/config-files.js");
      const { checkStreamName, checkSubject, parseReplicas } = await import("../nats/streams/index.js");
      checkNodeName(name, "sensor name");
      checkStreamName(opts.stream);
      checkStreamName(opts.sensorStream);
      if (opts.subject !== undefined) checkSubject(opts.subject, "--subject");
      const replicas = opts.replicas === undefined ? undefined : parseReplicas(opts.replicas);
      const { withJetStreamManager } = await import("../nats/admin.js");
      const { addSensor } = await import("../nats/hub.js");
      await withJetStreamManager(connectionFlagsOf(cmd), async ({ jsm }) => {
        const outcome = await addSensor(jsm, opts.stream, { sensor: name, stream: opts.sensorStream, ...(opts.subject ? { filter: opts.subject } : {}) }, { replicas, prefix: opts.prefix });
        if (opts.json) return printApiJson(outcome.info);
        const sources = (outcome.info.config.sources ?? []).length;
        const said = {
          created: `Created hub stream ${opts.stream}, sourcing ${opts.sensorStream}@${name}`,
          added: `Hub stream ${opts.stream} now sources ${opts.sensorStream}@${name} (${sources} sources)`,
          present: `Hub stream ${opts.stream} already sources ${opts.sensorStream}@${name}; nothing changed`,
        }[outcome.kind];
        process.stdout.write(said + "\n");
      });
    });
}

/** `hub rm-sensor NAME`: the hub stream stops sourcing it. */
function registerRmSensor(hub: Command): void {
  hub
    .command("rm-sensor")
    .argument("<name>", "the sensor's name (its JetStream domain)")
    .description("stop sourcing the sensor's stream; other sources and the events already copied are kept")
    .option("--stream <name>", "the hub stream", "suricata")
    .option("--sensor-stream <name>", "the sensor's stream", "suricata")
    .option("-f, --force", "do not ask")
    .option("--json", "print the hub stream's info API object")
    .action(async (name: string, opts: HubStreamFlags & { force?: boolean }, cmd: Command) => {
      const { checkNodeName } = await import("../setup/config-files.js");
      const { checkStreamName } = await import("../nats/streams/index.js");
      checkNodeName(name, "sensor name");
      checkStreamName(opts.stream);
      checkStreamName(opts.sensorStream);
      const { withJetStreamManager } = await import("../nats/admin.js");
      const { removeSensor } = await import("../nats/hub.js");
      await withJetStreamManager(connectionFlagsOf(cmd), async ({ jsm }) => {
        await confirmDestructive(`stop copying ${opts.sensorStream}@${name} into hub stream ${opts.stream}`, opts.force, "hub rm-sensor");
        const info = await removeSensor(jsm, opts.stream, { sensor: name, stream: opts.sensorStream });
        if (opts.json) return printApiJson(info);
        process.stdout.write(`Hub stream ${opts.stream} no longer sources ${opts.sensorStream}@${name} (${(info.config.sources ?? []).length} source${(info.config.sources ?? []).length === 1 ? "" : "s"} left)\n`);
      });
    });
}

/** `hub status`: one row per sensor. */
function registerStatus(hub: Command): void {
  hub
    .command("status")
    .description("one row per sensor: link up/down, lag, when the hub last heard from it, last event, events/s, kernel drops, stats age")
    .option("--stream <name>", "the hub stream", "suricata")
    .option("--prefix <prefix>", "subject prefix (stats events are <prefix>.stats)", "suricata")
    .option("--sample <duration>", "time between the two looks that give events/s (0: skip)", "1s")
    .option("--json", "print the rows as JSON")
    .addHelpText(
      "after",
      `
Link is whether the sensor's JetStream answers through the leaf node link now (within --timeout, at most 2s).
Lag and "hub heard" are what the hub's stream knows of the source: while a link is down the lag is the last
known one and "hub heard" keeps growing. Last event, events/s and the stats columns are read from the sensor's
own stream, so they show "-" while its link is down.
`,
    )
    .action(async (opts: { stream: string; prefix: string; sample: string; json?: boolean }, cmd: Command) => {
      const { parseDuration } = await import("../text/units.js");
      const { checkStreamName } = await import("../nats/streams/index.js");
      checkStreamName(opts.stream);
      const sampleMs = opts.sample.trim() === "0" ? 0 : parseDuration(opts.sample, "--sample");
      const { withJetStreamManager } = await import("../nats/admin.js");
      const { collectHubStatus } = await import("../nats/hub.js");
      const status = await withJetStreamManager(connectionFlagsOf(cmd), ({ nc, jsm, resolved }) =>
        collectHubStatus(nc, jsm, opts.stream, { prefix: opts.prefix, probeMs: Math.min(2000, resolved.timeoutMs), sampleMs }),
      );
      if (opts.json) return printJson(status);
      const { renderHubStatus } = await import("../render/hub.js");
      const { terminalWidth } = await import("../render/table.js");
      process.stdout.write(renderHubStatus(status, terminalWidth()));
    });
}
