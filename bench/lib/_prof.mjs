import { spawn } from "node:child_process";
import { generateEvents } from "./events.mjs";
import { connect } from "@nats-io/transport-node";
const N = Number(process.env.N ?? 200000);
const rate = Number(process.env.RATE ?? 50000);
const args = JSON.parse(process.env.ARGS ?? "[]");
const { events } = await generateEvents(N);
const base = process.env.BASE ? [process.execPath, "/work/main/bench/lib/count-subscriber.mjs", "nats://127.0.0.1:4222", "suricata.>", String(N)] : null;
const child = base ? spawn("/usr/bin/time", ["-f", "cpu %U %S", ...base], { stdio: ["ignore", "ignore", "pipe"] }) : spawn("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...(process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir", "/tmp/prof/out"] : []), process.env.BIN ?? "/work/main/bin/nsm4home.js", "-s", "nats://127.0.0.1:4222", "--no-context", "tail", "--color", "never", "--count", String(process.env.COUNT ?? N), "--timeout", "5s", ...args], { stdio: ["ignore", "ignore", "pipe"] });
let err = ""; child.stderr.on("data", (d) => (err += d));
await new Promise((r) => setTimeout(r, 1500));
const nc = await connect({ servers: "nats://127.0.0.1:4222" });
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  nc.publish(events[i].subject, events[i].payload);
  if (i % 1000 === 999) { await nc.flush(); const due = t0 + (i / rate) * 1000; const wait = due - performance.now(); if (wait > 0) await new Promise((r) => setTimeout(r, wait)); }
}
await nc.flush(); await nc.close();
const [code] = await new Promise((r) => child.on("exit", (...a) => r(a)));
const ru = JSON.parse("{}");
const m = /cpu ([\d.]+) ([\d.]+)/.exec(err); console.log("exit", code, "cpu", m ? (Number(m[1]) + Number(m[2])).toFixed(2) : "?", err.trim().split("\n").slice(-3, -1).join(" | "));
