// `--last N` while another client keeps publishing into the stream: the N most recent matching messages at the
// moment of the request (the stream's last sequence then), no fewer when the stream holds N, then everything
// stored later without a gap or a duplicate (follow), or nothing more (--no-follow). Checked through the event
// source (one consumer, a filtered one, the 2.9 multi-subject merge) and through `tail` and `stream view`.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { openEventSource, subjectMatches, type EventSource, type SourceMessage } from "../../src/nats/event-source/index.js";
import { resolveConnectionOptions, type ResolvedConnection } from "../../src/nats/connection/index.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { isolatedEnv, repoRoot, runCli } from "../helpers/cli.js";
import { stopChild, trackPid } from "../helpers/processes.js";

const TYPES = ["dns", "tls", "flow"];
const PREFILL = 600;

/** A separate process publishing `perTick` events every millisecond, n counting up from `from`. */
function startPublisher(url: string, prefix: string, from: number, perTick: number): { child: ChildProcess; ready: Promise<void> } {
  const script = `
    import { connect } from "@nats-io/transport-node";
    const { URL, PREFIX, FROM, PER_TICK } = process.env;
    const types = ${JSON.stringify(TYPES)};
    const nc = await connect({ servers: URL, name: "test publisher" });
    let n = Number(FROM);
    let stopping = false;
    process.on("SIGTERM", async () => { stopping = true; await nc.flush(); await nc.close(); process.exit(0); });
    process.stdout.write("ready\\n");
    while (!stopping) {
      for (let i = 0; i < Number(PER_TICK); i++) {
        const type = types[n % types.length];
        nc.publish(PREFIX + "." + type, JSON.stringify({ timestamp: new Date().toISOString(), event_type: type, n }));
        n++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: repoRoot,
    env: { ...process.env, URL: url, PREFIX: prefix, FROM: String(from), PER_TICK: String(perTick) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  trackPid(child.pid);
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`publisher exited (${code})`)));
  });
  return { child, ready };
}

interface Stored {
  seq: number;
  subject: string;
  n: number;
}

const nOf = (data: Uint8Array) => (JSON.parse(new TextDecoder().decode(data)) as { n: number }).n;

/** Everything the stream holds, read with nats.js's own ordered consumer (not the code under test). */
async function readStream(nc: NatsConnection, jsm: JetStreamManager, stream: string): Promise<Stored[]> {
  const { jetstream } = await import("@nats-io/jetstream");
  const info = await jsm.streams.info(stream);
  const consumer = await jetstream(nc).consumers.get(stream);
  const out: Stored[] = [];
  const messages = await consumer.consume({ max_messages: 5000 });
  for await (const m of messages) {
    out.push({ seq: m.seq, subject: m.subject, n: nOf(m.data) });
    if (m.seq >= info.state.last_seq) break;
  }
  return out;
}

/** The last `count` messages matching `subjects` stored at or before `endSeq`. */
function lastOf(stored: Stored[], subjects: string[], count: number, endSeq: number): Stored[] {
  return stored.filter((m) => m.seq <= endSeq && subjects.some((s) => subjectMatches(s, m.subject))).slice(-count);
}

/** Every message matching `subjects` from sequence `from` to `to`. */
function between(stored: Stored[], subjects: string[], from: number, to: number): Stored[] {
  return stored.filter((m) => m.seq >= from && m.seq <= to && subjects.some((s) => subjectMatches(s, m.subject)));
}

interface Run {
  label: string;
  subjects: string[];
  count: number;
  follow: boolean;
  requestSeq: number;
  got: Array<{ seq: number; n: number }>;
}

describe("--last N while another client publishes", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let resolved: ResolvedConnection;
  let publisher: { child: ChildProcess; ready: Promise<void> } | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
    const { connect } = await import("@nats-io/transport-node");
    const { jetstreamManager } = await import("@nats-io/jetstream");
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    if (publisher) await stopChild(publisher.child);
    await nc?.close();
    await server?.dispose();
  });

  /** Runs `body` while a publisher process publishes into `prefix`; stops it either way. */
  async function whilePublishing(prefix: string, body: () => Promise<void>): Promise<void> {
    publisher = startPublisher(server.url, prefix, PREFILL, 4);
    try {
      await publisher.ready;
      await body();
    } finally {
      await stopChild(publisher.child);
      publisher = undefined;
    }
  }

  async function prefill(stream: string, prefix: string): Promise<void> {
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], storage: "memory" as never });
    for (let n = 0; n < PREFILL; n++) {
      const type = TYPES[n % TYPES.length]!;
      nc.publish(`${prefix}.${type}`, JSON.stringify({ event_type: type, n }));
    }
    await nc.flush();
  }

  async function replay(label: string, subjects: string[], count: number, follow: boolean): Promise<Run> {
    const got: Array<{ seq: number; n: number }> = [];
    const source: EventSource = await openEventSource(nc, resolved, {
      subjects,
      start: { kind: "last", count },
      follow,
      batch: 50,
      onMessage: (m: SourceMessage) => got.push({ seq: m.seq!, n: nOf(m.data) }),
    });
    if (follow) {
      // Long enough for the replay and some followed messages.
      const deadline = Date.now() + 5000;
      while (got.length < count + 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await source.stop();
    } else {
      await source.done;
    }
    expect(source.replayEndSeq, label).toBeGreaterThan(0);
    if (!follow) expect(source.endSeq, label).toBe(source.replayEndSeq);
    return { label, subjects, count, follow, requestSeq: source.replayEndSeq!, got };
  }

  function check(stored: Stored[], run: Run): void {
    const expectedReplay = lastOf(stored, run.subjects, run.count, run.requestSeq).map((m) => m.seq);
    const label = `${run.label} --last ${run.count}${run.follow ? "" : " --no-follow"} (stream at ${run.requestSeq})`;
    expect(expectedReplay.length, label).toBe(run.count);
    const seqs = run.got.map((m) => m.seq);
    if (!run.follow) {
      expect(seqs, label).toEqual(expectedReplay);
    } else {
      expect(seqs.slice(0, run.count), label).toEqual(expectedReplay);
      // After the replay: everything stored later, in order, no gap and no duplicate.
      expect(seqs, label).toEqual(between(stored, run.subjects, expectedReplay[0]!, seqs[seqs.length - 1]!).map((m) => m.seq));
    }
    // Payloads belong to their sequences (nothing shifted in the merge).
    const bySeq = new Map(stored.map((m) => [m.seq, m.n]));
    expect(run.got.map((m) => m.n), label).toEqual(seqs.map((s) => bySeq.get(s)));
  }

  it("replays exactly the last N at the request, then follows without a gap, through the event source", async () => {
    await prefill("RACE", "race");
    const runs: Run[] = [];
    const cases: Array<[string, string[]]> = [
      ["whole stream", ["race.>"]],
      ["one subject", ["race.dns"]],
      ["two subjects (merged)", ["race.dns", "race.tls"]],
    ];
    await whilePublishing("race", async () => {
      for (let round = 0; round < 6; round++) {
        for (const [label, subjects] of cases) {
          for (const count of [1, 2, 7, 150]) runs.push(await replay(label, subjects, count, false));
          runs.push(await replay(label, subjects, 2, true));
          runs.push(await replay(label, subjects, 40, true));
        }
      }
    });
    const stored = await readStream(nc, jsm, "RACE");
    // The publisher really ran during the replays (else this test proves nothing).
    expect(stored.length).toBeGreaterThan(PREFILL + 500);
    for (const run of runs) check(stored, run);
  }, 120_000);

  it("counts around deleted messages: the last N that exist, whole stream and one subject", async () => {
    await jsm.streams.add({ name: "HOLES", subjects: ["holes.>"], storage: "memory" as never });
    for (let n = 1; n <= 100; n++) nc.publish(`holes.${TYPES[n % 3]}`, JSON.stringify({ event_type: TYPES[n % 3], n }));
    await nc.flush();
    for (const seq of [95, 97, 98, 99]) await jsm.streams.deleteMessage("HOLES", seq, false);
    const stored = await readStream(nc, jsm, "HOLES");
    for (const [subjects, count] of [
      [["holes.>"], 5],
      [["holes.>"], 200],
      [["holes.tls"], 4],
    ] as const) {
      const run = await replay(subjects.join(" "), [...subjects], count, false);
      const expected = lastOf(stored, [...subjects], count, 100).map((m) => m.seq);
      expect(run.got.map((m) => m.seq), run.label).toEqual(expected);
    }
  });

  it("tail --last N (with and without --no-follow) and stream view --last N show N, in order, no gap", async () => {
    await prefill("CLIRACE", "clirace");
    const env = isolatedEnv();
    const lastSeq = async () => (await jsm.streams.info("CLIRACE")).state.last_seq;
    const ns = (stdout: string, n: (line: unknown) => number) => stdout.trim().split("\n").filter(Boolean).map((l) => n(JSON.parse(l)));
    const tailN = (line: unknown) => (line as { n: number }).n;
    const FOLLOWED = 30;
    const results: Array<{ label: string; subjects: string[]; count: number; follow: boolean; before: number; ns: number[] }> = [];
    const run = async (label: string, subjects: string[], count: number, follow: boolean, args: string[], pick: (line: unknown) => number) => {
      const before = await lastSeq();
      const r = await runCli(["-s", server.url, ...args], { env });
      expect(r.code, r.stderr).toBe(0);
      results.push({ label, subjects, count, follow, before, ns: ns(r.stdout, pick) });
    };
    await whilePublishing("clirace", async () => {
      for (let round = 0; round < 3; round++) {
        // The stream's own subjects (no filter, no counting needed) and one subject of it (counted).
        for (const subject of ["clirace.>", "clirace.dns"]) {
          for (const count of [2, 25]) {
            const last = ["--last", String(count), "--json"];
            await run(`tail ${subject} --no-follow`, [subject], count, false, ["tail", subject, ...last, "--no-follow"], tailN);
            const total = String(count + FOLLOWED);
            await run(`tail ${subject} (follow)`, [subject], count, true, ["tail", subject, ...last, "--count", total], tailN);
          }
        }
        await run("stream view", ["clirace.>"], 2, false, ["stream", "view", "CLIRACE", "--last", "2", "--json"], tailN);
      }
    });
    const stored = await readStream(nc, jsm, "CLIRACE");
    const seqOfN = new Map(stored.map((m) => [m.n, m.seq]));
    for (const r of results) {
      const seqs = r.ns.map((n) => seqOfN.get(n)!);
      const label = `${r.label} --last ${r.count}`;
      expect(seqs.length, label).toBe(r.follow ? r.count + FOLLOWED : r.count);
      // Consecutive among the matching messages: nothing skipped, nothing twice.
      expect(seqs, label).toEqual(between(stored, r.subjects, seqs[0]!, seqs[seqs.length - 1]!).map((m) => m.seq));
      // Without follow it ends at the stream's end when the command asked, which is later than `before`.
      if (!r.follow) expect(seqs[seqs.length - 1]!, label).toBeGreaterThanOrEqual(lastOf(stored, r.subjects, 1, r.before)[0]!.seq);
    }
  }, 180_000);
});
