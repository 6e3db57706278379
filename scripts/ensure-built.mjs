// Makes a fresh checkout runnable: installs npm dependencies when node_modules is missing, and builds dist/
// when it is missing or older than src/. Used by `npm test`, `npm run demo` and `npm run bench`.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: ["ignore", process.stderr, process.stderr] });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureDependencies() {
  if (existsSync(join(root, "node_modules", ".package-lock.json"))) return;
  process.stderr.write("nsm4home: installing npm dependencies (node_modules is missing)\n");
  run("npm", [existsSync(join(root, "package-lock.json")) ? "ci" : "install", "--no-audit", "--no-fund"]);
}

export function ensureBuilt() {
  // bin/nsm4home.js runs the bundle, written after tsc's output: it is what must be newer than src/.
  const cli = join(root, "dist", "bundle", "cli.js");
  const sourcesChanged = Math.max(newestMtime(join(root, "src")), statSync(join(root, "tsconfig.json")).mtimeMs);
  if (existsSync(cli) && statSync(cli).mtimeMs >= sourcesChanged) return;
  process.stderr.write("nsm4home: building (tsc, then the bundle)\n");
  try {
    run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
  } catch {
    // tsc still emits JavaScript on type errors; `npm run typecheck` (run by CI first) is where they fail a build.
    if (!existsSync(join(root, "dist", "cli.js"))) throw new Error("build failed: dist/cli.js was not produced");
    process.stderr.write("nsm4home: tsc reported type errors (see above); continuing with the emitted build\n");
  }
  run(process.execPath, [join(root, "scripts", "bundle.mjs")]);
}

// Compared as paths: a file: URL escapes what a path holds as it is (a space in the clone's path, say).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  ensureDependencies();
  ensureBuilt();
}
