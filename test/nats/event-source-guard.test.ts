// One event the consumer cannot handle costs that event (said through onStatus), never the subscription.
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectNats, resolveConnectionOptions } from "../../src/nats/connection/index.js";
import { openEventSource } from "../../src/nats/event-source/index.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  await server?.dispose();
});

it("keeps a live subscription going after onMessage throws", async () => {
  const resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
  const nc = await connectNats(resolved, { onStatus: null });
  const status: string[] = [];
  const seen: string[] = [];
  try {
    const source = await openEventSource(nc, resolved, {
      subjects: ["guard.>"],
      follow: true,
      onStatus: (line) => status.push(line),
      onMessage: (m) => {
        const text = new TextDecoder().decode(m.data);
        if (text === "poison") throw new RangeError("Maximum call stack size exceeded");
        seen.push(text);
      },
    });
    for (const text of ["one", "poison", "two"]) nc.publish("guard.x", text);
    await nc.flush();
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(["one", "two"]);
    expect(status.join("\n")).toMatch(/could not show an event \(guard\.x\): Maximum call stack size exceeded; 1 so far/);
    await source.stop();
  } finally {
    await nc.close();
  }
});
