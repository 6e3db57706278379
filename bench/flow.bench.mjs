// `nsm4home flow` scan speed against nats.js's ordered consumer on the same stream, in one run on one server.
//   whole:  the window holds the whole stream (N events): the flow scan reads every message, byte-searches each
//           payload for the flow id and decodes only the few that contain it; the baseline counts the same N.
//   window: N more events are stored after a pause; a window starting after the pause reads only those (start by
//           time on the server, stop at the window's end), which the "read" column shows.
// Target: the flow scan at least half the ordered consumer's rate (>= 0.5x).
// N defaults to 200000 (FLOW_BENCH_N); each scenario runs FLOW_BENCH_ROUNDS times (default 5), median shown.
import { join } from "node:path";
import { generateEvents, repoRoot } from "./lib/events.mjs";
import { runPipeline, nodeStage } from "./lib/measure.mjs";
import { startThrowawayServer } from "./lib/nats-server.mjs";
import { publishEvents, withStream } from "./lib/publish.mjs";
import { fmtRate, fmtRatio, printTable } from "./lib/report.mjs";

const N = Number(process.env.FLOW_BENCH_N ?? 200_000);
const ROUNDS = Number(process.env.FLOW_BENCH_ROUNDS ?? 5);
const lib = join(repoRoot, "bench", "lib");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startThrowawayServer();
try {
  const { events, averageBytes } = await generateEvents(N);
  // The flow to look for: one in the middle of the stream, with all its events.
  const target = events[Math.floor(N / 2)].event.flow_id ?? events.find((e) => e.event.flow_id !== undefined).event.flow_id;
  const flowEvents = events.filter((e) => e.event.flow_id === target).length;
  const stream = await withStream(server.url, { name: "suricata", subjects: ["suricata.>"] });
  const t0 = Date.now() - 1000;
  await publishEvents(server.url, events);
  await stream.waitForMessages(N);
  await new Promise((r) => setTimeout(r, 1500));
  const second = Date.now();
  const { events: more } = await generateEvents(N, { seed: 7 });
  await publishEvents(server.url, more);
  await stream.waitForMessages(2 * N);
  const end = Date.now() + 1000;
  process.stdout.write(
    `${N.toLocaleString("en-US")} + ${N.toLocaleString("en-US")} events, ${averageBytes.toFixed(0)} B average; flow ${target} has ${flowEvents} events in the first half\n` +
      `nats-server ${(await (await fetch(server.monitorUrl + "/varz")).json()).version}, node ${process.version}\n\n`,
  );

  const runs = [
    { name: "nats.js ordered consumer, N from the start (baseline)", stage: nodeStage(join(lib, "ordered-consumer.mjs"), [server.url, "suricata", String(N)]), expect: N },
    { name: "flow scan, window = first half (N)", stage: nodeStage(join(lib, "flow-scanner.mjs"), [server.url, String(target), String(t0), String(second - 1)]), expect: N },
    { name: "flow scan, window = second half only", stage: nodeStage(join(lib, "flow-scanner.mjs"), [server.url, String(target), String(second), String(end)]), expect: N },
  ];
  const results = runs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < runs.length; i++) {
      const r = await runPipeline([runs[i].stage], { cwd: repoRoot }).exited;
      const stderr = r.stages[0].stderr;
      const own = /\{"elapsedMs":([\d.]+)(?:,"read":(\d+),"events":(\d+))?\}/.exec(stderr);
      if (!own) throw new Error(`${runs[i].name} printed no timing:\n${stderr}`);
      const read = own[2] !== undefined ? Number(own[2]) : N;
      results[i].push({ rate: read / (Number(own[1]) / 1000), read, found: own[3], ms: Number(own[1]), cpu: r.stages[0].cpuMs / 1000 });
    }
  }
  const ratios = results[1].map((r, round) => r.rate / results[0][round].rate);
  const base = median(results[0].map((r) => r.rate));
  printTable(
    results.map((rs, i) => {
      const rate = median(rs.map((r) => r.rate));
      return {
        name: runs[i].name,
        read: rs[0].read.toLocaleString("en-US"),
        found: rs[0].found ?? "",
        ms: median(rs.map((r) => r.ms)).toFixed(0),
        rate: fmtRate(rate),
        ratio: fmtRatio(rate / base),
      };
    }),
    [
      { key: "name", title: `median of ${ROUNDS}`, align: "left" },
      { key: "read", title: "messages read" },
      { key: "found", title: "flow events" },
      { key: "ms", title: "ms" },
      { key: "rate", title: "read/s" },
      { key: "ratio", title: "vs baseline" },
    ],
  );
  const ratio = median(ratios);
  process.stdout.write(`\nflow scan ${fmtRatio(ratio)} the ordered consumer's rate (median of per-round ratios; target >= 0.50x): ${ratio >= 0.5 ? "met" : "NOT met"}\n`);
  await stream.close();
} finally {
  await server.stop();
}
