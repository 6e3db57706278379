// A Redis URL given to --from may carry a password: no message may echo it, whether or not the URL parses.
import { describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";

describe("ingest --from with credentials in a URL that does not parse", () => {
  it("masks the password in every usage error", async () => {
    const env = isolatedEnv();
    const urls = [
      "redis://u:RSX1@127.0.0.1:notaport/k",
      "redis://u:RSX1@[::1/k",
      "rdis://u:RSX1@127.0.0.1/k",
      "redis-stram://u:RSX1@127.0.0.1/k",
      "redis:/u:RSX1@127.0.0.1/k",
      "redis://u:RSX1@127.0.0.1:6379/k?db=x",
    ];
    const results = await Promise.all(urls.map((url) => runCli(["ingest", "--from", url, "--once", "-s", "nats://127.0.0.1:1"], { env })));
    for (const [i, r] of results.entries()) {
      expect(r.code, urls[i]).toBe(2);
      expect(r.stderr).toMatch(/^nsm4home: invalid --from '[^']*\*\*\*@/);
      expect(r.stderr + r.stdout).not.toContain("RSX1");
    }
  });
});
