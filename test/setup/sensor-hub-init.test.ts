// `hub init` and `sensor init` write configs real nats-servers start from: a generated sensor joins a generated
// hub as a leaf node in its own JetStream domain (with and without leaf credentials); files are never overwritten
// without --force, a dry run writes nothing, and secrets never reach the output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { natsServerBinary } from "../helpers/binaries.js";
import { freePort } from "../helpers/ports.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { trackDir } from "../helpers/processes.js";

const PASSWORD = "s3cret-leaf-pw";

interface Node {
  dir: string;
  port: number;
  monitorPort: number;
  leafPort?: number;
}

async function nodeIn(root: string, name: string): Promise<Node> {
  return { dir: join(root, name), port: await freePort(), monitorPort: await freePort(), leafPort: await freePort() };
}

function commonArgs(n: Node): string[] {
  return ["--dir", n.dir, "--listen", `127.0.0.1:${n.port}`, "--store-dir", join(n.dir, "js"), "--monitor-port", String(n.monitorPort), "--nats-server", natsServerBinary()];
}

async function startFrom(n: Node): Promise<NatsServer> {
  return startNatsServer({ configFile: join(n.dir, "nats-server.conf"), port: n.port, monitorPort: n.monitorPort });
}

/** Polls until the hub reaches the sensor's JetStream domain through the leaf link (or gives up). */
async function reachesDomain(hubUrl: string, domain: string, env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await runCli(["-s", hubUrl, "--js-domain", domain, "--timeout", "1s", "stream", "ls", "--json"], { env });
    if (r.code === 0) return true;
    await new Promise((res) => setTimeout(res, 300));
  }
  return false;
}

describe("hub init and sensor init with real servers", () => {
  let root: string;
  const servers: NatsServer[] = [];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "nsm4home-setup-"));
    trackDir(root);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
  });

  it("a generated sensor connects as a leaf to a generated hub, each in its own JetStream domain", async () => {
    const env = isolatedEnv();
    const hub = await nodeIn(root, "hub");
    const garage = await nodeIn(root, "garage");
    const h = await runCli(["hub", "init", ...commonArgs(hub), "--leaf-listen", `127.0.0.1:${hub.leafPort}`], { env });
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toMatch(new RegExp(`^Wrote\\s+${join(hub.dir, "nats-server.conf")}\\s+nats-server config`, "m"));
    expect(h.stdout).toMatch(/nsm4home-nats\.service\s+systemd unit for nats-server/);
    const s = await runCli(["sensor", "init", "garage", "--hub", `nats-leaf://127.0.0.1:${hub.leafPort}`, ...commonArgs(garage)], { env });
    expect(s.code, s.stderr).toBe(0);
    for (const f of ["nats-server.conf", "nsm4home-nats.service", "nsm4home-ingest.service", "suricata-eve-output.yaml"]) {
      expect(existsSync(join(garage.dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(garage.dir, "suricata-eve-output.yaml"), "utf8")).toMatch(/^sensor-name: garage$/m);
    expect(readFileSync(join(garage.dir, "nsm4home-ingest.service"), "utf8")).toMatch(
      new RegExp(`^ExecStart=\\S+node \\S+nsm4home\\.js --no-context -s nats://127\\.0\\.0\\.1:${garage.port} ingest --from redis://127\\.0\\.0\\.1:6379/suricata --create-stream`, "m"),
    );
    expect(readFileSync(join(garage.dir, "nsm4home-nats.service"), "utf8")).toContain(`ExecStart=${natsServerBinary()} -c ${join(garage.dir, "nats-server.conf")}`);

    const [hubServer, sensorServer] = await Promise.all([startFrom(hub), startFrom(garage)]);
    servers.push(hubServer, sensorServer);
    // The hub reaches the sensor's domain over the leaf link, and the sensor the hub's.
    expect(await reachesDomain(hubServer.url, "garage", env)).toBe(true);
    expect(await reachesDomain(sensorServer.url, "hub", env)).toBe(true);
    // Each has its own JetStream: a stream made on the sensor is not on the hub.
    const add = await runCli(["-s", sensorServer.url, "stream", "add", "suricata", "--defaults"], { env });
    expect(add.code, add.stderr).toBe(0);
    const hubLs = await runCli(["-s", hubServer.url, "stream", "ls", "--json"], { env });
    expect(hubLs.code, hubLs.stderr).toBe(0);
    expect(hubLs.stdout).not.toContain('"suricata"');
    const viaHub = await runCli(["-s", hubServer.url, "--js-domain", "garage", "stream", "info", "suricata", "--json"], { env });
    expect(viaHub.code, viaHub.stderr).toBe(0);
  });

  it("with --leaf-user the password stays in a 0600 file, never in output; the right one links, a wrong one does not", async () => {
    const hub = await nodeIn(root, "hub-auth");
    const ok = await nodeIn(root, "pi-ok");
    const bad = await nodeIn(root, "pi-bad");
    const env = isolatedEnv({ NSM4HOME_LEAF_PASSWORD: PASSWORD });
    const h = await runCli(["hub", "init", ...commonArgs(hub), "--leaf-listen", `127.0.0.1:${hub.leafPort}`, "--leaf-user", "leaf"], { env });
    expect(h.code, h.stderr).toBe(0);
    const dry = await runCli(["sensor", "init", "pi-ok", "--hub", `127.0.0.1:${hub.leafPort}`, ...commonArgs(ok), "--leaf-user", "leaf", "--dry-run"], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("(holds a secret: not shown)");
    expect(dry.stdout).toContain("(dry run: nothing was written)");
    expect(existsSync(ok.dir)).toBe(false);
    const s = await runCli(["sensor", "init", "pi-ok", "--hub", `127.0.0.1:${hub.leafPort}`, ...commonArgs(ok), "--leaf-user", "leaf"], { env });
    expect(s.code, s.stderr).toBe(0);
    const b = await runCli(["sensor", "init", "pi-bad", "--hub", `127.0.0.1:${hub.leafPort}`, ...commonArgs(bad), "--leaf-user", "leaf"], {
      env: { ...env, NSM4HOME_LEAF_PASSWORD: "wrong" },
    });
    expect(b.code, b.stderr).toBe(0);
    for (const out of [h, dry, s, b]) expect(out.stdout + out.stderr).not.toContain(PASSWORD);
    for (const d of [hub.dir, ok.dir]) {
      expect(statSync(join(d, "leaf-auth.conf")).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(d, "nats-server.conf"), "utf8")).not.toContain(PASSWORD);
    }
    const [hubServer, okServer, badServer] = await Promise.all([startFrom(hub), startFrom(ok), startFrom(bad)]);
    servers.push(hubServer, okServer, badServer);
    expect(await reachesDomain(hubServer.url, "pi-ok", isolatedEnv())).toBe(true);
    expect(await reachesDomain(hubServer.url, "pi-bad", isolatedEnv(), 3000)).toBe(false);
  });

  it("overwrites nothing without --force (naming every file that exists), and rewrites with it", async () => {
    const env = isolatedEnv();
    const n = await nodeIn(root, "kept");
    const args = ["sensor", "init", "kept", "--hub", "hub.lan", ...commonArgs(n)];
    expect((await runCli(args, { env })).code).toBe(0);
    writeFileSync(join(n.dir, "nats-server.conf"), "# mine\n");
    const again = await runCli(args, { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/nats-server\.conf, .*nsm4home-nats\.service.* already exist; nothing was written \(add --force to overwrite/);
    expect(readFileSync(join(n.dir, "nats-server.conf"), "utf8")).toBe("# mine\n");
    const forced = await runCli([...args, "--force", "--json"], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).map((f: { action: string }) => f.action)).toEqual(["overwritten", "overwritten", "overwritten", "overwritten"]);
    expect(readFileSync(join(n.dir, "nats-server.conf"), "utf8")).toMatch(/^server_name: "kept"$/m);
  });

  it("refuses bad input in one line with exit 2, and escapes hostile paths it prints", async () => {
    const env = isolatedEnv();
    const noHub = await runCli(["sensor", "init", "x", "--dry-run"], { env });
    expect([noHub.code, noHub.stderr.trim()]).toEqual([2, "nsm4home: sensor init: give --hub with the hub's leaf node address, e.g. --hub nats-leaf://hub.lan:7422"]);
    const badName = await runCli(["sensor", "init", "a.b", "--hub", "h", "--dry-run"], { env });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^nsm4home: invalid sensor name 'a\.b': use letters, digits/);
    const creds = await runCli(["sensor", "init", "x", "--hub", "nats://u:p@h:7422", "--dry-run"], { env });
    expect(creds.code).toBe(2);
    expect(creds.stderr).not.toContain("u:p");
    const noPassword = await runCli(["hub", "init", "--leaf-user", "leaf", "--dry-run"], { env });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/NSM4HOME_LEAF_PASSWORD/);
    const hostile = join(root, "evil\x1b[2Jdir");
    const r = await runCli(["sensor", "init", "x", "--hub", "h", "--dir", hostile, "--from", join(hostile, "eve.json")], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("\x1b");
    const unit = readFileSync(join(hostile, "nsm4home-ingest.service"), "utf8");
    expect(unit).toContain("--checkpoint /var/lib/nsm4home-ingest/eve.checkpoint");
    expect(unit).toContain("SupplementaryGroups=adm");
  });
});
