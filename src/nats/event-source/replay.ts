// Replay: ordered pull consumers we drive ourselves, so that pulling stops while the output is backed up.
import type { NatsConnection } from "@nats-io/nats-core";
import type { ResolvedConnection } from "../connection/index.js";
import { describeJetStreamError, openJetStreamManager, serverVersion, versionAtLeast } from "../jetstream.js";
import type { ReplayContext } from "./consumer-config.js";
import { ReplayRunner } from "./merge.js";
import { OrderedReader } from "./ordered-reader.js";
import { findStreamFor, planReplay } from "./plan.js";
import type { EventSource, EventSourceOptions, ReplayStart } from "./types.js";

const DEFAULT_BATCH = 2000;

export async function openReplaySource(
  nc: NatsConnection,
  resolved: ResolvedConnection,
  subjects: string[],
  start: ReplayStart,
  options: EventSourceOptions,
): Promise<EventSource> {
  const core = await import("@nats-io/nats-core");
  const jsm = await openJetStreamManager(nc, resolved);
  const stream = options.streamName ?? (await findStreamFor(jsm, subjects));
  let info;
  try {
    info = await jsm.streams.info(stream);
  } catch (err) {
    throw describeJetStreamError(err, `stream ${stream}`);
  }
  const batch = Math.max(1, options.batch ?? DEFAULT_BATCH);
  const ctx: ReplayContext = {
    nc,
    jsm,
    stream,
    // The manager's own prefix: pulls must go where it created the consumers (a domain wins over an API prefix).
    prefix: jsm.getOptions().apiPrefix!,
    inboxPrefix: resolved.inboxPrefix ?? "_INBOX",
    batch,
    nanos: core.nanos,
    createInbox: core.createInbox,
    streamCreated: info.created,
    headers: options.headers === true,
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
  };
  const follow = options.follow !== false;
  const lastSeqAtStart = info.state.last_seq;
  const endSeq = follow ? undefined : lastSeqAtStart;

  const plan = await planReplay(ctx, subjects, start, info, versionAtLeast(serverVersion(nc), "2.10.0"));
  const runner = new ReplayRunner(stream, options, endSeq, batch, lastSeqAtStart);
  runner.skip = plan.skip;
  runner.readers = plan.readers.map((p) => new OrderedReader(ctx, p.filter, p.start, runner));

  try {
    for (const r of runner.readers) await r.open();
  } catch (err) {
    await runner.stop();
    throw describeJetStreamError(err, `reading stream ${stream}`);
  }

  // After a reconnect the server may have restarted and lost our in-memory consumers: recreate them.
  const statuses = nc.status()[Symbol.asyncIterator]();
  void (async () => {
    for (let s = await statuses.next(); !s.done; s = await statuses.next()) {
      if (s.value.type === "reconnect") for (const r of runner.readers) void r.reset("reconnected");
    }
  })().catch(() => undefined);
  nc.closed().then(
    () => void runner.stop(),
    (err) => runner.fail(err),
  );
  runner.done.promise.finally(() => void statuses.return?.()).catch(() => undefined);

  return {
    mode: "replay",
    streamName: stream,
    replayEndSeq: lastSeqAtStart,
    ...(endSeq !== undefined ? { endSeq } : {}),
    done: runner.done.promise,
    stop: () => runner.stop(),
    counts: () => ({ received: runner.received, dropped: 0, removed: runner.removedCount }),
  };
}
