// `nsm4home demo` with its dashboard, in a real terminal (tmux at 120x40) and stderr redirected to a file, as a user
// runs it: every way out (q, SIGTERM, the terminal going away) leaves only the summary line on stderr (no terminal
// sequences, no Node abort), and no nats-server or temp dir behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliPath, isolatedEnv, repoRoot, cliShellCommand, shellQuote } from "../helpers/cli.js";
import { trackDir } from "../helpers/processes.js";
import { hasTmux, TmuxSession } from "../tui/tmux.js";

const sessions: TmuxSession[] = [];
afterAll(() => {
  for (const s of sessions) s.kill();
  TmuxSession.killServer();
});

// The summary, then only the closing "next, on your own NATS server" lines (demoNextSteps).
const SUMMARY = /^nsm4home: demo: published [\d,]+ events; stopped nats-server and removed (\/\S+)\nnsm4home: demo: next, on your own NATS server:\n(  nsm4home .*\n)+$/;

function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The pid of the process whose command line holds `arg` (each test passes its own --seed). */
function pidWithArg(arg: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (argv[1] === cliPath && argv.includes(arg)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

function childrenOf(parent: number): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e) && Number(stat(Number(e))?.[1]) === parent)
    .map(Number);
}

/** Running: it exists and is not a zombie waiting to be reaped by whoever inherited it. */
const running = (pid: number) => {
  const s = stat(pid);
  return s !== undefined && s[0] !== "Z";
};

async function waitUntil<T>(get: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Each run of the server matrix runs this file at the same time: seeds apart per process, so pidWithArg finds ours.
let seed = 7100 + (process.pid % 10_000) * 100;

/**
 * Starts the demo in tmux, stderr to a file in `dir` unless `stderrToo` (then stderr is the terminal as well);
 * `wrap` makes the line the pane's shell runs of it. Returns the demo's pid, its server's pid and temp dir.
 */
async function startDemo(wrap: (demo: string, dir: string) => string, stderrToo = false) {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-demo-tui-"));
  trackDir(dir);
  const seedArg = String(++seed);
  const t = new TmuxSession("demo");
  sessions.push(t);
  const env = isolatedEnv();
  t.start(120, 40, { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME!, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME! });
  t.run(`cd ${shellQuote(repoRoot)}`);
  t.run(wrap(`${cliShellCommand} demo --seed ${seedArg}${stderrToo ? "" : ` 2>${dir}/err`}`, dir));
  await t.waitFor((s) => /1 suricata\.dns \d+\/s total [1-9]/.test(s), 20_000, "the dashboard with events");
  const node = await waitUntil(() => pidWithArg(seedArg), 5000, "the demo's pid");
  const [server, config] = childrenOf(node)
    .map((pid) => [pid, readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")] as const)
    .find(([, argv]) => argv[0]!.endsWith("nats-server"))!;
  expect(config).toContain("-c");
  return { t, dir, node, server, serverDir: dirname(config[config.indexOf("-c") + 1]!) };
}

/** What every way out leaves: the summary line alone on stderr (if in a file), no temp dir, no server. */
async function expectCleanExit(d: { dir: string; server: number; serverDir: string }, stderrToo = false): Promise<void> {
  if (!stderrToo) {
    const err = readFileSync(`${d.dir}/err`, "utf8");
    expect(err).toMatch(SUMMARY);
    expect(SUMMARY.exec(err)![1]).toBe(d.serverDir);
  }
  await waitUntil(() => !running(d.server) && !existsSync(d.serverDir), 5000, `nats-server ${d.server} stopped, ${d.serverDir} removed`);
}

/** The exit status the wrapping shell wrote. */
const status = (dir: string) => waitUntil(() => existsSync(`${dir}/status`) && readFileSync(`${dir}/status`, "utf8"), 10_000, "the exit status");

// The shell that records the exit status ignores the hangup; the demo does not (Node resets signal handling).
const outlivingTheTerminal = (demo: string, dir: string) => `sh -c ${shellQuote(`trap "" HUP; ${demo}; echo $? >${dir}/status`)}`;

describe.skipIf(!hasTmux())("nsm4home demo in a terminal", () => {
  it("q: the summary line and nothing else on stderr, the server and its dir gone", async () => {
    const demo = await startDemo((line) => `${line}; echo "DEMO-EXIT=$?"`);
    demo.t.send("q");
    await demo.t.waitForText("DEMO-EXIT=0");
    expect(demo.t.alternateOn()).toBe(false);
    await expectCleanExit(demo);
  });

  it("SIGTERM: the same, with exit status 143", async () => {
    const demo = await startDemo((line) => `${line}; echo "DEMO-EXIT=$?"`);
    process.kill(demo.node, "SIGTERM");
    await demo.t.waitForText("DEMO-EXIT=143");
    expect(demo.t.alternateOn()).toBe(false);
    await expectCleanExit(demo);
  });

  it("the terminal goes away (tmux kill-session): the same, with exit status 129 and no Node abort", async () => {
    const demo = await startDemo(outlivingTheTerminal);
    demo.t.kill();
    expect(await status(demo.dir), readFileSync(`${demo.dir}/err`, "utf8")).toBe("129\n");
    await expectCleanExit(demo);
  });

  it("the terminal goes away with stderr on it too: exit status 129, nothing left behind", async () => {
    const demo = await startDemo(outlivingTheTerminal, true);
    demo.t.kill();
    expect(await status(demo.dir)).toBe("129\n");
    await expectCleanExit(demo, true);
  });
});
