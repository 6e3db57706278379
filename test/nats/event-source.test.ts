// The event source against a real nats-server: live drops counted when the output is backed up, replay that
// waits instead, stream-order merging of several consumers (2.9 has no filter_subjects), recovery when the
// consumer disappears, and the subject/ack helpers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import {
  dedupeSubjects,
  openEventSource,
  parseAckBytes,
  parseAckSubject,
  subjectMatches,
  type EventSourceOptions,
  type SourceMessage,
} from "../../src/nats/event-source/index.js";
import { resolveConnectionOptions, type ResolvedConnection } from "../../src/nats/connection/index.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

describe("subjects and ack subjects", () => {
  it("matches NATS wildcards", () => {
    expect(subjectMatches("suricata.>", "suricata.dns")).toBe(true);
    expect(subjectMatches("suricata.>", "suricata")).toBe(false);
    expect(subjectMatches("suricata.*", "suricata.dns")).toBe(true);
    expect(subjectMatches("suricata.*", "suricata.dns.x")).toBe(false);
    expect(subjectMatches("suricata.dns", "suricata.tls")).toBe(false);
    expect(subjectMatches("*.dns", "a.dns")).toBe(true);
  });

  it("drops subjects that another covers", () => {
    expect(dedupeSubjects(["suricata.dns", "suricata.>", "suricata.dns"])).toEqual(["suricata.>"]);
    expect(dedupeSubjects(["suricata.dns", "suricata.tls"])).toEqual(["suricata.dns", "suricata.tls"]);
  });

  it("reads both ack subject forms", () => {
    expect(parseAckSubject("$JS.ACK.S.C.1.100.7.1700000000123000000.3")).toEqual({
      streamSeq: 100,
      deliverySeq: 7,
      pending: 3,
      timeMs: 1700000000123,
    });
    expect(parseAckSubject("$JS.ACK.dom.hash.S.C.1.100.7.1700000000123000000.0.rnd")).toMatchObject({ streamSeq: 100, pending: 0 });
    expect(parseAckSubject("$JS.ACK.S.C.1")).toBeUndefined();
    expect(parseAckSubject("$JS.ACK.S.C.1.x.7.1.3")).toBeUndefined();
  });

  it("reads the numbers of an ack subject held as bytes after a known prefix, and refuses anything else", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const prefix = "$JS.ACK.S.nsm4home_abcdefgh.".length;
    expect({ ...parseAckBytes(bytes("$JS.ACK.S.nsm4home_abcdefgh.1.100.7.1700000000123000000.3"), prefix)! }).toEqual({
      streamSeq: 100,
      deliverySeq: 7,
      pending: 3,
      timeMs: 1700000000123,
    });
    // The v2 form, a token too many or too few, an empty or non-numeric token: left to the string parser.
    expect(parseAckBytes(bytes("$JS.ACK.dom.hash.S.C.1.100.7.1700000000123000000.0.rnd"), prefix)).toBeUndefined();
    expect(parseAckBytes(bytes("$JS.ACK.S.nsm4home_abcdefgh.1.100.7.17.3.4"), prefix)).toBeUndefined();
    expect(parseAckBytes(bytes("$JS.ACK.S.nsm4home_abcdefgh.1.100.7.17"), prefix)).toBeUndefined();
    expect(parseAckBytes(bytes("$JS.ACK.S.nsm4home_abcdefgh.1..7.17.3"), prefix)).toBeUndefined();
    expect(parseAckBytes(bytes("$JS.ACK.S.nsm4home_abcdefgh.1.1x0.7.17.3"), prefix)).toBeUndefined();
    expect(parseAckBytes(bytes("$JS.ACK.S.nsm4home_abcdefgh"), prefix)).toBeUndefined();
  });
});

describe("event source on a real server", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let resolved: ResolvedConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
    const { connect } = await import("@nats-io/transport-node");
    const { jetstreamManager } = await import("@nats-io/jetstream");
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.dispose();
  });

  const payload = (n: number) => JSON.stringify({ event_type: "dns", n });
  const nOf = (m: SourceMessage) => JSON.parse(new TextDecoder().decode(m.data)).n as number;

  async function fill(stream: string, prefix: string, items: Array<[string, number]>): Promise<void> {
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], storage: "memory" as never });
    for (const [type, n] of items) nc.publish(`${prefix}.${type}`, payload(n));
    await nc.flush();
  }

  /** Opens a source that collects into an array; resolves `done` waits with a timeout. */
  async function collect(options: Omit<EventSourceOptions, "onMessage">) {
    const got: SourceMessage[] = [];
    const source = await openEventSource(nc, resolved, { ...options, onMessage: (m) => got.push({ ...m, data: m.data.slice() }) });
    return { got, source };
  }

  async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it("live: when the output is backed up, messages are dropped and counted, never silently", async () => {
    const drops: number[] = [];
    const { got, source } = await collect({ subjects: ["drop.>"], backlog: () => 10_000, maxBacklog: 1000, onDrop: (n) => drops.push(n) });
    await nc.flush();
    for (let i = 0; i < 50; i++) nc.publish("drop.dns", payload(i));
    await nc.flush();
    await until(() => source.counts().received === 50);
    await source.stop();
    expect(got).toHaveLength(0);
    expect(source.counts()).toEqual({ received: 50, dropped: 50 });
    expect(drops.reduce((a, b) => a + b, 0)).toBe(50);
  });

  it("live: every message keeps its own subject, across more distinct subjects than are remembered", async () => {
    // Same lengths (subj.a00 .. subj.a39), a one-byte difference, and non-ASCII names: each must come back as sent.
    const names = [...Array.from({ length: 40 }, (_, i) => `subj.a${String(i).padStart(2, "0")}`), "subj.bö", "subj.b\u00f6x", "subj.é"];
    const { got, source } = await collect({ subjects: ["subj.>"] });
    await nc.flush();
    const sent: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i * 7 + round) % names.length]!;
        sent.push(name);
        nc.publish(name, payload(sent.length - 1));
      }
    }
    await nc.flush();
    await until(() => got.length === sent.length);
    await source.stop();
    expect(got.map((m) => m.subject)).toEqual(got.map((m) => sent[nOf(m)]));
    expect(new Set(got.map((m) => m.subject)).size).toBe(names.length);
  });

  it("replay waits while the output is backed up, then delivers everything in order with seq and time", async () => {
    await fill("WAIT", "wait", Array.from({ length: 200 }, (_, i) => ["dns", i + 1] as [string, number]));
    let full = true;
    const { got, source } = await collect({
      subjects: ["wait.>"],
      start: { kind: "all" },
      follow: false,
      batch: 10,
      backlog: () => (full ? 10 * 1024 * 1024 : 0),
    });
    await new Promise((r) => setTimeout(r, 300));
    // Only what the first pull asked for may have arrived while the output was full.
    expect(got.length).toBeLessThanOrEqual(10);
    full = false;
    await source.done;
    expect(got.map(nOf)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(Math.abs(got[0]!.time! - Date.now())).toBeLessThan(60_000);
  });

  /** A replay whose output backs up once 20 messages arrived, until released: the rest stays in the stream meanwhile. */
  async function openStalled(options: Omit<EventSourceOptions, "onMessage" | "backlog" | "onStatus">) {
    const got: SourceMessage[] = [];
    const statuses: string[] = [];
    let full = true;
    const source = await openEventSource(nc, resolved, {
      ...options,
      onMessage: (m) => got.push({ ...m, data: m.data.slice() }),
      backlog: () => (full && got.length >= 20 ? 10 * 1024 * 1024 : 0),
      onStatus: (line) => statuses.push(line),
    });
    await until(() => got.length >= 20);
    await new Promise((r) => setTimeout(r, 200));
    return { got, statuses, source, release: () => (full = false) };
  }

  it("replay: messages purged before they were read are counted on the status line, and the replay still ends", async () => {
    await fill("PURGED", "purged", Array.from({ length: 300 }, (_, i) => ["dns", i + 1] as [string, number]));
    const { got, statuses, source, release } = await openStalled({ subjects: ["purged.>"], start: { kind: "all" }, follow: false, batch: 10 });
    await jsm.streams.purge("PURGED");
    release();
    await Promise.race([source.done, new Promise((_, reject) => setTimeout(() => reject(new Error("replay never ended")), 20_000))]);
    expect(got.length).toBeLessThan(300);
    expect(got.map(nOf)).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    expect(statuses).toEqual([`at least ${300 - got.length} messages left stream PURGED before they were read (purged, deleted, or removed by its limits)`]);
    expect(source.counts()).toEqual({ received: got.length, dropped: 0, removed: 300 - got.length });
  }, 30_000);

  it("replay without follow: a stream deleted while it is read ends the replay with an error naming it (it waited for ever)", async () => {
    await fill("GONE", "gone", Array.from({ length: 300 }, (_, i) => ["dns", i + 1] as [string, number]));
    const { source, release, statuses } = await openStalled({ subjects: ["gone.>"], start: { kind: "all" }, follow: false, batch: 10 });
    await jsm.streams.delete("GONE");
    release();
    const ended = await Promise.race([
      source.done.then(() => "ended without an error", (err: Error) => err.message),
      new Promise<string>((resolve) => setTimeout(() => resolve("still waiting"), 25_000)),
    ]);
    expect({ ended, statuses }).toEqual({ ended: "stream GONE was deleted while it was being read", statuses: [] });
  }, 35_000);

  it("replay of several subjects: a reader whose messages were purged does not hold the merge back", async () => {
    const items: Array<[string, number]> = [];
    for (let i = 1; i <= 200; i++) items.push([i % 2 ? "dns" : "tls", i]);
    await fill("PURGED2", "purged2", items);
    const { got, statuses, source, release } = await openStalled({ subjects: ["purged2.dns", "purged2.tls"], start: { kind: "all" }, batch: 5 });
    await jsm.streams.purge("PURGED2");
    release();
    // Published once the removal was seen: stored earlier, it would hide one removal from the pending counts.
    await until(() => statuses.length > 0, 20_000);
    nc.publish("purged2.tls", payload(1000));
    await nc.flush();
    await until(() => got.some((m) => nOf(m) === 1000), 20_000);
    await source.stop();
    const before = got.slice(0, -1).map(nOf);
    // In stream order; one reader may have held a few more than the other when the rest was purged.
    expect(before).toEqual([...before].sort((x, y) => x - y));
    expect(before.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // One line per second at most: the two readers may find their share apart.
    for (const line of statuses) expect(line).toMatch(/^at least \d+ messages left stream PURGED2 before they were read \(purged, deleted, or removed by its limits\)$/);
    expect(statuses.reduce((sum, line) => sum + Number(line.split(" ")[2]), 0)).toBe(200 - before.length);
  }, 30_000);

  it("merges one consumer per subject into stream order, with --last counted across them", async () => {
    const items: Array<[string, number]> = [];
    for (let i = 1; i <= 60; i++) items.push([["dns", "tls", "flow"][i % 3]!, i]);
    await fill("MERGE", "merge", items);
    const all = await collect({ subjects: ["merge.dns", "merge.tls"], start: { kind: "all" }, follow: false, batch: 7 });
    await all.source.done;
    const expected = items.filter(([t]) => t !== "flow").map(([, n]) => n);
    expect(all.got.map(nOf)).toEqual(expected);
    const last = await collect({ subjects: ["merge.dns", "merge.tls"], start: { kind: "last", count: 7 }, follow: false });
    await last.source.done;
    expect(last.got.map(nOf)).toEqual(expected.slice(-7));
    const fromSeq = await collect({ subjects: ["merge.dns", "merge.tls"], start: { kind: "seq", seq: 55 }, follow: false });
    await fromSeq.source.done;
    expect(fromSeq.got.map(nOf)).toEqual(expected.filter((n) => n >= 55));
  });

  it("follows after the replay, and a deleted consumer is recreated without a duplicate or a gap", async () => {
    await fill("FOLLOW", "follow", [
      ["dns", 1],
      ["dns", 2],
    ]);
    const { got, source } = await collect({ subjects: ["follow.dns"], start: { kind: "all" } });
    await until(() => got.length === 2);
    nc.publish("follow.dns", payload(3));
    await until(() => got.length === 3);
    for await (const ci of await jsm.consumers.list("FOLLOW")) await jsm.consumers.delete("FOLLOW", ci.name);
    for (let i = 4; i <= 6; i++) nc.publish("follow.dns", payload(i));
    await nc.flush();
    await until(() => got.length >= 6, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    await source.stop();
    expect(got.map(nOf)).toEqual([1, 2, 3, 4, 5, 6]);
    // What was stored before the source opened is a backfill (the dashboard leaves it out of its live rates).
    expect(got.map((m) => m.backfill === true)).toEqual([true, true, false, false, false, false]);
  });

  it("'new' starts after what is stored; an empty replay without follow ends at once", async () => {
    await fill("NEW", "new", [["dns", 1]]);
    const { got, source } = await collect({ subjects: ["new.>"], start: { kind: "new" } });
    nc.publish("new.dns", payload(2));
    await until(() => got.length === 1);
    await source.stop();
    expect(got.map(nOf)).toEqual([2]);
    expect(got[0]!.backfill).toBeUndefined();
    const empty = await collect({ subjects: ["new.none"], start: { kind: "all" }, follow: false });
    await empty.source.done;
    expect(empty.got).toHaveLength(0);
  });

  it("names the problem when no stream, or more than one, holds the subjects", async () => {
    await expect(collect({ subjects: ["nowhere.>"], start: { kind: "all" } })).rejects.toThrow(/no stream captures nowhere\.>/);
    await jsm.streams.add({ name: "A1", subjects: ["a1.>"], storage: "memory" as never });
    await jsm.streams.add({ name: "B1", subjects: ["b1.>"], storage: "memory" as never });
    await expect(collect({ subjects: ["a1.x", "b1.x"], start: { kind: "all" } })).rejects.toThrow(/different streams \(A1, B1\)/);
  });
});
