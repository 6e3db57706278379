// The typo checks as a user meets them: a usage error (exit 2) before any connection, and --filter-unsafe past it.
import { describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";

// Nothing listens on port 1: a filter that passes the checks fails later, connecting (exit 1).
const NO_SERVER = ["--server", "nats://127.0.0.1:1", "--timeout", "500ms"];

describe("tail --filter typos", () => {
  it("exits 2 naming the column and the fix, with nothing on stdout", async () => {
    const r = await runCli(["tail", "dns", ...NO_SERVER, "--filter", "dns.type = 'query'"], { env: isolatedEnv() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe(
      "nsm4home: invalid --filter 'dns.type = 'query'': at column 10, '=' is not a comparison (it binds a variable): write '==' to compare (--filter-unsafe runs it as written)",
    );
    const bare = await runCli(["tail", "dns", ...NO_SERVER, "--filter", "dns.type == query"], { env: isolatedEnv() });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("at column 13, query unquoted is a field name");
  });

  it("lets --filter-unsafe through to the connection", async () => {
    const r = await runCli(["tail", "dns", ...NO_SERVER, "--filter", "dns.type = 'query'", "--filter-unsafe"], { env: isolatedEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("invalid --filter");
  });
});
