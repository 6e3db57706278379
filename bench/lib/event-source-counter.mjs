// Counts what the project's event source (dist/nats/event-source/index.js) delivers: replay from the start of the
// stream without follow, or live; prints {"elapsedMs"} from opening the source to its end.
// usage: node event-source-counter.mjs <url> <subject,...> <all|live> [batch]
import { importDist } from "./events.mjs";

const [url, subjects, mode, batch] = process.argv.slice(2);
const { resolveConnectionOptions, connectNats } = await importDist("nats/connection/index.js");
const { openEventSource } = await importDist("nats/event-source/index.js");
const resolved = resolveConnectionOptions({ server: url, context: false }, {});
const nc = await connectNats(resolved, { onStatus: null });
let received = 0;
// Timed from here, so process start-up and connecting do not count (ordered-consumer.mjs does the same).
const started = performance.now();
const source = await openEventSource(nc, resolved, {
  subjects: subjects.split(","),
  ...(mode === "all" ? { start: { kind: "all" }, follow: false } : {}),
  ...(batch ? { batch: Number(batch) } : {}),
  onMessage: () => {
    received++;
  },
});
await source.done;
process.stderr.write(`received ${received}\n${JSON.stringify({ elapsedMs: performance.now() - started })}\n`);
await nc.close();
