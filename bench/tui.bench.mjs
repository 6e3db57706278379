// The dashboard under load, in a real terminal: `nsm4home tui` in tmux at 120x40 (then 200x50) while a separate
// publisher process sends generated events (dns/flow/tls/stats) at a steady rate for a while. Figures:
//   CPU % of one core and RSS of the TUI process (from /proc/<pid>/stat and status), sampled every second;
//   the totals on screen against what was published, per subject (they must be equal);
//   key-press latency: a key that changes the screen (z zooms, z again unzooms), from sending it through a tmux
//   control-mode client to the screen showing the answer (read whenever the pane writes: lib/tmux-control.mjs),
//   beside the same harness timing the shell's echo of a key before the dashboard starts.
// Targets (issue 13): at 120x40 CPU <= 35% of a core and peak RSS <= 130 MB, at 200x50 <= 50% and <= 150 MB; totals
// equal at every size; every key answered within 100 ms.
// TUI_BENCH_SECONDS (default 30), TUI_BENCH_RATE (events/s, default 20000), TUI_BENCH_SIZES ("120x40,200x50"),
// TUI_BENCH_ARGS (more tui flags, e.g. "--buffer 1000"), TUI_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateEvents, repoRoot } from "./lib/events.mjs";
import { startThrowawayServer } from "./lib/nats-server.mjs";
import { printTable } from "./lib/report.mjs";
import { TmuxControl } from "./lib/tmux-control.mjs";

const SUBJECTS = ["suricata.dns", "suricata.flow", "suricata.tls", "suricata.stats"];
/** Events spread over the four panes' subjects, with stats as frequent as the others so every pane has load. */
const MIX = { dns: 0.4, flow: 0.3, tls: 0.2, stats: 0.1, http: 0, alert: 0, fileinfo: 0, anomaly: 0, ssh: 0 };
const POOL = 50_000;
const TICK_MS = 10;

// ---------------------------------------------------------------------------------------------------------------
// Publisher mode: `node tui.bench.mjs --publish URL RATE SECONDS` paces events and prints per-subject counts.

if (process.argv[2] === "--publish") {
  const [url, rate, seconds] = [process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
  const { connect } = await import("@nats-io/transport-node");
  const { events } = await generateEvents(POOL, { mix: MIX });
  const nc = await connect({ servers: url, name: "tui bench publisher" });
  const counts = Object.fromEntries(SUBJECTS.map((s) => [s, 0]));
  const started = performance.now();
  let sent = 0;
  const total = Math.round(rate * seconds);
  while (sent < total) {
    // Catch up to where the clock says we should be: a steady rate, not bursts.
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; sent < due; sent++) {
      const e = events[sent % events.length];
      nc.publish(e.subject, e.payload);
      counts[e.subject]++;
    }
    await nc.flush();
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await nc.flush();
  await nc.close();
  process.stdout.write(JSON.stringify({ counts, sent, ms: performance.now() - started }) + "\n");
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------

const SECONDS = Number(process.env.TUI_BENCH_SECONDS ?? 30);
const RATE = Number(process.env.TUI_BENCH_RATE ?? 20_000);
const SIZES = (process.env.TUI_BENCH_SIZES ?? "120x40,200x50").split(",").map((s) => s.split("x").map(Number));
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
const cli = join(repoRoot, "bin", "nsm4home.js");
const self = fileURLToPath(import.meta.url);
const socket = `nsm4home-bench-${process.pid}`;

const tmux = (...args) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const capture = (session) => tmux("capture-pane", "-p", "-t", session);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForScreen(session, test, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = capture(session);
    if (test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`screen never matched; last:\n${screen}`);
    await sleep(20);
  }
}

function childOf(parent) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent) return Number(entry);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

function procSample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { at: performance.now(), cpuTicks: Number(fields[11]) + Number(fields[12]), rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

/** Pane totals as the titles show them: "1 suricata.dns 5.0k/s total 240,123". */
/** The status bar's `drops N`: what the dashboard shed to keep up (and says it did), 0 when not shown. */
function dropsOnScreen(screen) {
  const m = /drops ([\d,]+)/.exec(screen);
  return m ? Number(m[1].replace(/,/g, "")) : 0;
}

/** The difference between published and shown, and whether the status bar's drops account for it. */
function totalsVerdict(r) {
  if (SUBJECTS.every((s) => r.onScreen[s] === r.counts[s])) return `equal (${r.sent.toLocaleString("en-US")})`;
  const missing = SUBJECTS.reduce((sum, s) => sum + (r.counts[s] - (r.onScreen[s] ?? 0)), 0);
  const drops = dropsOnScreen(r.screen);
  return `DIFFER: ${missing.toLocaleString("en-US")} short, ${drops === missing ? "all" : drops.toLocaleString("en-US")} shown as drops`;
}

function totalsOnScreen(screen) {
  const out = {};
  for (const m of screen.matchAll(/\d (suricata\.\w+) \S+\/s total ([\d,]+)/g)) out[m[1]] = Number(m[2].replace(/,/g, ""));
  return out;
}

// The status bar (it starts with the server's URL) is the last line of a frame: with it on the bottom line, tmux
// holds the whole frame, not the first lines of one still arriving.
const wholeFrame = (screen) => screen.trimEnd().split("\n").pop().startsWith("nats://");
const zoomed = (screen) => wholeFrame(screen) && !screen.includes("suricata.flow") && screen.includes("suricata.dns");
const unzoomed = (screen) => wholeFrame(screen) && screen.includes("suricata.flow") && screen.includes("suricata.dns");

/** Sends z and times until the screen shows the zoom toggled. */
const keyLatency = (control, session, wantZoomed) => control.timeKey(session, "z", wantZoomed ? zoomed : unzoomed);

/** The harness on its own: a key typed at the shell's prompt until its echo shows (then erased). */
async function harnessLatency(control, session) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const before = (await control.capture(session)).trimEnd();
    times.push(await control.timeKey(session, "x", (s) => s.trimEnd() !== before && s.trimEnd().endsWith("x")));
    await control.command(`send-keys -t ${session} BSpace`);
    await sleep(50);
  }
  return times;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runAt(server, width, height) {
  const session = `tui-${width}x${height}`;
  const home = mkdtempSync(join(tmpdir(), "nsm4home-bench-home-"));
  let control;
  try {
    // A clean environment: no CI variable (ink renders differently under CI), no NATS settings or contexts.
    tmux("new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), "env", "-i", `PATH=${process.env.PATH}`, `HOME=${home}`, "TERM=screen", "sh");
    tmux("set-option", "-t", session, "window-size", "manual");
    tmux("resize-window", "-t", session, "-x", String(width), "-y", String(height));
    control = new TmuxControl(socket, session);
    await waitForScreen(session, (s) => s.trimEnd().length > 0);
    const harness = await harnessLatency(control, session);
    tmux("send-keys", "-t", session, "-l", `${process.execPath} ${process.env.TUI_BENCH_NODE_ARGS ?? ""} ${cli} --no-context tui --server ${server.url} ${process.env.TUI_BENCH_ARGS ?? ""}; echo TUI-EXIT=$?`);
    tmux("send-keys", "-t", session, "Enter");
    await waitForScreen(session, (s) => s.includes("waiting for suricata.dns"));
    const shell = Number(tmux("display-message", "-p", "-t", session, "#{pane_pid}").trim());
    const pid = childOf(shell);
    if (pid === undefined) throw new Error("the tui process was not found");

    const publisher = spawn(process.execPath, [self, "--publish", server.url, String(RATE), String(SECONDS)], { stdio: ["ignore", "pipe", "inherit"] });
    let published = "";
    publisher.stdout.on("data", (d) => (published += d));
    const publisherDone = new Promise((resolve) => publisher.on("exit", resolve));

    // Skip the first seconds (start-up, JIT) and the end, then sample every second.
    await sleep(Math.min(3000, SECONDS * 200));
    const samples = [procSample(pid)];
    const latencies = [];
    let wantZoomed = true;
    const loadEnds = performance.now() + SECONDS * 1000 - Math.min(3000, SECONDS * 200) - 1000;
    let nextKey = performance.now() + 500;
    while (performance.now() < loadEnds) {
      if (performance.now() >= nextKey) {
        latencies.push(await keyLatency(control, session, wantZoomed));
        wantZoomed = !wantZoomed;
        nextKey = performance.now() + 1500;
      }
      await sleep(100);
      if (performance.now() - samples[samples.length - 1].at >= 1000) samples.push(procSample(pid));
    }
    samples.push(procSample(pid));
    await publisherDone;
    const { counts, sent, ms } = JSON.parse(published);
    if (wantZoomed === false) await keyLatency(control, session, false);

    // The totals must reach exactly what was published (the last frame may be up to 100 ms behind).
    let screen = "";
    let onScreen = {};
    const deadline = Date.now() + 10_000;
    do {
      await sleep(200);
      screen = capture(session);
      onScreen = totalsOnScreen(screen);
    } while (Date.now() < deadline && SUBJECTS.some((s) => onScreen[s] !== counts[s]));

    const first = samples[0];
    const last = samples[samples.length - 1];
    const cpuPct = ((last.cpuTicks - first.cpuTicks) / CLK_TCK / ((last.at - first.at) / 1000)) * 100;
    const perSecondCpu = samples.slice(1).map((s, i) => ((s.cpuTicks - samples[i].cpuTicks) / CLK_TCK / ((s.at - samples[i].at) / 1000)) * 100);

    tmux("send-keys", "-t", session, "q");
    await waitForScreen(session, (s) => s.includes("TUI-EXIT=0"), 10_000);
    return {
      size: `${width}x${height}`,
      rate: (sent / ms) * 1000,
      sent,
      cpuPct,
      cpuMaxPct: Math.max(...perSecondCpu),
      rssMb: last.rssMb,
      hwmMb: last.hwmMb,
      counts,
      onScreen,
      latencies,
      harness,
      screen,
    };
  } finally {
    control?.close();
    try {
      tmux("kill-session", "-t", session);
    } catch {
      // ended with the tui
    }
    rmSync(home, { recursive: true, force: true });
  }
}

const server = await startThrowawayServer({ jetstream: false });
const results = [];
try {
  process.stdout.write(`nsm4home tui under ${RATE.toLocaleString("en-US")} events/s for ${SECONDS} s over ${SUBJECTS.join(", ")}; node ${process.version}\n`);
  for (const [w, h] of SIZES) {
    const r = await runAt(server, w, h);
    results.push(r);
    process.stdout.write(`\n${r.size}: last screen\n${r.screen.split("\n").slice(0, 3).join("\n")}\n…\n${r.screen.trimEnd().split("\n").pop()}\n`);
  }
} finally {
  try {
    execFileSync("tmux", ["-L", socket, "kill-server"], { stdio: "ignore" });
  } catch {
    // no sessions left
  }
  await server.stop();
}

process.stdout.write("\n");
printTable(
  results.map((r) => ({
    size: r.size,
    rate: `${Math.round(r.rate).toLocaleString("en-US")}/s`,
    cpu: `${r.cpuPct.toFixed(1)}%`,
    cpuMax: `${r.cpuMaxPct.toFixed(1)}%`,
    rss: `${r.rssMb.toFixed(0)} MB`,
    hwm: `${r.hwmMb.toFixed(0)} MB`,
    counts: totalsVerdict(r),
    keyMedian: `${percentile(r.latencies, 50).toFixed(0)} ms`,
    keyMax: `${Math.max(...r.latencies).toFixed(0)} ms`,
    keys: String(r.latencies.length),
    harness: `${percentile(r.harness, 50).toFixed(0)} ms`,
  })),
  [
    { key: "size", title: "terminal", align: "left" },
    { key: "rate", title: "published" },
    { key: "cpu", title: "CPU (1 core)" },
    { key: "cpuMax", title: "worst second" },
    { key: "rss", title: "RSS end" },
    { key: "hwm", title: "RSS peak" },
    { key: "counts", title: "totals on screen vs published" },
    { key: "keyMedian", title: "key median" },
    { key: "keyMax", title: "key max" },
    { key: "keys", title: "keys" },
    { key: "harness", title: "harness alone" },
  ],
);
for (const r of results) {
  for (const s of SUBJECTS) {
    if (r.onScreen[s] !== r.counts[s]) process.stdout.write(`${r.size} ${s}: published ${r.counts[s]}, screen says ${r.onScreen[s]}\n`);
  }
}
// Each size has its own CPU and memory bound; totals must be exact and keys quick at every size.
const BOUNDS = { "120x40": { cpuPct: 35, hwmMb: 130 }, "200x50": { cpuPct: 50, hwmMb: 150 } };
const KEY_MS = 100;
const verdicts = results.map((r) => {
  const bound = BOUNDS[r.size];
  const keyMs = Math.max(...r.latencies);
  const exactHere = SUBJECTS.every((s) => r.onScreen[s] === r.counts[s]);
  const parts = [
    bound ? `CPU ${r.cpuPct.toFixed(0)}% (<= ${bound.cpuPct}%)` : `CPU ${r.cpuPct.toFixed(0)}%`,
    bound ? `RSS peak ${r.hwmMb.toFixed(0)} MB (<= ${bound.hwmMb})` : `RSS peak ${r.hwmMb.toFixed(0)} MB`,
    `slowest key ${keyMs.toFixed(0)} ms (<= ${KEY_MS})`,
    `totals ${exactHere ? "equal" : "NOT equal"}`,
  ];
  const met = exactHere && keyMs <= KEY_MS && (!bound || (r.cpuPct <= bound.cpuPct && r.hwmMb <= bound.hwmMb));
  return { line: `${r.size}: ${parts.join(", ")}: ${met ? "met" : "NOT met"}`, met };
});
const ok = verdicts.every((v) => v.met);
process.stdout.write(`\ntargets:\n${verdicts.map((v) => `  ${v.line}`).join("\n")}\n`);
process.stdout.write(`all targets: ${ok ? "met" : "NOT met"}\n`);
