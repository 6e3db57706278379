// The proof of "many sensors, one hub" on loopback: a 3-node hub cluster (domain hub) and two sensors from
// `sensor init` configs, each with its own domain, stream and ingester following an eve.json. One sensor's leaf
// link is cut for 30 s while its ingester keeps going, then restored; later its nats-server is killed with -9 and
// restarted. The hub stream ends with every event of both sensors exactly once; `hub status` showed the cut
// sensor down (the hub hearing nothing from it for longer and longer) and caught up after; `tail --js-domain hub`
// showed events of both sensors, and `tui` on the hub a stats row per sensor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import { isolatedEnv, repoRoot, runCli, startCli, type CliProcess, cliShellCommand, shellQuote } from "../helpers/cli.js";
import { hasTmux, TmuxSession } from "../tui/tmux.js";
import { startHub, startSensor, waitForDomain, type Hub, type Sensor } from "../helpers/leaf-topology.js";
import { trackDir } from "../helpers/processes.js";
import { readStream, testConnection, waitForCount } from "../ingest/stream-helpers.js";

const CUT_MS = 30_000;
const PER_SECOND = 40;

/** Appends numbered dns events (and a stats event every 40) for one sensor, while not paused. */
function startWriter(path: string, host: string) {
  let n = 0;
  let paused = false;
  const timer = setInterval(() => {
    if (paused) return;
    let chunk = "";
    for (let i = 0; i < PER_SECOND / 10; i++) {
      n++;
      const stats = n % 40 === 0;
      chunk +=
        JSON.stringify({
          timestamp: new Date().toISOString(),
          event_type: stats ? "stats" : "dns",
          host,
          n,
          ...(stats ? { stats: { uptime: n, capture: { kernel_packets: n * 100, kernel_drops: n }, decoder: { pkts: n * 100 } } } : {}),
        }) + "\n";
    }
    appendFileSync(path, chunk);
  }, 100);
  return {
    count: () => n,
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    stop: () => clearInterval(timer),
  };
}

type StatusRow = { sensor: string; link: string; lag: number; lastSeenMs?: number };

describe("a hub cluster and two sensor leaf nodes: nothing lost, nothing twice", () => {
  let hub: Hub;
  const sensors: Sensor[] = [];
  const ingesters: CliProcess[] = [];
  const writers: Array<ReturnType<typeof startWriter>> = [];
  let hubNc: NatsConnection;
  let tail: CliProcess;
  let tui: TmuxSession | undefined;
  const env = isolatedEnv();
  const hubCli = (args: string[]) => runCli(["-s", hub.url, "--timeout", "3s", ...args], { env });
  const status = async (): Promise<StatusRow[]> => {
    const r = await hubCli(["hub", "status", "--json", "--sample", "0"]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout).sensors as StatusRow[];
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-proof-"));
    trackDir(dir);
    hub = await startHub(3);
    sensors.push(...(await Promise.all([startSensor("garage", hub), startSensor("attic", hub)])));
    await Promise.all(sensors.map((s) => waitForDomain(hub.url, s.name)));
    for (const s of sensors) {
      const file = join(dir, `${s.name}-eve.json`);
      appendFileSync(file, "");
      writers.push(startWriter(file, s.name));
      const ingest = startCli(
        ["-s", s.server.url, "ingest", "--from", file, "--create-stream", "--checkpoint", join(dir, `${s.name}.checkpoint`), "--progress", "0"],
        { env, timeoutMs: 600_000 },
      );
      ingesters.push(ingest);
    }
    hubNc = await testConnection(hub.url);
    for (const s of sensors) {
      // The sensor's stream exists once its ingester made it.
      await waitForDomain(s.server.url, s.name);
      const deadline = Date.now() + 20_000;
      while ((await runCli(["-s", s.server.url, "stream", "info", "suricata", "--json"], { env })).code !== 0) {
        if (Date.now() > deadline) throw new Error(`no stream on ${s.name}: ${ingesters[0]!.stderr()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const add = await hubCli(["hub", "add-sensor", s.name, "--replicas", "3"]);
      expect(add.code, add.stderr).toBe(0);
    }
    tail = startCli(["-s", hub.url, "--js-domain", "hub", "tail", "--json"], { env, timeoutMs: 600_000 });
  }, 120_000);

  afterAll(async () => {
    tui?.kill();
    for (const w of writers) w.stop();
    await Promise.all([...ingesters, ...(tail ? [tail] : [])].map((p) => p.stop("SIGTERM")));
    await hubNc?.close();
    await Promise.all(sensors.map((s) => s.dispose()));
    await hub?.dispose();
  });

  it("a link cut for 30 s: status shows the sensor down and unheard for longer and longer, then caught up; every event once", async () => {
    const [garage] = sensors;
    await tail.waitFor((t) => t.includes('"host":"garage"') && t.includes('"host":"attic"'), { timeoutMs: 20_000 });
    if (hasTmux()) {
      // The dashboard on the hub: its stats pane has a row per sensor (rates from each one's consecutive stats).
      tui = new TmuxSession("hub-tui");
      tui.start(120, 40, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME!, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME! });
      tui.run(`cd ${shellQuote(repoRoot)} && ${cliShellCommand} tui --server ${hub.url} --js-domain hub`);
      const screen = await tui.waitFor((s) => /│attic\s+\S+/.test(s) && /│garage\s+\S+/.test(s), 30_000, "a stats row per sensor");
      expect(screen).toMatch(/│sensor\s+uptime\s+pkts\/s/);
      expect(screen).toMatch(/1 suricata\.dns \d+\/s total [1-9]/);
      tui.send("q");
    }

    garage!.relay.cut();
    const startedCut = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    const early = (await status()).find((r) => r.sensor === "garage")!;
    await new Promise((r) => setTimeout(r, Math.max(0, CUT_MS - (Date.now() - startedCut) - 3000)));
    const late = (await status()).find((r) => r.sensor === "garage")!;
    const atticDuringCut = (await status()).find((r) => r.sensor === "attic")!;
    garage!.relay.restore();

    expect(early.link).toBe("down");
    expect(late.link).toBe("down");
    expect(late.lastSeenMs!).toBeGreaterThan(early.lastSeenMs! + 15_000);
    expect(atticDuringCut.link).toBe("up");

    await waitForDomain(hub.url, "garage");
    await settleAndCheck();
    const after = await status();
    expect(after.map((r) => [r.sensor, r.link, r.lag])).toEqual([["attic", "up", 0], ["garage", "up", 0]]);
  }, 120_000);

  it("a sensor's nats-server killed with -9 and restarted: its ingester waits, the hub catches up; every event once", async () => {
    const [garage] = sensors;
    for (const w of writers) w.resume();
    await new Promise((r) => setTimeout(r, 1000));
    await garage!.server.kill();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await status()).find((r) => r.sensor === "garage")!.link).toBe("down");
    await garage!.server.restart();
    await waitForDomain(hub.url, "garage");
    await new Promise((r) => setTimeout(r, 1000));
    await settleAndCheck();
  }, 120_000);

  /** Waits until the hub holds what both sensors wrote so far (writers paused), and checks each event is there once. */
  async function settleAndCheck(): Promise<void> {
    for (const w of writers) w.pause();
    const expected = writers.reduce((n, w) => n + w.count(), 0);
    await waitForCount(hubNc, (n) => n >= expected, 60_000, "suricata");
    const stored = await readStream(hubNc, "suricata");
    const seen = new Map<string, number>();
    for (const m of stored) {
      const e = JSON.parse(m.data) as { host: string; n: number };
      const key = `${e.host}#${e.n}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const twice = [...seen].filter(([, c]) => c > 1).map(([k]) => k);
    expect(twice).toEqual([]);
    sensors.forEach((s, i) => {
      const missing = Array.from({ length: writers[i]!.count() }, (_, j) => `${s.name}#${j + 1}`).filter((k) => !seen.has(k));
      expect(missing, s.name).toEqual([]);
    });
    expect(stored.length).toBe(expected);
  }
});
