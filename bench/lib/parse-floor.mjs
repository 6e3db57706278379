// The floor under tail's CPU per event: what decoding, JSON.parse and formatting the same N events cost in one
// process with nothing else to do (no NATS, no output), in µs per event, the median of three passes. Prints JSON.
// usage: node parse-floor.mjs N "filter" "select"
import { generateEvents, importDist } from "./events.mjs";

const [n, filterText, selectText] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const { events } = await generateEvents(n);
// One block of bytes with a view per payload, as messages sit in a socket read buffer; the event objects go.
const total = events.reduce((sum, e) => sum + e.payload.length, 0);
const block = new Uint8Array(total);
const payloads = [];
let offset = 0;
for (const e of events) {
  block.set(e.payload, offset);
  payloads.push(block.subarray(offset, offset + e.payload.length));
  offset += e.payload.length;
}
events.length = 0;

const { decodeEvent } = await importDist("eve/event.js");
const { formatMessage } = await importDist("eve/format.js");
const { compileFilter, compileProjection, literalPrefilterFor } = await importDist("filter/index.js");
const filter = compileFilter(filterText);
const projection = compileProjection(selectText);
const mayMatch = literalPrefilterFor(filterText);
const utf8 = new TextDecoder();
const format = { color: false, timestamps: "local" };
let sink = 0;

const paths = {
  parse: (p) => {
    sink += JSON.parse(utf8.decode(p)) === null ? 0 : 1;
  },
  pretty: (p) => {
    sink += formatMessage(decodeEvent(p), format).length;
  },
  select: (p) => {
    const text = utf8.decode(p);
    if (mayMatch !== undefined && !mayMatch(text)) return;
    const decoded = decodeEvent(text);
    if (decoded.ok && filter.matches(decoded.event)) sink += JSON.stringify(projection.project(decoded.event) ?? null).length;
  },
};
const result = {};
for (const [name, run] of Object.entries(paths)) {
  const passes = [];
  for (let pass = 0; pass < 3; pass++) {
    const before = process.cpuUsage();
    for (const p of payloads) run(p);
    const used = process.cpuUsage(before);
    passes.push((used.user + used.system) / payloads.length);
  }
  result[name] = passes.sort((a, b) => a - b)[1];
}
process.stdout.write(JSON.stringify({ ...result, sink: sink > 0 }) + "\n");
