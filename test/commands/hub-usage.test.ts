// hub's names are checked before any connection: a bad one is a usage error (exit 2, one escaped line, nothing on
// stdout), the same for add-sensor and rm-sensor. No server is needed; the URL given would not answer.
import { describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";

const hostile = "ev\u001b]0;owned\u0007\u202eil";

describe("hub names", () => {
  const env = isolatedEnv();
  const cli = (args: string[]) => runCli(["-s", "nats://127.0.0.1:1", "--timeout", "1s", ...args], { env });

  for (const command of ["add-sensor", "rm-sensor"]) {
    for (const flag of ["--stream", "--sensor-stream"]) {
      it(`${command} ${flag}: exit 2, one escaped line naming the stream name`, async () => {
        const r = await cli(["hub", command, "garage", flag, hostile, ...(command === "rm-sensor" ? ["-f"] : [])]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toBe("nsm4home: invalid stream name 'ev\\x1B]0;owned\\x07\\u202Eil': use letters, digits, - and _, at most 255 characters (no whitespace, dots, *, >, slashes, control or invisible characters)\n");
      });
    }
  }
});
