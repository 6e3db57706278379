// `stream` features that depend on the server's version, run on every server of the matrix (2.9.10 to 2.15):
// on a server that has the feature it is created and shown; on one that lacks it, the one-line refusal names
// the version it needs and nothing is created.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { natsServerVersion, serverAtLeast } from "../helpers/server-version.js";
import { cliFor, expectExit, parseJson } from "./jetstream-helpers.js";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(() => server.url);
});
afterAll(async () => {
  await server?.dispose();
});

const runs = () => natsServerVersion().replace(/\./g, "\\.");

describe(`stream add on nats-server ${natsServerVersion()}`, () => {
  it("stream metadata: kept on 2.10+, refused on 2.9 naming the version, creating nothing", async () => {
    const file = join(server.dir, "meta.json");
    writeFileSync(file, JSON.stringify({ name: "withmeta", subjects: ["withmeta.>"], metadata: { owner: "lab" } }));
    const r = await cli(["stream", "add", "--config", file]);
    if (serverAtLeast("2.10")) {
      expectExit(r, 0);
      const info = parseJson(await cli(["stream", "info", "withmeta", "--json"]));
      expect(info.config.metadata).toMatchObject({ owner: "lab" });
      return;
    }
    expectExit(r, 1);
    expect(r.stderr).toMatch(new RegExp(`^nsm4home: stream metadata \\(metadata\\) needs nats-server 2\\.10\\.0 or newer; the server at .* runs ${runs()}\\n$`));
    const missing = await cli(["stream", "info", "withmeta"]);
    expectExit(missing, 1);
    expect(missing.stderr).toBe("nsm4home: stream 'withmeta' not found (err_code 10059); 'nsm4home stream ls' lists the streams\n");
  });
});
