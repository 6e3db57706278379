// Several subjects through the event source on every server of the matrix: one consumer with filter_subjects on
// 2.10+, one consumer per subject merged back into stream order on 2.9; the same messages in the same order on both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connectNats, resolveConnectionOptions, type ResolvedConnection } from "../../src/nats/connection/index.js";
import { openEventSource, type SourceMessage } from "../../src/nats/event-source/index.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { natsServerVersion, serverAtLeast } from "../helpers/server-version.js";
import { cliFor, expectExit, publishEvents } from "../commands/jetstream-helpers.js";

let server: NatsServer;
let resolved: ResolvedConnection;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  expectExit(await cliFor(server.url)(["stream", "add", "ev", "--subjects", "ev.>", "--defaults"]), 0);
  // 30 events cycling dns, flow, tls: sequences 1..30
  await publishEvents(server.url, "ev", 30);
  resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
  nc = await connectNats(resolved, { onStatus: null });
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

async function consumersOf(stream: string) {
  const { jetstreamManager } = await import("@nats-io/jetstream");
  const jsm = await jetstreamManager(nc);
  const out = [];
  for await (const ci of jsm.consumers.list(stream)) out.push(ci);
  return out;
}

describe(`several subjects on nats-server ${natsServerVersion()}`, () => {
  it("one consumer with filter_subjects on 2.10+, one per subject on 2.9; stream order either way", async () => {
    const seen: SourceMessage[] = [];
    const source = await openEventSource(nc, resolved, {
      subjects: ["ev.dns", "ev.tls"],
      start: { kind: "all" },
      follow: true,
      onMessage: (m) => seen.push({ subject: m.subject, data: m.data.slice(), ...(m.seq !== undefined ? { seq: m.seq } : {}) }),
    });
    try {
      const deadline = Date.now() + 15_000;
      while (seen.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const consumers = await consumersOf("ev");
      if (serverAtLeast("2.10")) {
        expect(consumers).toHaveLength(1);
        expect(consumers[0]!.config.filter_subjects).toEqual(["ev.dns", "ev.tls"]);
      } else {
        expect(consumers.map((c) => c.config.filter_subject).sort()).toEqual(["ev.dns", "ev.tls"]);
      }
    } finally {
      await source.stop();
    }
    expect(seen.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1).filter((seq) => (seq - 1) % 3 !== 1));
    expect(new Set(seen.map((m) => m.subject))).toEqual(new Set(["ev.dns", "ev.tls"]));
  });

  it("--last 5 over two subjects: the last five of both, in stream order", async () => {
    const seen: number[] = [];
    const source = await openEventSource(nc, resolved, {
      subjects: ["ev.dns", "ev.tls"],
      start: { kind: "last", count: 5 },
      follow: false,
      onMessage: (m) => seen.push(m.seq!),
    });
    await source.done;
    // dns at 1,4,..,28 and tls at 3,6,..,30: the last five are 24, 25, 27, 28, 30
    expect(seen).toEqual([24, 25, 27, 28, 30]);
  });
});
