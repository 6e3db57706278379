// Every command that talks to NATS, not only `server info`, over each way of proving who we are: mutual TLS with a
// client certificate, a creds file in operator mode with JetStream on for the account, and an nkey. Events go in
// with ingest and come out through tail, stream view, consumer next and the dashboard; no secret is printed.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, repoRoot, runCli, type CliResult, cliShellCommand, shellQuote } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { hasTmux, TmuxSession } from "../tui/tmux.js";
import { makeTlsFiles, operatorSetup, tempDir, userNkey } from "./auth-fixtures.js";

interface AuthMode {
  name: string;
  start(): Promise<{ server: NatsServer; flags: string[]; secrets: string[] }>;
}

const MODES: AuthMode[] = [
  {
    name: "mutual TLS (client certificate)",
    async start() {
      const tls = makeTlsFiles();
      const server = await startNatsServer({
        scheme: "tls",
        config: `tls { cert_file: "${tls.serverCert}", key_file: "${tls.serverKey}", ca_file: "${tls.ca}", verify: true }`,
      });
      return { server, flags: ["--tlsca", tls.ca, "--tlscert", tls.clientCert, "--tlskey", tls.clientKey], secrets: [] };
    },
  },
  {
    name: "creds (operator mode, JetStream for the account)",
    async start() {
      const setup = operatorSetup();
      const server = await startNatsServer({ config: setup.serverConfig });
      const file = join(tempDir("nsm4home-creds-"), "alice.creds");
      writeFileSync(file, setup.creds);
      return { server, flags: ["--creds", file], secrets: [/SU[A-Z0-9]+/.exec(setup.creds)![0]] };
    },
  },
  {
    name: "nkey",
    async start() {
      const key = userNkey();
      const server = await startNatsServer({ config: `authorization { users: [ { nkey: ${key.publicKey} } ] }` });
      const file = join(tempDir("nsm4home-nkey-"), "user.nk");
      writeFileSync(file, key.seed + "\n");
      return { server, flags: ["--nkey", file], secrets: [key.seed] };
    },
  },
];

const EVENTS = [
  { event_type: "dns", dns: { type: "query", rrname: "auth-one.example", rrtype: "A" } },
  { event_type: "dns", dns: { type: "query", rrname: "auth-two.example", rrtype: "AAAA" } },
  { event_type: "tls", tls: { sni: "auth-three.example", version: "TLS 1.3" } },
];

describe.each(MODES)("every command over $name", (mode) => {
  let server: NatsServer;
  let flags: string[];
  let secrets: string[];
  const env = isolatedEnv();
  const cli = async (args: string[], input?: string): Promise<CliResult> => {
    const r = await runCli(["-s", server.url, ...flags, "--no-context", ...args], { env, ...(input !== undefined ? { input } : {}) });
    for (const secret of secrets) expect(r.stdout + r.stderr).not.toContain(secret);
    return r;
  };
  const ok = (r: CliResult) => {
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  beforeAll(async () => {
    ({ server, flags, secrets } = await mode.start());
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it("stream add, ingest, tail, stream view, consumer add/next and the dashboard", async () => {
    ok(await cli(["stream", "add", "--defaults"]));
    const ingested = ok(await cli(["ingest", "--from", "-", "--once"], EVENTS.map((e) => JSON.stringify(e)).join("\n") + "\n"));
    expect(ingested.stderr).toMatch(/done: read 3, published 3, acked 3, duplicates 0/);

    const tailed = ok(await cli(["tail", "--all", "--no-follow", "--json", "--quiet"]));
    expect(tailed.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(EVENTS);
    const viewed = ok(await cli(["stream", "view", "suricata", "--subject", "suricata.dns", "--select", "dns.rrname", "--bare"]));
    expect(viewed.stdout).toBe("auth-one.example\nauth-two.example\n");

    ok(await cli(["consumer", "add", "suricata", "reader", "--subject", "suricata.tls", "--defaults"]));
    const next = ok(await cli(["consumer", "next", "suricata", "reader", "--json"]));
    expect(JSON.parse(next.stdout).event.tls.sni).toBe("auth-three.example");

    if (!hasTmux()) return;
    const tui = new TmuxSession("auth-tui");
    try {
      tui.start(120, 40, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME!, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME! });
      tui.run(`cd ${shellQuote(repoRoot)} && ${cliShellCommand} tui -s ${server.url} ${flags.join(" ")} --no-context --since 1h`);
      const screen = await tui.waitFor((s) => s.includes("auth-two.example") && s.includes("auth-three.example"), 20_000, "backfilled events");
      expect(screen).toMatch(/● connected/);
      for (const secret of secrets) expect(screen).not.toContain(secret);
      tui.send("q");
    } finally {
      tui.kill();
    }
  });
});
