// `server info` against real servers: a standalone JetStream server, one with a JetStream domain, one without
// JetStream, a 3-node cluster (with and without /varz), and --json that carries no secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/ports.js";
import { disposeAll, startNatsCluster, startNatsServer, waitForJetStreamReady, type NatsServer } from "../helpers/nats-server.js";
import { serverAtLeast } from "../helpers/server-version.js";
import { tempDir } from "../nats/auth-fixtures.js";

const PASSWORD = "srv-pw-3Kd9-secret";

const serverInfo = async (args: string[]) => {
  const r = await runCli(["server", "info", ...args], { env: isolatedEnv() });
  return r;
};

describe("server info on a standalone server", () => {
  let js: NatsServer;
  let domain: NatsServer;
  let plain: NatsServer;
  beforeAll(async () => {
    const store = tempDir("nsm4home-domain-");
    [js, domain, plain] = await Promise.all([
      startNatsServer(),
      startNatsServer({ jetstream: false, config: `jetstream { store_dir: "${join(store, "js")}", domain: hub }` }),
      startNatsServer({ jetstream: false }),
    ]);
  });
  afterAll(() => disposeAll([js, domain, plain]));

  it("shows version, a standalone cluster and the account's JetStream usage", async () => {
    const r = await serverInfo(["-s", js.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^\\s+Name: ${js.name}$`, "m"));
    expect(r.stdout).toMatch(/^\s+Version: \d+\.\d+\.\d+/m);
    expect(r.stdout).toMatch(/^Cluster:\n\n\s+Name: none \(standalone server\)$/m);
    expect(r.stdout).toMatch(/^JetStream \(this account\):\n\n\s+Enabled: yes$/m);
    expect(r.stdout).toMatch(/^\s+Streams: 0 of unlimited$/m);
    expect(r.stdout).toMatch(/^\s+RTT: \d+(µs|\.\d\dms|ms)$/m);
    expect(r.stdout).not.toMatch(/Domain:/);
  });

  it("prints the collected objects with --json, and /varz figures with --monitor", async () => {
    const r = await serverInfo(["-s", js.url, "--monitor", js.monitorUrl, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.server.server_name).toBe(js.name);
    expect(report.jetstream.limits.max_streams).toBe(-1);
    expect(report.cluster).toBeUndefined();
    expect(report.varz.connections).toBeGreaterThanOrEqual(1);
    const human = await serverInfo(["-s", js.url, "--monitor", js.monitorUrl]);
    expect(human.stdout).toMatch(/^Monitoring \(\/varz\):$/m);
    expect(human.stdout).toMatch(/^\s+Connections: \d+$/m);
    expect(human.stdout).toMatch(/^\s+Messages in: [\d,]+$/m);
  });

  it("shows the JetStream domain", async () => {
    await waitForJetStreamReady(domain.url);
    const r = await serverInfo(["-s", domain.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+Domain: hub$/m);
    expect(JSON.parse((await serverInfo(["-s", domain.url, "--json"])).stdout).jetstreamDomain).toBe("hub");
  });

  it("says JetStream is off rather than failing", async () => {
    const r = await serverInfo(["-s", plain.url, "--timeout", "2s"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+Enabled: no \(JetStream/m);
  });

  it("fails in one line when the monitoring port does not answer", async () => {
    const r = await serverInfo(["-s", js.url, "--monitor", `http://127.0.0.1:${js.port}`, "--timeout", "2s"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^nsm4home: cannot read http:\/\/127\.0\.0\.1:\d+\/varz: .*is nats-server started with -m\/--http_port/);
  });
});

describe("server info --monitor with credentials or a bad address", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer({ jetstream: false });
  });
  afterAll(() => server?.dispose());

  it("sends user:password of the URL as Basic auth and never prints it; a URL that is not one is a usage error", async () => {
    const monitor = new URL(server.monitorUrl);
    const withCreds = `http://mon:${PASSWORD}@${monitor.host}`;
    const ok = await serverInfo(["-s", server.url, "--monitor", withCreds]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Monitoring \(\/varz\)/);
    const closed = await freePort();
    const down = await serverInfo(["-s", server.url, "--monitor", `http://mon:${PASSWORD}@127.0.0.1:${closed}`, "--timeout", "2s"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`^nsm4home: cannot read http://127\\.0\\.0\\.1:${closed}/varz: ECONNREFUSED`));
    for (const r of [ok, down]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    for (const bad of ["not a url", "ftp://x"]) {
      const r = await serverInfo(["-s", server.url, "--monitor", bad]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toEqual([`nsm4home: invalid --monitor '${bad}': give the monitoring address, e.g. http://127.0.0.1:8222`]);
    }
  });
});

describe("server info and secrets", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer({ config: `authorization { users: [ { user: alice, password: "${PASSWORD}" } ] }` });
  });
  afterAll(() => server?.dispose());

  it("never prints the password, in any output form", async () => {
    const runs = await Promise.all([
      serverInfo(["-s", server.url, "--user", "alice", "--password", PASSWORD, "--json", "--monitor", server.monitorUrl]),
      serverInfo(["-s", `nats://alice:${PASSWORD}@127.0.0.1:${server.port}`, "--json"]),
      serverInfo(["-s", `nats://alice:${PASSWORD}@127.0.0.1:${server.port}`]),
      serverInfo(["-s", server.url, "--user", "alice", "--password", `${PASSWORD}x`, "--json"]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 1]);
    for (const r of runs) {
      expect(r.stdout).not.toContain(PASSWORD);
      expect(r.stderr).not.toContain(PASSWORD);
    }
  });
});

describe("server info on a 3-node cluster", () => {
  let nodes: NatsServer[] = [];
  beforeAll(async () => {
    nodes = await startNatsCluster(3);
    await Promise.all(nodes.map((n) => waitForJetStreamReady(n.url)));
  }, 90_000);
  afterAll(() => disposeAll(nodes));

  it("names the cluster and lists every server's client URL", async () => {
    const r = await serverInfo(["-s", nodes[1]!.url]);
    expect(r.code, r.stderr).toBe(0);
    const clusterName = JSON.parse((await serverInfo(["-s", nodes[1]!.url, "--json"])).stdout).server.cluster as string;
    expect(clusterName).toMatch(/^c\d+$/);
    expect(r.stdout).toMatch(new RegExp(`^Cluster:\\n\\n\\s+Name: ${clusterName}$`, "m"));
    const urls = nodes.map((n) => `127.0.0.1:${n.port}`).sort();
    // peers gossip their client URLs shortly after the routes come up
    expect(r.stdout).toMatch(/^\s+Servers: 3$/m);
    expect(r.stdout).toMatch(new RegExp(`^\\s+Client URLs: ${urls.map((u) => u.replace(/\./g, "\\.")).join(", ")}$`, "m"));
  });

  it("adds routes and the JetStream meta group from /varz", async () => {
    // JetStream answers on every node before each follower's /varz has heard of the whole meta group (seen under
    // the server matrix's load on 2.9): ask until every node sees the group of 3 and one leader, for 20 s at most.
    type ClusterReport = { routes: number; routedServers: number; metaSize: number; metaLeader: string; metaPeers: { name: string }[] };
    let clusters: ClusterReport[] = [];
    for (const deadline = Date.now() + 20_000; ; ) {
      const reports = await Promise.all(nodes.map((n) => serverInfo(["-s", n.url, "--monitor", n.monitorUrl, "--json"])));
      clusters = reports.map((r) => JSON.parse(r.stdout).cluster as ClusterReport);
      const settled = clusters.every((c) => c.metaSize === 3 && c.routedServers === 2) && new Set(clusters.map((c) => c.metaLeader)).size === 1;
      if (settled || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const c of clusters) {
      // 2.10+ pools routes: several connections to each of the 2 peers, the same number to each
      if (serverAtLeast("2.10")) expect(c.routes % 2 === 0 && c.routes >= 2, `routes ${c.routes}`).toBe(true);
      else expect(c.routes).toBe(2);
      // whatever the pooling, the routes lead to the 2 other servers
      expect(c.routedServers).toBe(2);
      expect(c.metaSize).toBe(3);
      expect(nodes.map((n) => n.name)).toContain(c.metaLeader);
    }
    // all agree on one leader, and its /varz lists the whole group
    expect(new Set(clusters.map((c) => c.metaLeader)).size).toBe(1);
    const leaderIndex = nodes.findIndex((n) => n.name === clusters[0]!.metaLeader);
    expect(clusters[leaderIndex]!.metaPeers.map((p) => p.name)).toEqual(nodes.map((n) => n.name).sort());
    const human = await serverInfo(["-s", nodes[leaderIndex]!.url, "--monitor", nodes[leaderIndex]!.monitorUrl]);
    const routesText = serverAtLeast("2.10") ? `2 servers over ${clusters[leaderIndex]!.routes} connections` : "2 connected";
    expect(human.stdout).toMatch(new RegExp(`^\\s+Routes: ${routesText}`, "m"));
    expect(human.stdout).toMatch(new RegExp(`^\\s+Meta leader: ${nodes[leaderIndex]!.name} \\(meta group of 3\\)$`, "m"));
    expect(human.stdout).toMatch(new RegExp(`^\\s+Meta peers: .*${nodes[leaderIndex]!.name}\\*`, "m"));
  });
});
