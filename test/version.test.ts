import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { VERSION } from "../src/version.js";
import { runCli } from "./helpers/cli.js";

it("--version prints package.json's version", async () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  expect(VERSION).toBe(pkg.version);
  const r = await runCli(["--version"]);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe(pkg.version);
  for (const flag of ["-V", "-v"]) {
    const short = await runCli([flag]);
    expect(short.code, flag).toBe(0);
    expect(short.stdout, flag).toBe(`${pkg.version}\n`);
    expect(short.stderr, flag).toBe("");
  }
});

it("no option's help text says its default twice (the description and commander's own '(default: ...)')", async () => {
  const { buildProgram } = await import("../src/program.js");
  const doubled: string[] = [];
  const walk = (cmd: import("commander").Command, path: string) => {
    for (const opt of cmd.options) {
      if (opt.defaultValue !== undefined && /\(default\b/.test(opt.description)) doubled.push(`${path} ${opt.flags}`);
    }
    for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`);
  };
  walk(buildProgram(), "nsm4home");
  expect(doubled).toEqual([]);
});

it("an unknown flag is a usage error: exit 2, one line", async () => {
  const r = await runCli(["--no-such-flag"]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain("--no-such-flag");
});
