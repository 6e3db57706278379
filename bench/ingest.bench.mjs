// ingest throughput against plain publishers, all in one run on throwaway servers (nats-server with a file-backed
// stream, redis-server without persistence):
//   baselines: js.publish awaiting each PubAck; js.publish in windows of 1000 awaited together (Promise.all);
//              both from memory, without msg-ids and without Redis.
//   ingest:    N events LPUSHed into a Redis list, then `nsm4home ingest --from redis://... --once`: moves to the
//              processing list, msg-ids, PubAcks, LTRIM, all included; measured as a separate process from its
//              start to its exit (process start-up and connecting included).
//   follow:    the same N events as an eve.json, `nsm4home ingest --from FILE --once` (checkpoint included), and
//              the same with --metrics: the exporter's cost when it is on.
// Figures: events/s, ratio to the window-of-1000 publisher (target ≥ 1.5x), the ingester's CPU time and peak RSS.
// N defaults to 100000 (INGEST_BENCH_N to change); the await-each baseline publishes N/5 (it is slow). The other
// three run INGEST_BENCH_ROUNDS (3) times, interleaved, best run each.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Redis } from "ioredis";
import { generateEvents, repoRoot } from "./lib/events.mjs";
import { nodeStage, runPipeline } from "./lib/measure.mjs";
import { freePort, startThrowawayServer } from "./lib/nats-server.mjs";
import { fmtRate, fmtRatio, printTable } from "./lib/report.mjs";

const N = Number(process.env.INGEST_BENCH_N ?? 100_000);
const EACH_N = Math.max(1000, Math.floor(N / 5));
const ROUNDS = Number(process.env.INGEST_BENCH_ROUNDS ?? 3);
const WINDOW = "js.publish, windows of 1000 (Promise.all)";
const FROM_REDIS = "nsm4home ingest --from redis://…/suricata";
const FROM_FILE = "nsm4home ingest --from eve.json";
const FROM_FILE_METRICS = "nsm4home ingest --from eve.json --metrics";
const cli = join(repoRoot, "bin", "nsm4home.js");
const MIX = { dns: 0.4, flow: 0.35, tls: 0.15, http: 0.04, alert: 0.02, fileinfo: 0.02, anomaly: 0.01, ssh: 0.01, stats: 0.001 };

async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-bench-redis-"));
  const port = await freePort();
  const child = spawn(process.env.NSM4HOME_REDIS_SERVER ?? "redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d) => (log = (log + d).slice(-8192)));
  const deadline = Date.now() + 15_000;
  while (!log.includes("Ready to accept connections")) {
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`redis-server not ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stop);
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

const server = await startThrowawayServer();
const redisServer = await startRedis();
const nc = await connect({ servers: server.url, name: "bench" });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);
const redis = new Redis(redisServer.url);
const work = mkdtempSync(join(tmpdir(), "nsm4home-bench-ingest-"));

async function freshStream() {
  await jsm.streams.delete("suricata").catch(() => undefined);
  await jsm.streams.add({ name: "suricata", subjects: ["suricata.>"], storage: "file", retention: "limits", duplicate_window: 120e9 });
}

async function streamMessages() {
  return (await jsm.streams.info("suricata")).state.messages;
}

function summaryRate(stderr) {
  const m = /done: .* in ([^ ]+) \(([^)]+)\)/.exec(stderr);
  return m ? `${m[2]} in-process` : "";
}

try {
  const { events, averageBytes } = await generateEvents(N, { mix: MIX });
  const ver = (await (await fetch(server.monitorUrl + "/varz")).json()).version;
  process.stdout.write(
    `${N.toLocaleString("en-US")} events, ${averageBytes.toFixed(0)} B average; nats-server ${ver} (file storage), ` +
      `redis-server ${(await redis.info("server")).match(/redis_version:(\S+)/)[1]}, node ${process.version}\n\n`,
  );
  const rows = [];

  // Baseline 1: one publish, wait for its PubAck, next.
  await freshStream();
  let t = performance.now();
  for (let i = 0; i < EACH_N; i++) await js.publish(events[i].subject, events[i].payload);
  let ms = performance.now() - t;
  rows.push({ name: `js.publish, await each PubAck (${EACH_N.toLocaleString("en-US")})`, rate: (EACH_N / ms) * 1000, ms });

  // The window baseline and the two ingests run ROUNDS times, interleaved, and each keeps its best run: on a
  // shared machine a neighbour's burst should not decide the ratio.
  async function followFile(name, extraArgs) {
    await freshStream();
    const eve = join(work, "eve.json");
    rmSync(join(work, "cp.json"), { force: true });
    writeFileSync(eve, events.map((e) => e.payload.toString("utf8")).join("\n") + "\n");
    const run = await runPipeline([
      nodeStage(cli, ["-s", server.url, "--no-context", "ingest", "--from", eve, "--checkpoint", join(work, "cp.json"), "--once", "--progress", "0", ...extraArgs]),
    ]).exited;
    const stage = run.stages[0];
    if (stage.code !== 0) throw new Error(`${name} failed:\n${stage.stderr}`);
    if ((await streamMessages()) !== N) throw new Error(`${name}: stream does not hold N messages`);
    return { name, rate: (N / run.wallMs) * 1000, ms: run.wallMs, cpu: stage.cpuMs, rss: stage.maxRssMb, note: summaryRate(stage.stderr) };
  }
  const best = new Map();
  const keep = (row) => {
    const prev = best.get(row.name);
    if (!prev || row.rate > prev.rate) best.set(row.name, row);
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Baseline 2: windows of 1000 publishes awaited together.
    await freshStream();
    t = performance.now();
    for (let i = 0; i < N; i += 1000) {
      const batch = [];
      for (let j = i; j < Math.min(N, i + 1000); j++) batch.push(js.publish(events[j].subject, events[j].payload));
      await Promise.all(batch);
    }
    ms = performance.now() - t;
    if ((await streamMessages()) !== N) throw new Error("window baseline: stream does not hold N messages");
    keep({ name: WINDOW, rate: (N / ms) * 1000, ms });

    // nsm4home ingest from a Redis list.
    await freshStream();
    await redis.del("suricata", "suricata:processing");
    for (let i = 0; i < N; i += 5000) {
      const p = redis.pipeline();
      for (let j = i; j < Math.min(N, i + 5000); j++) p.lpush("suricata", events[j].payload);
      await p.exec();
    }
    const ingestRun = await runPipeline([
      nodeStage(cli, ["-s", server.url, "--no-context", "ingest", "--from", `${redisServer.url}/suricata`, "--once", "--progress", "0"]),
    ]).exited;
    const ingestStage = ingestRun.stages[0];
    if (ingestStage.code !== 0) throw new Error(`ingest failed:\n${ingestStage.stderr}`);
    const stored = await streamMessages();
    const left = (await redis.llen("suricata")) + (await redis.llen("suricata:processing"));
    if (stored !== N || left !== 0) throw new Error(`ingest: stream holds ${stored}, Redis still has ${left}`);
    keep({
      name: FROM_REDIS,
      rate: (N / ingestRun.wallMs) * 1000,
      ms: ingestRun.wallMs,
      cpu: ingestStage.cpuMs,
      rss: ingestStage.maxRssMb,
      note: summaryRate(ingestStage.stderr),
    });

    // nsm4home ingest following an eve.json, and the same with --metrics (what the exporter costs when on).
    keep(await followFile(FROM_FILE, []));
    keep(await followFile(FROM_FILE_METRICS, ["--metrics", `127.0.0.1:${await freePort()}`]));
  }
  rows.push(best.get(WINDOW), best.get(FROM_REDIS), best.get(FROM_FILE), best.get(FROM_FILE_METRICS));
  const windowRate = best.get(WINDOW).rate;

  printTable(
    rows.map((r) => ({
      name: r.name,
      rate: fmtRate(r.rate),
      ratio: fmtRatio(r.rate / windowRate),
      secs: (r.ms / 1000).toFixed(2),
      cpu: r.cpu === undefined ? "" : `${(r.cpu / 1000).toFixed(2)}s`,
      rss: r.rss === undefined ? "" : `${r.rss.toFixed(0)} MB`,
      note: r.note ?? "",
    })),
    [
      { key: "name", title: "publisher", align: "left" },
      { key: "rate", title: "events/s" },
      { key: "ratio", title: "vs window" },
      { key: "secs", title: "seconds" },
      { key: "cpu", title: "CPU" },
      { key: "rss", title: "peak RSS" },
      { key: "note", title: "", align: "left" },
    ],
  );
  const ratio = best.get(FROM_REDIS).rate / windowRate;
  process.stdout.write(
    `\ningest from Redis: ${fmtRatio(ratio)} the windowed publisher (target ≥ 1.50x), process start-up and connecting included; ` +
      `msg-ids, LMOVE batches and LTRIM included; best of ${ROUNDS} runs each\n`,
  );
  const plain = best.get(FROM_FILE);
  const measured = best.get(FROM_FILE_METRICS);
  process.stdout.write(
    `ingest --metrics: ${fmtRatio(measured.cpu / plain.cpu)} the CPU and ${fmtRatio(measured.rate / plain.rate)} the rate of the same run without it ` +
      `(target: CPU <= 1.10x; without --metrics nothing is measured)\n`,
  );
} finally {
  redis.disconnect();
  await nc.close();
  await server.stop();
  redisServer.stop();
  rmSync(work, { recursive: true, force: true });
}
