// `hub`: the machine that gathers every sensor's events. `init` writes its nats-server config (its own JetStream
// domain, a leaf node listener for the sensors) and systemd unit.
import type { Command } from "commander";
import { addSetupOptions, setupCommonOf, writeAndReport, type SetupFlags } from "./setup-options.js";

interface HubInitFlags extends SetupFlags {
  domain: string;
  leafListen: string;
}

export function register(program: Command): void {
  const hub = program.command("hub").description("the hub that gathers every sensor's events: init, add-sensor, rm-sensor, status");
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
