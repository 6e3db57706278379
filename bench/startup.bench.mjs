// Cold start: `nsm4home --version` and `--help` against `node -e 0` (median of interleaved runs; goal: at most
// 60 ms more), and a check that neither loads NATS, Ink, React or Redis code, and that `tail` loads no Ink or React.
// Wall time is the goal; on a shared machine it swings with other load, so the CPU each process spent (its own
// process.cpuUsage() at exit, through a preload that node -e 0 gets too) and the fastest run are printed beside it.
// Run: `npm run bench -- startup` (or `node bench/startup.bench.mjs` after `npm run build`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleMetaPath, sourcesBehind } from "../scripts/bundle-meta.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "nsm4home.js");
const RUNS = Number(process.env.STARTUP_RUNS ?? 20);
const GOAL_MS = 60;
const FORBIDDEN = /node_modules\/(@nats-io|ink|react|react-reconciler|ioredis|yoga-layout)\//;

if (!existsSync(bundleMetaPath(root))) {
  console.error("dist/bundle is missing: run 'npm run build' first (npm run bench does it)");
  process.exit(1);
}
// The CLI runs bundled (scripts/bundle.mjs): a loaded bundle file stands for the sources esbuild put in it.
const sourcesOf = sourcesBehind(root);

// An --import preload that records every module the process loads: ESM through a resolve hook (which runs on the
// hooks thread, hence the file), CommonJS from require.cache at exit.
const HOOKS = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.NSM4HOME_MODULE_LOG, r.url + "\\n");
  return r;
}`;
const PRELOAD = `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(HOOKS)}));
process.on("exit", () => {
  const cache = createRequire("/").cache;
  appendFileSync(process.env.NSM4HOME_MODULE_LOG, Object.keys(cache).join("\\n") + "\\n");
});`;

/** Every module file `node bin/nsm4home.js ...args` loads (bundle files as the sources they hold), whatever its exit code. */
export function loadedModules(args) {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-modules-"));
  const log = join(dir, "modules.log");
  try {
    const r = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(PRELOAD)}`, cli, ...args], {
      env: { ...process.env, NSM4HOME_MODULE_LOG: log },
      encoding: "utf8",
    });
    if (r.error) throw r.error;
    const loaded = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "") : [];
    return [...new Set(loaded.flatMap(sourcesOf))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Prints the process's CPU time at exit on fd 3, so it is measured the same way for node -e 0 and for us.
const CPU_PRELOAD = `data:text/javascript,${encodeURIComponent(
  `import { writeSync } from "node:fs"; process.on("exit", () => { const u = process.cpuUsage(); try { writeSync(3, String((u.user + u.system) / 1000)); } catch {} });`,
)}`;

function timeOnce(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", CPU_PRELOAD, ...args], { stdio: ["ignore", "ignore", "inherit", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}`);
  return { ms, cpuMs: Number(r.output[3]?.toString() ?? "NaN") };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main() {
  const cases = {
    "node -e 0": ["-e", "0"],
    "nsm4home --version": [cli, "--version"],
    "nsm4home --help": [cli, "--help"],
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // Warm the file cache once, then interleave so drift (CPU frequency, other load) hits every case alike.
  for (const args of Object.values(cases)) timeOnce(args);
  for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) samples[name].push(timeOnce(args));

  const figures = (xs) => ({ wall: median(xs.map((x) => x.ms)), fastest: Math.min(...xs.map((x) => x.ms)), cpu: median(xs.map((x) => x.cpuMs)) });
  const base = figures(samples["node -e 0"]);
  let failed = false;
  console.log(`startup, median of ${RUNS} interleaved runs (goal: at most ${GOAL_MS} ms more than node -e 0)`);
  for (const [name, xs] of Object.entries(samples)) {
    const f = figures(xs);
    const extra = f.wall - base.wall;
    const verdict = name === "node -e 0" ? "" : extra <= GOAL_MS ? "  ok" : "  OVER GOAL";
    if (verdict.includes("OVER")) failed = true;
    const diff = (v, b) => (name === "node -e 0" ? "" : ` (+${(v - b).toFixed(1)})`);
    console.log(
      `  ${name.padEnd(20)} wall ${f.wall.toFixed(1).padStart(7)} ms${diff(f.wall, base.wall)}  fastest ${f.fastest.toFixed(1)} ms${diff(f.fastest, base.fastest)}  CPU ${f.cpu.toFixed(1)} ms${diff(f.cpu, base.cpu)}${verdict}`,
    );
  }

  for (const args of [["--version"], ["--help"]]) {
    const modules = loadedModules(args);
    const bad = modules.filter((m) => FORBIDDEN.test(m));
    const ours = modules.filter((m) => m.includes("/dist/")).length;
    if (bad.length > 0) {
      failed = true;
      console.log(`  nsm4home ${args[0]} loads forbidden modules:\n    ${bad.join("\n    ")}`);
    } else {
      console.log(`  nsm4home ${args[0]}: ${modules.length} modules (${ours} of ours), no NATS, Ink, React or Redis`);
    }
  }
  // tail against a port nobody listens on: what it loads before it connects is what it loads.
  const tailModules = loadedModules(["-s", "nats://127.0.0.1:1", "--no-context", "tail", "--timeout", "1s"]);
  const ui = tailModules.filter((m) => /node_modules\/(ink|react|react-reconciler|yoga-layout)\//.test(m));
  if (ui.length > 0) {
    failed = true;
    console.log(`  nsm4home tail loads Ink or React:\n    ${ui.join("\n    ")}`);
  } else {
    console.log(`  nsm4home tail: ${tailModules.length} modules, no Ink or React`);
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
