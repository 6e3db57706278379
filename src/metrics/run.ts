// Runs `nsm4home metrics`: connect, check the stream, follow its stats subject from a little while back and the
// whole stream from now on (counting), refresh the stream figures on an interval, serve /metrics until told to stop.
import type { ConnectionFlags } from "../nats/connection/index.js";
import { RuntimeError } from "../errors.js";
import { serveMetrics, type ListenAddress } from "./http.js";
import { StreamMetrics } from "./stream-metrics.js";

export interface MetricsSettings {
  listen: ListenAddress;
  stream: string;
  /** Subject of Suricata's stats events. */
  statsSubject: string;
  /** How far back to look for each sensor's latest stats event at start. */
  statsLookbackMs: number;
  intervalMs: number;
  /** Status lines for stderr. */
  notify: (line: string) => void;
  /** Resolves when the command should stop (a signal). */
  stopped: Promise<void>;
}

export async function runMetrics(flags: ConnectionFlags, s: MetricsSettings): Promise<void> {
  const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
  const { openJetStreamManager, describeJetStreamError, apiErrorCode } = await import("../nats/jetstream.js");
  const { openEventSource } = await import("../nats/event-source/index.js");
  const resolved = resolveConnectionOptions(flags);
  const nc = await connectNats(resolved, { name: "nsm4home-metrics", onStatus: s.notify });
  let source: Awaited<ReturnType<typeof openEventSource>> | undefined;
  let traffic: Awaited<ReturnType<typeof openEventSource>> | undefined;
  let server: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const jsm = await openJetStreamManager(nc, resolved);
    let connected = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === "disconnect") connected = false;
        else if (status.type === "reconnect") connected = true;
      }
    })().catch(() => undefined);
    const metrics = new StreamMetrics(jsm, s.stream, () => connected && !nc.isClosed());
    try {
      await metrics.refresh();
    } catch (err) {
      if (apiErrorCode(err) === 10059) throw new RuntimeError(`stream ${s.stream} not found: name one with --stream (see 'nsm4home stream ls')`);
      throw describeJetStreamError(err, `reading stream ${s.stream}`);
    }
    // Before saying it serves: what arrives from then on is counted.
    try {
      // Counting only, from now on: bytes per event type and anything per sensor are not in the stream's bookkeeping.
      traffic = await openEventSource(nc, resolved, {
        subjects: metrics.subjectsToFollow(),
        start: { kind: "new" },
        follow: true,
        streamName: s.stream,
        onMessage: (m) => metrics.traffic.note(m.subject, m.data),
      });
      traffic.done.catch((err: unknown) => s.notify(`stopped counting events per type and sensor: ${(err as Error)?.message ?? String(err)}`));
    } catch (err) {
      s.notify(`no counts per event type and sensor: cannot follow stream ${s.stream} (${(err as Error)?.message ?? String(err)})`);
    }
    server = await serveMetrics(s.listen, () => metrics.render(), "--listen");
    s.notify(`serving metrics of stream ${s.stream} on ${server.url} (refreshed every ${Math.round(s.intervalMs / 100) / 10}s)`);
    try {
      source = await openEventSource(nc, resolved, {
        subjects: [s.statsSubject],
        start: { kind: "time", time: new Date(Date.now() - s.statsLookbackMs) },
        follow: true,
        streamName: s.stream,
        onMessage: (m) => metrics.noteStats(m.data, m.time),
      });
      source.done.catch((err: unknown) => s.notify(`stopped following ${s.statsSubject}: ${(err as Error)?.message ?? String(err)}`));
    } catch (err) {
      s.notify(`no Suricata stats per sensor: cannot follow ${s.statsSubject} (${(err as Error)?.message ?? String(err)})`);
    }
    let failing = false;
    // One round at a time: a round sent while the server was gone would otherwise fail after newer ones succeeded.
    let inFlight = false;
    const refresh = () => {
      if (inFlight) return;
      inFlight = true;
      metrics.refresh().then(
        () => {
          if (failing) s.notify(`stream ${s.stream} answers again`);
          failing = false;
        },
        (err: unknown) => {
          if (!failing) s.notify(`${describeJetStreamError(err, `refreshing stream ${s.stream}`).message}; serving the last figures meanwhile`);
          failing = true;
        },
      ).finally(() => {
        inFlight = false;
      });
    };
    timer = setInterval(refresh, s.intervalMs);
    await s.stopped;
  } finally {
    if (timer) clearInterval(timer);
    await source?.stop().catch(() => undefined);
    await traffic?.stop().catch(() => undefined);
    await server?.close();
    await nc.close().catch(() => undefined);
  }
}
