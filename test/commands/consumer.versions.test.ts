// `consumer` features that depend on the server's version, run on every server of the matrix (2.9.10 to 2.15):
// on a server that has the feature it is created and shown; on one that lacks it, the one-line refusal names
// the version it needs and nothing is created.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { natsServerVersion, serverAtLeast } from "../helpers/server-version.js";
import { cliFor, expectExit, parseJson, publishEvents } from "./jetstream-helpers.js";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(() => server.url);
  expectExit(await cli(["stream", "add", "ev", "--subjects", "ev.>", "--defaults"]), 0);
  await publishEvents(server.url, "ev", 30);
});
afterAll(async () => {
  await server?.dispose();
});

const runs = () => natsServerVersion().replace(/\./g, "\\.");

describe(`consumer add on nats-server ${natsServerVersion()}`, () => {
  it("several --filter subjects: one consumer with filter_subjects on 2.10+, refused on 2.9 creating nothing", async () => {
    const r = await cli(["consumer", "add", "ev", "multi", "--filter", "ev.dns", "--filter", "ev.tls", "--defaults", "--json"]);
    if (serverAtLeast("2.10")) {
      const ci = parseJson(r);
      expect(ci.config.filter_subjects).toEqual(["ev.dns", "ev.tls"]);
      expect(ci.config.filter_subject ?? "").toBe("");
      // 30 events cycling dns, flow, tls: 10 of each
      expect(ci.num_pending).toBe(20);
      return;
    }
    expectExit(r, 1);
    expect(r.stderr).toMatch(new RegExp(`^nsm4home: several --filter subjects \\(filter_subjects: ev\\.dns, ev\\.tls\\) needs nats-server 2\\.10\\.0 or newer; the server at .* runs ${runs()}\\n$`));
    const info = await cli(["consumer", "info", "ev", "multi"]);
    expectExit(info, 1);
    expect(info.stderr).toBe("nsm4home: consumer 'multi' not found on stream 'ev' (err_code 10014); 'nsm4home consumer ls ev' lists them\n");
  });
});
