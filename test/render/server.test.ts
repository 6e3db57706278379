// `server info --monitor` pointed at a NATS client port: the answer is NATS INFO, not HTTP (QA F13).
import { afterAll, beforeAll, expect, it } from "vitest";
import { fetchVarz } from "../../src/nats/server-info.js";
import { RuntimeError } from "../../src/errors.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  await server?.dispose();
});

it("says the port does not speak HTTP instead of llhttp's HPE_ code", async () => {
  const port = new URL(server.url).port;
  const err = await fetchVarz(`http://127.0.0.1:${port}`, 3000).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RuntimeError);
  expect((err as Error).message).toContain(`cannot read http://127.0.0.1:${port}/varz: that port does not speak HTTP (a NATS client port?)`);
  expect((err as Error).message).not.toContain("HPE_");
});
