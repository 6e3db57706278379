// tail throughput, loss and memory against its baselines, all in one run on one throwaway server:
//   live:   a burst of N generated events (dns/flow/tls/stats, ~650 B) published as fast as one client can, read by
//           a count-only nats.js subscriber (the ceiling), tail pretty, tail --filter, tail --filter --select,
//           tail --json, and the pipeline users run today (`tail --raw | jq -c 'select(...)|.dns.rrname'`).
//           Every tail's output goes to a sink process that notes when the last byte arrived; jq runs
//           line-buffered (stdbuf -oL) so its last line is seen when produced, not when jq exits.
//   replay: N events from the stream: nats.js's ordered consumer with its default batch vs our event source
//           (both count only, timed from opening the consumer), and tail end to end (timed from outside, less
//           its start-up measured on an empty stream).
// Figures: events/s, ratios, messages lost (and whether tail reported them), peak RSS, CPU.
// The live targets are CPU seconds per event of each process against the count-only subscriber's in the same round
// (a shared machine changes wall times, much less the CPU a process spends): the median of the rounds' ratios.
// `tail --new` reads the same burst through a stream made for that row only: nothing may be lost there.
// N defaults to 200000 (TAIL_BENCH_N to change); TAIL_BENCH_PARTS=live or =replay runs one half only;
// TAIL_BENCH_LIVE=pretty,select keeps the count-only row and the live rows whose names contain those words.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { generateEvents, importDist, repoRoot } from "./lib/events.mjs";
import { cpuMsOf, epochNow, nodeStage, runPipeline, sinkReport, sinkStage } from "./lib/measure.mjs";
import { newestConnectionId, startThrowawayServer, waitForSubscriber } from "./lib/nats-server.mjs";
import { publishEvents, withStream } from "./lib/publish.mjs";
import { fmtRate, fmtRatio, printTable } from "./lib/report.mjs";
import { natscliBinary } from "../scripts/test-servers.mjs";

const N = Number(process.env.TAIL_BENCH_N ?? 200_000);
const FILTER = "dns.type == 'query'";
const SELECT = "dns.rrname";
const JQ = `select(.dns.type=="query")|.dns.rrname`;
const cli = join(repoRoot, "bin", "nsm4home.js");
const lib = join(repoRoot, "bench", "lib");
const IDLE = "5s";
// Each scenario runs ROUNDS times, interleaved, and the run with the median rate is shown (a shared 2-core VM is noisy).
const ROUNDS = Number(process.env.TAIL_BENCH_ROUNDS ?? 3);
const PARTS = new Set((process.env.TAIL_BENCH_PARTS ?? "live,replay").split(","));

function medianRow(rows) {
  const sorted = [...rows].sort((a, b) => a.rate - b.rate);
  return { ...sorted[Math.floor(sorted.length / 2)], rates: rows.map((r) => r.rate) };
}
const IDLE_MS = 5000;

function summaryNumbers(stderr) {
  const pick = (word) => {
    const m = new RegExp(`${word} ([\\d,]+)`).exec(stderr);
    return m ? Number(m[1].replace(/,/g, "")) : undefined;
  };
  return { received: pick("received"), shown: pick("shown"), dropped: pick("dropped") };
}

const server = await startThrowawayServer();
try {
  const { events, averageBytes } = await generateEvents(N);
  const { compileFilter } = await importDist("filter/index.js");
  const filter = compileFilter(FILTER);
  const matching = events.filter((e) => filter.matches(e.event)).length;
  process.stdout.write(
    `${N.toLocaleString("en-US")} events, ${averageBytes.toFixed(0)} B average; filter "${FILTER}" matches ${matching.toLocaleString("en-US")}\n` +
      `nats-server ${(await (await fetch(server.monitorUrl + "/varz")).json()).version}, node ${process.version}\n\n`,
  );

  const tail = (args) => nodeStage(cli, ["-s", server.url, "--no-context", "tail", "--color", "never", ...args]);
  // Every tail's output goes to a separate sink process that notes when the last byte arrived: the rate is
  // what reached the end of the pipeline divided by the time from the start of publishing to that last byte.
  let liveRows, ceiling, jqRate, floor;
  if (PARTS.has("live")) {
    const live = [
      { name: "count-only subscriber (ceiling)", stages: [nodeStage(join(lib, "count-subscriber.mjs"), [server.url, "suricata.>", String(N)])], expect: 0 },
      { name: "tail (pretty)", stages: [tail(["--count", String(N), "--timeout", IDLE]), sinkStage()], expect: N },
      { name: "tail --filter (pretty)", stages: [tail(["--filter", FILTER, "--count", String(matching), "--timeout", IDLE]), sinkStage()], expect: matching },
      {
        name: "tail --filter --select",
        stages: [tail(["--filter", FILTER, "--select", SELECT, "--count", String(matching), "--timeout", IDLE]), sinkStage()],
        expect: matching,
      },
      { name: "tail --json", stages: [tail(["--json", "--count", String(N), "--timeout", IDLE]), sinkStage()], expect: N },
      // The lossless way: the same burst stored by a stream and read through it (ordered, paced by the output).
      { name: "tail --new (pretty, via stream)", stages: [tail(["--new", "--count", String(N), "--timeout", IDLE]), sinkStage()], expect: N, stream: true },
      {
        name: "tail --raw | jq (baseline)",
        // Line-buffered so the sink sees when jq produced its last line, not when it flushed at exit.
        stages: [tail(["--raw", "--count", String(N), "--timeout", IDLE]), { cmd: "stdbuf", args: ["-oL", "/usr/bin/jq", "-c", JQ] }, sinkStage()],
        expect: matching,
      },
    ];
    // The seed setup's own pipeline, `nats sub --raw 'suricata.>' | jq -c ...`, with natscli v0.5.0 from the test
    // tools cache (scripts/test-servers.mjs builds it); said and left out where it is not built.
    const natscli = natscliBinary();
    if (natscli) {
      live.push({
        name: "nats sub --raw | jq (seed pipeline)",
        stages: [
          { cmd: natscli, args: ["-s", server.url, "sub", "--raw", "suricata.>", "--count", String(N)] },
          { cmd: "stdbuf", args: ["-oL", "/usr/bin/jq", "-c", JQ] },
          sinkStage(),
        ],
        expect: matching,
        countedBySink: true,
        // natscli cut off as a slow consumer waits for ever for the --count it will never see.
        timeoutMs: 30_000,
      });
    } else {
      process.stdout.write("natscli not built (node scripts/test-servers.mjs): the 'nats sub | jq' row is left out\n");
    }

    async function measureLive(run) {
      // A stream only for the rows that read through one: the others' bursts are not stored.
      const burstStream = run.stream ? await withStream(server.url, { name: "burst", subjects: ["suricata.>"] }) : undefined;
      try {
        return await measureLiveRun(run, burstStream);
      } finally {
        await burstStream?.remove();
      }
    }
    async function measureLiveRun(run, burstStream) {
      const lastCid = await newestConnectionId(server);
      const p = runPipeline(run.stages, { cwd: repoRoot, ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}) });
      await waitForSubscriber(server, lastCid);
      // `tail --new` shows what is stored after its consumer exists: publishing sooner would count the first few as lost.
      await burstStream?.waitForConsumer();
      const t0Epoch = epochNow();
      const t0 = performance.now();
      const pub = await publishEvents(server.url, events);
      const r = await p.exited;
      const first = r.stages[0];
      const nums = summaryNumbers(first.stderr);
      const sink = sinkReport(r.stages[r.stages.length - 1]);
      const dropped = nums.dropped ?? 0;
      // tail: what it handled (received less what it dropped); the jq pipeline: what tail passed on to jq.
      // natscli prints no summary: it handled every event when all the matching ones reached the sink.
      const processed = run.countedBySink
        ? Math.round(N * Math.min(1, (sink?.lines ?? 0) / run.expect))
        : run.expect === 0 ? nums.received ?? 0 : run.name.includes("jq") ? nums.shown ?? 0 : (nums.received ?? 0) - dropped;
      const ms = sink ? sink.lastAt - t0Epoch : r.endedAt - t0;
      const timedOut = first.code !== 0;
      // A tail that reached --count saw everything it had to; one that timed out missed what it never received.
      const lost = run.countedBySink
        ? Math.max(0, run.expect - (sink?.lines ?? 0))
        : run.expect === 0 ? N - (nums.received ?? 0) : dropped + (timedOut ? N - (nums.received ?? 0) : 0);
      return {
        name: run.name,
        ms,
        rate: processed / (ms / 1000),
        lost,
        reported: dropped,
        lines: sink ? sink.lines : 0,
        expect: run.expect,
        rss: r.stages
          .slice(0, sink ? -1 : undefined)
          .map((s) => s.maxRssMb.toFixed(0))
          .join("+"),
        cpu: r.stages
          .slice(0, sink ? -1 : undefined)
          .map((s) => (s.cpuMs / 1000).toFixed(2))
          .join("+"),
        cpuMs: r.stages[0].cpuMs,
        pub: pub.rate,
        err: timedOut ? first.stderr.trim().split("\n").filter((l) => !l.includes("dropped")).pop() : "",
      };
    }
    const only = (process.env.TAIL_BENCH_LIVE ?? "").split(",").filter(Boolean);
    if (only.length > 0) live.splice(0, live.length, ...live.filter((run, i) => i === 0 || only.some((w) => run.name.includes(w))));
    const liveRuns = live.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < live.length; i++) liveRuns[i].push(await measureLive(live[i]));
    }
    liveRows = liveRuns.map(medianRow);
    // CPU per event of each run against the count-only run of the same round; the median of those ratios.
    const cpuMedian = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    liveRows.forEach((row, i) => {
      row.cpuRatio = cpuMedian(liveRuns[i].map((r, round) => r.cpuMs / N / (liveRuns[0][round].cpuMs / N)));
      row.cpuRounds = liveRuns[i].map((r) => (r.cpuMs / 1000).toFixed(2));
      row.maxUnreported = Math.max(...liveRuns[i].map((r) => r.lost - r.reported));
    });
    ceiling = liveRows[0].rate;
    // "vs jq" is against the seed's own `nats sub | jq` where natscli is built, else `tail --raw | jq`.
    const jqRow = liveRows.find((r) => r.name.startsWith("nats sub")) ?? liveRows.find((r) => r.name.includes("jq"));
    jqRate = jqRow?.rate;
    printTable(
      liveRows.map((r) => ({
        name: r.name,
        rate: fmtRate(r.rate),
        vsCeiling: fmtRatio(r.rate / ceiling),
        vsJq: jqRate === undefined ? "-" : fmtRatio(r.rate / jqRate),
        lost: `${r.lost.toLocaleString("en-US")}${r.lost > 0 ? ` (${r.reported === r.lost ? "all reported" : `${r.reported} reported`})` : ""}`,
        lines: `${r.lines.toLocaleString("en-US")}/${r.expect.toLocaleString("en-US")}`,
        rss: r.rss,
        cpu: r.cpu,
        pub: fmtRate(r.pub),
      })),
      [
        { key: "name", title: `live burst of ${N.toLocaleString("en-US")} (median of ${ROUNDS})`, align: "left" },
        { key: "rate", title: "events/s" },
        { key: "vsCeiling", title: "vs count" },
        { key: "vsJq", title: "vs jq" },
        { key: "lost", title: "lost" },
        { key: "lines", title: "lines out" },
        { key: "rss", title: "RSS MB" },
        { key: "cpu", title: "CPU s" },
        { key: "pub", title: "publish" },
      ],
    );
    for (const r of liveRows) if (r.err) process.stdout.write(`  ${r.name}: ${r.err}\n`);
    process.stdout.write(`  each run (events/s): ${liveRows.map((r) => `${r.name.split(" (")[0]} ${r.rates.map(fmtRate).join(" ")}`).join("; ")}\n`);
    process.stdout.write(`  each run (CPU s of the first process): ${liveRows.map((r) => `${r.name.split(" (")[0]} ${r.cpuRounds.join(" ")}`).join("; ")}\n`);
    process.stdout.write(`  CPU per event vs the count-only subscriber (median of per-round ratios): ${liveRows.slice(1).map((r) => `${r.name} ${fmtRatio(r.cpuRatio)}`).join("; ")}\n`);
    // The floor: the same events decoded, parsed and formatted in a process with nothing else to do. Added to the
    // subscriber's own cost per message (tail receives every message the same way), it is the least CPU per event
    // tail could spend, before start-up, output and lag checks.
    const floorRun = spawnSync(process.execPath, [join(lib, "parse-floor.mjs"), String(N), FILTER, SELECT], { encoding: "utf8" });
    if (floorRun.status === 0) {
      floor = JSON.parse(floorRun.stdout);
      const countUs = cpuMedian(liveRuns[0].map((r) => r.cpuMs)) * 1000 / N;
      floor.countUs = countUs;
      process.stdout.write(
        `  floor, in one process without NATS or output (µs per event): JSON.parse ${floor.parse.toFixed(2)}, decode + parse + format (pretty) ${floor.pretty.toFixed(2)}, ` +
          `prefilter + parse + filter + select ${floor.select.toFixed(2)}; the count-only subscriber ${countUs.toFixed(2)} in all. ` +
          `So tail pretty of every event cannot go below ${fmtRatio(1 + floor.pretty / countUs)} and --filter --select below ${fmtRatio(1 + floor.select / countUs)} the subscriber's CPU\n`,
      );
    } else {
      process.stdout.write(`  floor not measured: ${floorRun.stderr.trim().split("\n").pop()}\n`);
    }
  }

  // Replay: fill the stream once, then read it back.
  let replayRows, replayRatio;
  const replayParts = [...PARTS].filter((p) => p.startsWith("replay"));
  const stream = await withStream(server.url, { name: "suricata", subjects: ["suricata.>"] });
  const empty = await withStream(server.url, { name: "empty", subjects: ["bench-empty.>"] });
  if (replayParts.length > 0) {
    process.stdout.write("\n");
    await publishEvents(server.url, events);
    await stream.waitForMessages(N);
    const dnsFlow = events.filter((e) => e.event.event_type === "dns" || e.event.event_type === "flow").length;

    const countOnly = (batch) => ({
      name: `event source (count only)${batch ? `, batch ${batch}` : ""}`,
      run: [nodeStage(join(lib, "event-source-counter.mjs"), [server.url, "suricata.>", "all", ...(batch ? [batch] : [])])],
      expect: N,
    });
    const replay = [
      {
        name: "nats.js ordered consumer, default batch (baseline)",
        run: [nodeStage(join(lib, "ordered-consumer.mjs"), [server.url, "suricata", String(N)])],
        expect: N,
      },
      countOnly(),
      // TAIL_BENCH_BATCHES=500,5000 adds count-only rows with other batch sizes.
      ...(process.env.TAIL_BENCH_BATCHES ?? "").split(",").filter(Boolean).map(countOnly),
    ];
    // TAIL_BENCH_PARTS=replay-count: only the count-only clients (quick, for comparing the two).
    if (!replayParts.includes("replay-count") || replayParts.includes("replay")) {
      replay.push(
        {
          name: "tail --all --no-follow --json",
          run: [tail(["--all", "--no-follow", "--json"])],
          startup: [tail(["bench-empty.>", "--all", "--no-follow", "--json"])],
          expect: N,
        },
        {
          name: "tail --all --no-follow (pretty)",
          run: [tail(["--all", "--no-follow"])],
          startup: [tail(["bench-empty.>", "--all", "--no-follow"])],
          expect: N,
        },
        {
          name: "tail dns flow --all --no-follow (merge on 2.9)",
          run: [tail(["dns", "flow", "--all", "--no-follow", "--json"])],
          startup: [tail(["bench-empty.>", "--all", "--no-follow", "--json"])],
          expect: dnsFlow,
        },
      );
    }
    async function measureReplay(run) {
      const s = run.startup ? await runPipeline(run.startup, { cwd: repoRoot }).exited : { wallMs: 0 };
      const serverCpuBefore = cpuMsOf(server.pid);
      const r = await runPipeline(run.run, { cwd: repoRoot }).exited;
      const serverCpuMs = cpuMsOf(server.pid) - serverCpuBefore;
      // Count-only clients time themselves from opening the consumer; tail is timed from outside, less its start-up.
      const own = /\{"elapsedMs":([\d.]+)\}/.exec(r.stages[0].stderr);
      const ms = own ? Number(own[1]) : r.wallMs - s.wallMs;
      const nums = summaryNumbers(r.stages[0].stderr);
      return {
        name: run.name,
        rate: run.expect / (ms / 1000),
        received: nums.received ?? 0,
        expect: run.expect,
        rss: r.stages[0].maxRssMb.toFixed(0),
        cpu: (r.stages[0].cpuMs / 1000).toFixed(1),
        serverCpu: (serverCpuMs / 1000).toFixed(1),
        startup: own ? undefined : s.wallMs,
        code: r.stages[0].code,
      };
    }
    // The count-only replays take a second or two: more rounds for the ratio the target is about.
    const rounds = Number(process.env.TAIL_BENCH_REPLAY_ROUNDS ?? Math.max(ROUNDS, 7));
    const replayRuns = replay.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < replay.length; i++) {
        if (round >= ROUNDS && replay[i].startup) continue;
        replayRuns[i].push(await measureReplay(replay[i]));
      }
    }
    replayRows = replayRuns.map(medianRow);
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    // Two views of the same runs: the ratio of the medians, and the median of each round's ratio to the baseline run
    // just before it (closer in time, but a load change between the two shows up in full).
    const ratios = replayRuns.map((runs) => median(runs.map((r, round) => r.rate / replayRuns[0][round].rate)));
    replayRatio = ratios[1];
    const base = replayRows[0].rate;
    printTable(
      replayRows.map((r, i) => ({
        name: r.name,
        rate: fmtRate(r.rate),
        vsBase: fmtRatio(r.rate / base),
        vsBaseRounds: fmtRatio(ratios[i]),
        received: `${r.received.toLocaleString("en-US")}/${r.expect.toLocaleString("en-US")}`,
        rss: r.rss,
        cpu: r.cpu,
        serverCpu: r.serverCpu,
        startup: r.startup === undefined ? "self-timed" : `${r.startup.toFixed(0)} ms`,
      })),
      [
        { key: "name", title: `replay of ${N.toLocaleString("en-US")} from the stream (median of ${rounds}; tail rows ${Math.min(rounds, ROUNDS)})`, align: "left" },
        { key: "rate", title: "events/s" },
        { key: "vsBase", title: "vs ordered" },
        { key: "vsBaseRounds", title: "per-round ratios' median" },
        { key: "received", title: "received" },
        { key: "rss", title: "RSS MB" },
        { key: "cpu", title: "CPU s" },
        // On a loaded machine wall-clock ratios wander; the CPU both sides spent per replay does not.
        { key: "serverCpu", title: "server CPU s" },
        { key: "startup", title: "start-up (taken off)" },
      ],
    );
    process.stdout.write(`  each run (events/s): ${replayRows.map((r) => `${r.name.split(" (")[0]} ${r.rates.map(fmtRate).join(" ")}`).join("; ")}\n`);
  }

  const targets = [];
  if (liveRows) {
    const row = (name) => liveRows.find((r) => r.name === name);
    const filtered = row("tail --filter (pretty)");
    if (filtered && jqRate !== undefined) {
      targets.push(`tail --filter ${fmtRatio(filtered.rate / jqRate)} the jq pipeline (>= 3x), ${fmtRatio(filtered.rate / ceiling)} the ceiling (>= 0.5x)`);
    }
    const pretty = row("tail (pretty)");
    const floorOf = (key) => (floor ? `, floor ${fmtRatio(1 + floor[key] / floor.countUs)}` : "");
    if (pretty) targets.push(`tail pretty CPU/event ${fmtRatio(pretty.cpuRatio)} count-only (<= 2.5x${floorOf("pretty")}), unreported losses ${pretty.maxUnreported} in the worst round (0; a burst faster than tail can show is dropped and counted, not held against the publishers)`);
    const viaStream = row("tail --new (pretty, via stream)");
    if (viaStream) targets.push(`tail --new lost ${viaStream.lost} of the burst (0), CPU/event ${fmtRatio(viaStream.cpuRatio)} count-only`);
    const select = row("tail --filter --select");
    if (select) targets.push(`tail --filter --select CPU/event ${fmtRatio(select.cpuRatio)} count-only (<= 1.4x${floorOf("select")})`);
    // tail's own rows only (natscli's is the seed's pipeline, not ours).
    targets.push(`max tail RSS ${Math.max(...liveRows.filter((r) => r.name.startsWith("tail")).map((r) => Number(r.rss.split("+")[0])))} MB (<= 150)`);
  }
  if (replayRows) {
    targets.push(`replay ${fmtRatio(replayRows[1].rate / replayRows[0].rate)} the ordered consumer, ${fmtRatio(replayRatio)} as the median of per-round ratios (>= 1.4x)`);
  }
  process.stdout.write(`\ntargets: ${targets.join("; ")}\n`);
  await stream.close();
  await empty.close();
} finally {
  await server.stop();
}
