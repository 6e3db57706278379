// The ceiling for a live subscriber: a nats.js callback subscription that only counts, then exits at N messages
// (or after `idleMs` without one). Prints "received N" on stderr for the loss check.
// usage: node count-subscriber.mjs <url> <subject> <N> [idleMs]
import { connect } from "@nats-io/transport-node";

const [url, subject, wanted, idle = "5000"] = process.argv.slice(2);
const n = Number(wanted);
const nc = await connect({ servers: url, name: "bench count subscriber" });
let received = 0;
const done = () => {
  process.stderr.write(`received ${received}\n`);
  nc.close().finally(() => process.exit(received >= n ? 0 : 1));
};
nc.subscribe(subject, {
  callback: () => {
    if (++received === n) done();
  },
});
await nc.flush();
let seen = 0;
let lastChange = Date.now();
setInterval(() => {
  if (received !== seen) {
    seen = received;
    lastChange = Date.now();
  } else if (received > 0 && Date.now() - lastChange > Number(idle)) done();
}, 50);
