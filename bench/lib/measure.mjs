// Runs a command (or a pipeline of commands) as child processes and measures wall time, peak RSS and CPU of each,
// from /proc (Linux), so every figure in a benchmark comes from the same kind of measurement.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

function readProc(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return { rssKb: hwm ? Number(hwm[1]) : 0, cpuMs: ticks * 10 };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a running process has used so far, in ms (e.g. the nats-server a benchmark talks to). */
export function cpuMsOf(pid) {
  return readProc(pid)?.cpuMs ?? 0;
}

/**
 * Starts `stages` ([{ cmd, args, env? }, ...]) connected stdout→stdin like a shell pipeline; the last stage's
 * stdout is counted (lines, bytes) and discarded unless keepOutput. Resolves when every stage has exited:
 * { wallMs, stages: [{ code, signal, stderr, maxRssMb, cpuMs }], stdoutBytes, stdoutLines, stdout? }.
 * `onStart(startedAt)` lets the caller begin its clock elsewhere (e.g. when publishing starts).
 */
export function runPipeline(stages, { keepOutput = false, timeoutMs = 300_000, cwd } = {}) {
  const started = performance.now();
  const children = [];
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i];
    const child = spawn(s.cmd, s.args, {
      cwd,
      env: { ...process.env, ...(s.env ?? {}) },
      stdio: [i === 0 ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (i > 0) children[i - 1].stdout.pipe(child.stdin);
    // A reader that quits early (head) must not crash the bench with EPIPE.
    child.stdin?.on("error", () => undefined);
    children.push(child);
  }
  const peaks = children.map(() => ({ rssKb: 0, cpuMs: 0 }));
  const poll = setInterval(() => {
    children.forEach((c, i) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const p = readProc(c.pid);
      if (p) {
        peaks[i].rssKb = Math.max(peaks[i].rssKb, p.rssKb);
        peaks[i].cpuMs = Math.max(peaks[i].cpuMs, p.cpuMs);
      }
    });
  }, 25);
  const last = children[children.length - 1];
  let stdoutBytes = 0;
  let stdoutLines = 0;
  let out = "";
  last.stdout.on("data", (d) => {
    stdoutBytes += d.length;
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) stdoutLines++;
    if (keepOutput) out += d.toString("utf8");
  });
  const stderrs = children.map((c) => {
    const ref = { text: "" };
    c.stderr.setEncoding("utf8");
    c.stderr.on("data", (d) => (ref.text = (ref.text + d).slice(-16 * 1024)));
    return ref;
  });
  // At the deadline the first stage is stopped so the rest drain and report (a sink killed too would say nothing
  // of what it received); whatever still runs a few seconds later is killed.
  let killer;
  const timer = setTimeout(() => {
    children[0].kill("SIGTERM");
    killer = setTimeout(() => children.forEach((c) => c.kill("SIGKILL")), 5000);
  }, timeoutMs);
  const exits = children.map(
    (c, i) =>
      new Promise((resolve) =>
        c.on("close", (code, signal) => {
          resolve({ code, signal, endedAt: performance.now(), index: i });
        }),
      ),
  );
  const exited = Promise.all(exits).then((ends) => {
    clearInterval(poll);
    clearTimeout(timer);
    clearTimeout(killer);
    const endedAt = Math.max(...ends.map((e) => e.endedAt));
    return {
      startedAt: started,
      endedAt,
      wallMs: endedAt - started,
      stdoutBytes,
      stdoutLines,
      ...(keepOutput ? { stdout: out } : {}),
      stages: ends.map((e, i) => ({
        code: e.code,
        signal: e.signal,
        stderr: stderrs[i].text,
        maxRssMb: peaks[i].rssKb / 1024,
        cpuMs: peaks[i].cpuMs,
      })),
    };
  });
  return { children, pids: children.map((c) => c.pid), exited, stop: (sig = "SIGINT") => children[0].kill(sig) };
}

/** A last stage that counts output and records when its last byte arrived (see sink.mjs and sinkReport). */
export function sinkStage() {
  return { cmd: process.execPath, args: [new URL("./sink.mjs", import.meta.url).pathname] };
}

/** { lines, bytes, firstAt, lastAt } (epoch ms) from a sink stage's stderr, or undefined. */
export function sinkReport(stage) {
  const m = /\{"sink":.*\}/.exec(stage.stderr);
  return m ? JSON.parse(m[0]).sink : undefined;
}

/** Now in epoch ms with sub-millisecond precision, comparable with sinkReport times. */
export function epochNow() {
  return performance.timeOrigin + performance.now();
}

/** One stage running a Node script of this project with arguments. */
export function nodeStage(script, args, env) {
  return { cmd: process.execPath, args: [script, ...args], ...(env ? { env } : {}) };
}
