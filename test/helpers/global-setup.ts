// Runs once before the suite: the CLI tests execute bin/nsm4home.js, which needs dist/ (built by `npm test`'s
// pretest step); fail early with one line when someone runs vitest directly on a tree never built.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

export default function setup(): void {
  if (!existsSync(join(repoRoot, "dist", "cli.js"))) {
    throw new Error("dist/cli.js is missing: run 'npm test' (it builds first) or 'npm run build'");
  }
}
