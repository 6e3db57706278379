// The baseline for replay: nats.js's own ordered consumer with its default batch (consume() without options),
// counting N messages from the start of a stream; prints {"elapsedMs"} from opening the consumer to the last message.
// usage: node ordered-consumer.mjs <url> <stream> <N>
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const [url, stream, wanted] = process.argv.slice(2);
const n = Number(wanted);
const nc = await connect({ servers: url, name: "bench ordered consumer" });
const js = jetstream(nc);
// Timed from here, so process start-up and connecting do not count (event-source-counter.mjs does the same).
const started = performance.now();
const consumer = await js.consumers.get(stream);
let received = 0;
if (n === 0) {
  await nc.close();
  process.exit(0);
}
const messages = await consumer.consume({
  callback: () => {
    received++;
    if (received === n) {
      messages.stop();
      process.stderr.write(`received ${received}\n${JSON.stringify({ elapsedMs: performance.now() - started })}\n`);
      nc.close().finally(() => process.exit(0));
    }
  },
});
