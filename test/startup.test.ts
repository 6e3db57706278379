// Cold start is a correctness property, not only a timing: `--version`, `--help` and the commands that need no
// server must not load NATS, Ink, React or Redis code. Checked by recording every module the real CLI loads.
// (bench/startup.bench.mjs measures the time.)
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cliPath, isolatedEnv, repoRoot } from "./helpers/cli.js";
import { trackDir } from "./helpers/processes.js";
import { sourcesBehind } from "../scripts/bundle-meta.mjs";

const FORBIDDEN = /node_modules\/(@nats-io|ink|react|react-reconciler|ioredis|yoga-layout)\//;

/**
 * Every module (ESM via a resolve hook, CommonJS via require.cache at exit) `nsm4home ...args` loads; a file of the
 * bundle the CLI runs counts as the sources it holds.
 */
function loadedModules(args: string[]): { modules: string[]; code: number | null } {
  const dir = mkdtempSync(join(tmpdir(), "nsm4home-modules-"));
  trackDir(dir);
  const log = join(dir, "modules.log");
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + "\\n");
  return r;
}\n`,
  );
  writeFileSync(
    join(dir, "preload.mjs"),
    `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});
process.on("exit", () => appendFileSync(${JSON.stringify(log)}, Object.keys(createRequire("/").cache).join("\\n") + "\\n"));\n`,
  );
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(join(dir, "preload.mjs")).href, cliPath, ...args], {
    env: isolatedEnv(),
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 30_000,
  });
  const loaded = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "") : [];
  const sourcesOf = sourcesBehind(repoRoot);
  const modules = [...new Set(loaded.flatMap(sourcesOf))];
  return { modules, code: r.status };
}

describe("cold start loads no NATS, Ink, React or Redis code", () => {
  it.each([
    [["--version"]],
    [["-v"]],
    [["--help"]],
    [["help"]],
    [["server", "--help"]],
    [["context", "--help"]],
    [["tui", "--help"]],
    [["ingest", "--help"]],
    [["context", "ls"]],
    [["context", "info"]],
  ])("nsm4home %j", (args) => {
    const { modules, code } = loadedModules(args);
    expect(code).toBe(0);
    expect(modules.some((m) => m.endsWith("/dist/cli.js"))).toBe(true);
    expect(modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
  });

  it("would see them if they were loaded (the check is not blind)", () => {
    const { modules, code } = loadedModules(["server", "info", "-s", "nats://127.0.0.1:1"]);
    expect(code).toBe(1);
    expect(modules.some((m) => /node_modules\/@nats-io\/transport-node\//.test(m))).toBe(true);
  });
});
