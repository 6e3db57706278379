// Shell completion as a user gets it: the bash script printed by `nsm4home completion bash`, sourced into a real
// bash, its function called with COMP_WORDS as bash would, against a real nats-server for stream and consumer names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { isolatedEnv, runCli, cliShellCommand } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { trackDir } from "../helpers/processes.js";

const run = promisify(execFile);
let server: NatsServer;
let env: NodeJS.ProcessEnv;
let script: string;

beforeAll(async () => {
  server = await startNatsServer();
  // `nsm4home` on PATH, as after npm i -g: the scripts call it by name.
  const bin = mkdtempSync(join(tmpdir(), "nsm4home-bin-"));
  trackDir(bin);
  writeFileSync(join(bin, "nsm4home"), `#!/bin/sh\nexec ${cliShellCommand} "$@"\n`);
  chmodSync(join(bin, "nsm4home"), 0o755);
  env = isolatedEnv({ PATH: `${bin}:${process.env.PATH}`, NATS_URL: server.url });
  const printed = await runCli(["completion", "bash"], { env });
  expect(printed.code, printed.stderr).toBe(0);
  script = join(env.HOME!, "nsm4home.bash");
  writeFileSync(script, printed.stdout);
  const cli = (...args: string[]) => runCli(["-s", server.url, ...args], { env });
  expect((await cli("stream", "add", "evts", "--subjects", "evts.>", "--defaults")).code).toBe(0);
  expect((await cli("stream", "add", "other", "--subjects", "other.>", "--defaults")).code).toBe(0);
  expect((await cli("consumer", "add", "evts", "alerts", "--defaults")).code).toBe(0);
  expect((await cli("context", "add", "pi", "-s", server.url)).code).toBe(0);
});

afterAll(async () => {
  await server?.dispose();
});

/** What bash offers after typing `line` (words split on spaces; a trailing space starts an empty word). */
async function complete(line: string): Promise<string[]> {
  const words = line.split(" ");
  const quoted = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(" ");
  const { stdout } = await run(
    "bash",
    ["--norc", "--noprofile", "-c", `source '${script}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _nsm4home_complete; printf '%s\\n' "\${COMPREPLY[@]}"`],
    { env, timeout: 20_000 },
  );
  return stdout.split("\n").filter((l) => l !== "").sort();
}

describe("completion bash", () => {
  it("registers the function and completes commands, subcommands and flags from the program", async () => {
    const { stdout } = await run("bash", ["--norc", "--noprofile", "-c", `source '${script}'; complete -p nsm4home`], { env });
    expect(stdout.trim()).toBe("complete -F _nsm4home_complete nsm4home");
    expect(await complete("nsm4home st")).toEqual(["stream"]);
    expect(await complete("nsm4home stream ")).toEqual(expect.arrayContaining(["add", "info", "ls", "rm", "view"]));
    expect(await complete("nsm4home stream add --st")).toEqual(["--storage"]);
    // Global flags are offered under a subcommand too.
    expect(await complete("nsm4home tail --cont")).toEqual(["--context"]);
  });

  it("completes flag values and event types", async () => {
    expect(await complete("nsm4home stream add --storage ")).toEqual(["file", "memory"]);
    expect(await complete("nsm4home tail --color a")).toEqual(["always", "auto"]);
    expect(await complete("nsm4home tail dns t")).toEqual(["tftp", "tls"]);
    expect(await complete("nsm4home completion ")).toEqual(["bash", "fish", "zsh"]);
    expect(await complete("nsm4home --context ")).toEqual(["pi"]);
    expect(await complete("nsm4home context validate ")).toEqual(["pi"]);
  });

  it("completes stream and consumer names from the server, and nothing (quickly) when none answers", async () => {
    expect(await complete("nsm4home stream info ")).toEqual(["evts", "other"]);
    expect(await complete("nsm4home stream info e")).toEqual(["evts"]);
    expect(await complete("nsm4home consumer info evts ")).toEqual(["alerts"]);
    expect(await complete("nsm4home tail --stream o")).toEqual(["other"]);
    const started = Date.now();
    expect(await complete("nsm4home -s nats://127.0.0.1:1 stream info ")).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("prints zsh and fish scripts that call the same engine; an unknown shell is a usage error", async () => {
    for (const shell of ["zsh", "fish"]) {
      const r = await runCli(["completion", shell], { env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("nsm4home __complete --");
    }
    const bad = await runCli(["completion", "tcsh"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("nsm4home: invalid shell 'tcsh': use bash, zsh or fish\n");
  });
});
