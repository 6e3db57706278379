// Runs the project's flow scan (dist/investigate/flow.js) for one flow over a window; prints {"elapsedMs", "read",
// "events"} from the start of the scan to its end (connecting excluded, as ordered-consumer.mjs does).
// usage: node flow-scanner.mjs <url> <flow_id> <sinceMs> <untilMs>
import { importDist } from "./events.mjs";

const [url, id, since, until] = process.argv.slice(2);
const { resolveConnectionOptions, connectNats } = await importDist("nats/connection/index.js");
const { investigateFlow } = await importDist("investigate/flow.js");
const { parseFlowKey } = await importDist("investigate/flow-timeline.js");
const resolved = resolveConnectionOptions({ server: url, context: false }, {});
const nc = await connectNats(resolved, { onStatus: null });
const started = performance.now();
const result = await investigateFlow(nc, resolved, {
  key: parseFlowKey(id),
  window: { sinceMs: Number(since), untilMs: Number(until) },
  prefix: "suricata",
});
const elapsedMs = performance.now() - started;
process.stderr.write(`${JSON.stringify({ elapsedMs, read: result.read, events: result.timeline.events.length })}\n`);
await nc.close();
