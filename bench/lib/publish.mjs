// Publishes prepared payloads as fast as one client can, flushing now and then so the socket buffer stays bounded.
import { connect } from "@nats-io/transport-node";

/**
 * Publishes every { subject, payload } once; returns { ms, rate }. With `jetstream`, waits for the stream to
 * hold them all (core publish into a stream, then a check of the stream's message count).
 */
export async function publishEvents(url, events, { flushEvery = 2000 } = {}) {
  const nc = await connect({ servers: url, name: "bench publisher" });
  const started = performance.now();
  for (let i = 0; i < events.length; i++) {
    nc.publish(events[i].subject, events[i].payload);
    if (i % flushEvery === flushEvery - 1) await nc.flush();
  }
  await nc.flush();
  const ms = performance.now() - started;
  await nc.close();
  return { ms, rate: (events.length / ms) * 1000 };
}

/** Creates (or replaces) a file stream and waits until it holds `expect` messages after `fill()`. */
export async function withStream(url, config) {
  const { jetstreamManager } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(config.name).catch(() => undefined);
  await jsm.streams.add({ storage: "file", retention: "limits", ...config });
  return {
    async waitForMessages(expect, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await jsm.streams.info(config.name);
        if (info.state.messages >= expect) return info;
        if (Date.now() > deadline) throw new Error(`stream ${config.name} holds ${info.state.messages} of ${expect} messages`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Resolves once the stream has a consumer: a reader of only new messages misses what is stored before it. */
    async waitForConsumer(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await jsm.streams.info(config.name);
        if (info.state.consumer_count > 0) return;
        if (Date.now() > deadline) throw new Error(`stream ${config.name} has no consumer after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Deletes the stream and closes the connection. */
    async remove() {
      await jsm.streams.delete(config.name).catch(() => undefined);
      await nc.close();
    },
    close: () => nc.close(),
  };
}
