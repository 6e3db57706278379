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
});

it("an unknown flag is a usage error: exit 2, one line", async () => {
  const r = await runCli(["--no-such-flag"]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain("--no-such-flag");
});
