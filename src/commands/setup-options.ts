// The options `sensor init` and `hub init` share (where files go, listen address, store, binaries, --force,
// --dry-run) and their common ending: write the files, then list them and the steps left.
import type { Command } from "commander";
import { parseCount } from "../text/units.js";
import { printJson } from "./shared.js";

export interface SetupFlags {
  dir: string;
  listen: string;
  storeDir: string;
  natsServer: string;
  monitorPort: string;
  maxStore?: string;
  leafUser?: string;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function addSetupOptions(cmd: Command, defaultListen: string): Command {
  return cmd
    .option("--dir <dir>", "folder the files are written to; the units refer to the config there", "/etc/nsm4home")
    .option("--listen <host:port>", "where clients (nsm4home, ingest) connect", defaultListen)
    .option("--store-dir <dir>", "JetStream store", "/var/lib/nsm4home/jetstream")
    .option("--max-store <size>", "most disk JetStream may use, e.g. 8G (default: the server's, 75% of the disk)")
    .option("--monitor-port <port>", "HTTP monitoring on 127.0.0.1 (server info --monitor); 0 for none", "8222")
    .option("--nats-server <path>", "the nats-server binary the unit starts", "/usr/sbin/nats-server")
    .option("--leaf-user <name>", "user for the leaf node link; its password from env NSM4HOME_LEAF_PASSWORD")
    .option("--force", "overwrite files that exist")
    .option("--dry-run", "print what would be written; write nothing")
    .option("--json", "list the files (path, what, action) as JSON");
}

export async function setupCommonOf(name: string, flags: SetupFlags): Promise<import("../setup/config-files.js").CommonPlan> {
  const { resolve } = await import("node:path");
  const { realpathSync } = await import("node:fs");
  const { parseListen } = await import("../setup/config-files.js");
  parseListen(flags.listen, "--listen", "127.0.0.1");
  const monitorPort = parseCount(flags.monitorPort, "--monitor-port");
  if (monitorPort > 65535) throw new (await import("../errors.js")).UsageError(`invalid --monitor-port '${flags.monitorPort}': use a port, or 0 for none`);
  if (flags.maxStore !== undefined && !/^\d+(\.\d+)?\s*[KMGT]?B?$/i.test(flags.maxStore.trim())) {
    throw new (await import("../errors.js")).UsageError(`invalid --max-store '${flags.maxStore}': use a size such as 8G or 500M`);
  }
  // The unit starts this very nsm4home, wherever it is installed, with this node.
  const launcher = process.argv[1] !== undefined ? realpathSync(process.argv[1]) : "nsm4home";
  return {
    name,
    listen: flags.listen,
    storeDir: resolve(flags.storeDir),
    dir: resolve(flags.dir),
    natsServerBin: flags.natsServer,
    nsm4homeCommand: [process.execPath, launcher],
    monitorPort,
    maxStore: flags.maxStore?.trim(),
  };
}

export async function writeAndReport(
  flags: SetupFlags,
  files: import("../setup/config-files.js").GeneratedFile[],
  command: string,
  nextSteps: string[],
): Promise<void> {
  const { writeGeneratedFiles } = await import("../setup/write-files.js");
  const outcomes = writeGeneratedFiles(files, { force: flags.force, dryRun: flags.dryRun, command });
  if (flags.json) {
    printJson(outcomes.map(({ file, action }) => ({ path: file.path, what: file.what, action, ...(flags.dryRun && !file.secret ? { text: file.text } : {}) })));
    return;
  }
  const { renderSetupOutcome } = await import("../render/setup.js");
  process.stdout.write(renderSetupOutcome(outcomes, nextSteps));
}
