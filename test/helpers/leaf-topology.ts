// A hub and sensor leaf nodes on loopback, as `hub init`/`sensor init` set them up: each sensor's nats-server runs
// from the config `sensor init` wrote, in its own JetStream domain; its leaf link goes through a TCP relay the test
// can cut and restore (the network between a sensor and the hub). The hub may be a 3-node cluster.
import { mkdtempSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { natsServerBinary } from "./binaries.js";
import { isolatedEnv, runCli } from "./cli.js";
import { startNatsServer, waitForJetStreamReady, type NatsServer } from "./nats-server.js";
import { freePort } from "./ports.js";
import { trackDir } from "./processes.js";

export interface LinkRelay {
  port: number;
  /**
   * Stops every byte through it, both ways, as a link that went dark: the connections stay open (a sensor would
   * otherwise reconnect to the hub's other leaf listeners, which the hub's INFO names, around the relay).
   */
  cut(): void;
  /** Lets the bytes flow again; what waited in the socket buffers goes on, as after a healed partition. */
  restore(): void;
  close(): Promise<void>;
}

/** Forwards to the first of `targets` that accepts; cut() and restore() model the link going dark and back. */
export async function startLinkRelay(targets: number[]): Promise<LinkRelay> {
  const port = await freePort();
  let up = true;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (!up) socket.pause();
  };
  const server: Server = createServer((client) => {
    track(client);
    const tryTarget = (i: number) => {
      if (i >= targets.length) return client.destroy();
      const upstream = createConnection({ host: "127.0.0.1", port: targets[i]! });
      let connected = false;
      upstream.on("error", () => {
        if (!connected) tryTarget(i + 1);
        else client.destroy();
      });
      upstream.once("connect", () => {
        connected = true;
        track(upstream);
        upstream.on("close", () => client.destroy());
        client.on("close", () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    cut: () => {
      up = false;
      for (const s of sockets) s.pause();
    },
    restore: () => {
      up = true;
      for (const s of sockets) s.resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Hub {
  servers: NatsServer[];
  /** Client URLs of every hub server, comma separated. */
  url: string;
  leafPorts: number[];
  dispose(): Promise<void>;
}

/** The hub: `size` servers (routed into a cluster when more than one), JetStream domain `domain`, leaf listeners. */
export async function startHub(size: number, domain = "hub"): Promise<Hub> {
  const store = mkdtempSync(join(tmpdir(), "nsm4home-hub-"));
  trackDir(store);
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const leafPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const servers = await Promise.all(
    clusterPorts.map((cport, i) =>
      startNatsServer({
        name: `${domain}${i + 1}-${cport}`,
        jetstream: false,
        config: `jetstream { store_dir: "${join(store, String(i))}", domain: ${domain} }\nleafnodes { listen: 127.0.0.1:${leafPorts[i]}}`,
        ...(size > 1 ? { cluster: { name: `c${clusterPorts[0]}`, port: cport, routes: clusterPorts.filter((p) => p !== cport) } } : {}),
      }),
    ),
  );
  const url = servers.map((s) => s.url).join(",");
  await waitForJetStreamReady(servers[0]!.url);
  return { servers, url, leafPorts, dispose: async () => void (await Promise.all(servers.map((s) => s.dispose()))) };
}

export interface Sensor {
  name: string;
  server: NatsServer;
  relay: LinkRelay;
  dir: string;
  dispose(): Promise<void>;
}

/** A sensor from the files `nsm4home sensor init NAME` writes, its leaf link through a relay to the hub. */
export async function startSensor(name: string, hub: Hub): Promise<Sensor> {
  const root = mkdtempSync(join(tmpdir(), `nsm4home-sensor-${name}-`));
  trackDir(root);
  const [port, monitorPort, relay] = await Promise.all([freePort(), freePort(), startLinkRelay(hub.leafPorts)]);
  const init = await runCli(
    ["sensor", "init", name, "--hub", `nats-leaf://127.0.0.1:${relay.port}`, "--dir", root, "--listen", `127.0.0.1:${port}`,
      "--store-dir", join(root, "js"), "--monitor-port", String(monitorPort), "--nats-server", natsServerBinary()],
    { env: isolatedEnv() },
  );
  if (init.code !== 0) throw new Error(`sensor init ${name} failed: ${init.stderr}`);
  const server = await startNatsServer({ configFile: join(root, "nats-server.conf"), port, monitorPort, name });
  return {
    name,
    server,
    relay,
    dir: root,
    dispose: async () => {
      await relay.close();
      await server.dispose();
    },
  };
}

/** Polls until `from` reaches JetStream domain `domain` (through the leaf link). */
export async function waitForDomain(url: string, domain: string, timeoutMs = 30_000): Promise<void> {
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: url, timeout: 5000 });
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const m = await nc.request(`$JS.${domain}.API.INFO`, undefined, { timeout: 1000 });
        if (!(m.json<{ error?: unknown }>().error)) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`domain ${domain} not reachable from ${url} after ${timeoutMs} ms`);
  } finally {
    await nc.close();
  }
}
