// `sensor init NAME --hub URL`: what a sensor machine needs to keep its events in its own JetStream domain and
// hand them to the hub over a leaf node link: nats-server config, systemd units, Suricata's eve-log output.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { collectList } from "./shared.js";
import { addSetupOptions, setupCommonOf, writeAndReport, type SetupFlags } from "./setup-options.js";

interface SensorInitFlags extends SetupFlags {
  hub?: string[];
  from: string;
  leafCreds?: string;
}

export function register(program: Command): void {
  const sensor = program.command("sensor").description("set up a sensor: a nats-server with its own JetStream domain, a leaf node of the hub");
  addSetupOptions(
    sensor
      .command("init")
      .argument("<name>", "sensor name: its server name, JetStream domain and Suricata sensor-name (e.g. garage)")
      .description("write the sensor's nats-server config, systemd units for nats-server and ingest, and Suricata's eve-log output")
      .option("--hub <url>", "the hub's leaf node address, e.g. nats-leaf://hub.lan:7422 (repeatable for a hub cluster)", collectList)
      .option("--from <source>", "where ingest reads Suricata's events: redis://HOST:6379/KEY, redis-stream://..., or an eve.json path", "redis://127.0.0.1:6379/suricata")
      .option("--leaf-creds <file>", "credentials file the leaf connection authenticates with (JWT + seed)"),
    "127.0.0.1:4222",
  )
    .addHelpText(
      "after",
      `
The sensor keeps every event in its own stream (domain NAME) while the link to the hub is down; the hub's stream
sources it (nsm4home hub add-sensor NAME) and catches up when the link returns. Events themselves never cross the
leaf link (deny suricata.>): only JetStream's sourcing does, so nothing is copied twice.
With --leaf-user, the password comes from the environment variable NSM4HOME_LEAF_PASSWORD and is written to a
0600 file beside the config. Existing files are kept unless --force; --dry-run prints what would be written.

Example:
  sudo nsm4home sensor init garage --hub nats-leaf://hub.lan:7422 --from /var/log/suricata/eve.json
`,
    )
    .action(async (name: string, flags: SensorInitFlags) => {
      const { sensorFiles, checkNodeName, leafUrlOf } = await import("../setup/config-files.js");
      const { isRedisUrl, parseRedisLocation } = await import("../ingest/redis-location.js");
      checkNodeName(name, "sensor name");
      if (!flags.hub || flags.hub.length === 0) throw new UsageError("sensor init: give --hub with the hub's leaf node address, e.g. --hub nats-leaf://hub.lan:7422");
      const hubUrls = flags.hub.map(leafUrlOf);
      let source: import("../setup/config-files.js").EventSourcePlan;
      if (isRedisUrl(flags.from)) {
        const location = parseRedisLocation(flags.from);
        if (location.password !== undefined || location.username !== undefined) {
          throw new UsageError("--from: a Redis password would be written into a systemd unit anyone can read; use a Redis on 127.0.0.1 without one");
        }
        source = { kind: "redis", mode: location.kind, host: location.host, port: location.port, key: location.key, from: flags.from };
      } else {
        const { resolve } = await import("node:path");
        if (flags.from === "-") throw new UsageError("--from -: a service has no stdin; give a Redis URL or the eve.json path");
        source = { kind: "file", path: resolve(flags.from) };
      }
      const common = await setupCommonOf(name, flags);
      const files = sensorFiles({ ...common, hubUrls, source, leafCreds: flags.leafCreds, leafUser: flags.leafUser, leafPassword: process.env.NSM4HOME_LEAF_PASSWORD });
      const { join } = await import("node:path");
      await writeAndReport(flags, files, `sensor init ${name}`, [
        `sudo systemctl enable --now ${join(common.dir, "nsm4home-nats.service")} ${join(common.dir, "nsm4home-ingest.service")}`,
        `merge ${join(common.dir, "suricata-eve-output.yaml")} into /etc/suricata/suricata.yaml, then: sudo systemctl restart suricata`,
        `on the hub: nsm4home hub add-sensor ${name}`,
      ]);
    });
}
