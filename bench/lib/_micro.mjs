import { generateEvents } from "./events.mjs";
const { events } = await generateEvents(200000);
const bufs = events.map((e) => Buffer.from(e.payload));
const td = new TextDecoder();
const needle = 'query"'; const nb = Buffer.from(needle); const ub = Buffer.from("\\u");
function a() { let n = 0; for (const b of bufs) { const t = td.decode(b); if (t.includes("\\u") || t.includes(needle)) n++; } return n; }
function b() { let n = 0; for (const x of bufs) { if (x.indexOf(ub) >= 0 || x.indexOf(nb) >= 0) n++; } return n; }
function c() { let n = 0; for (const x of bufs) { const t = x.latin1Slice(0, x.length); if (t.includes("\\u") || t.includes(needle)) n++; } return n; }
function d() { let n = 0; for (const x of bufs) { const t = x.utf8Slice(0, x.length); if (t.includes("\\u") || t.includes(needle)) n++; } return n; }
for (let r = 0; r < 3; r++) for (const [name, f] of [["decode+includes", a], ["buf.indexOf", b], ["latin1+includes", c], ["utf8Slice+includes", d]]) { const t = performance.now(); const n = f(); console.log(name, n, (performance.now() - t).toFixed(1), "ms"); }
