// The npm package as `npm pack` builds it: the bundled build (dist/bundle/), the launcher, the licence and a sample
// eve.json; no sources, tests or source maps, and no script that would run (or compile) at install time.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";

it("packs dist/bundle, bin, LICENSE and samples, without sources or install-time scripts", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  for (const needed of ["LICENSE", "README.md", "package.json", "bin/nsm4home.js", "dist/bundle/cli.js", "samples/eve.json", "samples/README.md"]) {
    expect(files, needed).toContain(needed);
  }
  expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith(".map") || f.endsWith(".ts"))).toEqual([]);
  // What the launcher runs, and nothing the bundle already holds (tsc's per-module output, the bundle's metafile).
  expect(files.filter((f) => f.startsWith("dist/") && !f.startsWith("dist/bundle/"))).toEqual([]);
  expect(files).not.toContain("dist/bundle/meta.json");

  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { license: string; scripts: Record<string, string> };
  // prepare/install scripts compile again after `npm ci` and warn on install; the tarball is already built.
  for (const hook of ["prepare", "preinstall", "install", "postinstall"]) expect(pkg.scripts, hook).not.toHaveProperty(hook);
  expect(pkg.scripts.prepack).toMatch(/tsc.*bundle/);
  expect(pkg.license).toBe("MIT");
  expect(readFileSync(join(repoRoot, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
});

it("ships a real eve.json whose every line is an event", () => {
  const lines = readFileSync(join(repoRoot, "samples", "eve.json"), "utf8").trimEnd().split("\n");
  expect(lines.length).toBeGreaterThan(100);
  const types = new Set(lines.map((l) => (JSON.parse(l) as { event_type: string }).event_type));
  expect([...types].sort()).toEqual(["alert", "dns", "fileinfo", "flow", "http", "stats"]);
});
