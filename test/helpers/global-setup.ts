// Runs once before the suite: the CLI tests execute bin/nsm4home.js, which needs dist/bundle/ (built by `npm test`'s
// pretest step); fail early with one line when someone runs vitest directly on a tree never built. Also removes
// the HOME dirs of earlier runs that ended before their cleanup (a killed worker, a run from before cleanup.ts).
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

/** Longer than any test file takes: a run in progress in another terminal keeps its own. */
const STALE_HOME_MS = 15 * 60_000;

function removeStaleHomes(now: number): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("nsm4home-home-")) continue;
    const dir = join(tmpdir(), name);
    try {
      if (now - statSync(dir).mtimeMs > STALE_HOME_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

export default function setup(): void {
  if (!existsSync(join(repoRoot, "dist", "bundle", "cli.js"))) {
    throw new Error("dist/bundle/cli.js is missing: run 'npm test' (it builds first) or 'npm run build'");
  }
  removeStaleHomes(Date.now());
}
