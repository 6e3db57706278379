// `server info`: what the connected server is and what JetStream allows this account.
import type { Command } from "commander";
import { connectionFlagsOf, printJson } from "./shared.js";
import { renderServerReport } from "../render/server.js";

export function register(program: Command): void {
  const server = program.command("server").description("inspect the NATS server");
  server
    .command("info")
    .description("server version, cluster peers, JetStream domain, limits and usage; --monitor adds /varz figures and the meta group")
    .option("--monitor <url>", "monitoring URL (http://host:8222) for connections, messages, memory and CPU")
    .option("--json", "print the collected objects as JSON")
    .action(async (opts: { monitor?: string; json?: boolean }, cmd: Command) => {
      const { withConnection } = await import("../nats/connection/index.js");
      const { collectServerReport, withoutSecrets } = await import("../nats/server-info.js");
      const report = await withConnection(connectionFlagsOf(cmd), (nc, resolved) => collectServerReport(nc, resolved, opts.monitor), { onStatus: null });
      if (opts.json) printJson(withoutSecrets(report));
      else process.stdout.write(renderServerReport(report));
    });
}
