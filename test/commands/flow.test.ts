// `nsm4home flow` against a real nats-server: the real samples replayed into the stream, plus hostile events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { trackDir } from "../helpers/processes.js";
import { assertTerminalSafe } from "../eve/fixtures.js";
import { cliFor, expectExit, jsonLines } from "./jetstream-helpers.js";

const fixture = join(repoRoot, "test", "fixtures", "eve", "surevego-2017-multi.eve.json");
const EVIL = "\x1b]0;owned\x07\x1b[2J\u202e";

let server: NatsServer;
let cli: ReturnType<typeof cliFor>;

async function publishLines(lines: string[]): Promise<number[]> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstream } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: server.url });
  const seqs: number[] = [];
  try {
    const js = jetstream(nc);
    for (const line of lines) {
      let type = "invalid";
      try {
        type = String((JSON.parse(line) as { event_type?: unknown }).event_type ?? "invalid").replace(/[^a-z0-9_]/gi, "_") || "invalid";
      } catch {
        // not JSON: published as it is, to suricata.invalid
      }
      seqs.push((await js.publish(`suricata.${type}`, line)).seq);
    }
  } finally {
    await nc.close();
  }
  return seqs;
}

beforeAll(async () => {
  server = await startNatsServer();
  cli = cliFor(server.url);
  expectExit(await cli(["stream", "add", "--defaults"]), 0);
  const lines = readFileSync(fixture, "utf8").split("\n").filter((l) => l.trim() !== "");
  await publishLines([
    ...lines,
    // Hostile: the flow's id in a string field, a longer id, escapes everywhere, a payload that is not JSON.
    JSON.stringify({ timestamp: "2017-01-30T16:12:27.100000+0100", flow_id: 1132792655884373, event_type: "anomaly", src_ip: "172.17.0.2", dest_ip: "151.101.12.204", anomaly: { type: "applayer", event: EVIL } }),
    JSON.stringify({ timestamp: "2017-01-30T16:12:27.200000+0100", flow_id: 11327926558843731, event_type: "alert", alert: { signature: "not this flow" } }),
    JSON.stringify({ event_type: "dns", dns: { rrname: "x 1132792655884373" } }),
    "not json 1132792655884373 \x1b[2J",
  ]);
}, 60_000);

afterAll(async () => {
  await server?.dispose();
});

describe("nsm4home flow", () => {
  it("prints the flow's events in time order with its DNS lookup and flow record", async () => {
    const r = await cli(["flow", "1132792655884373", "--since", "1h", "--timestamps", "utc", "--width", "0"]);
    expectExit(r, 0);
    expect(r.stdout).toContain("Flow 1132792655884373:");
    expect(r.stdout).toContain("server: 151.101.12.204:80 (prod.debian.map.fastly.net)");
    expect(r.stdout).toMatch(/DNS .*prod\.debian\.map\.fastly\.net.*\(lookup\)/);
    expect(r.stdout).toMatch(/ANOM/);
    expect(r.stdout).not.toContain("not this flow");
    expect(r.stdout).toMatch(/to server: 212 KiB in 3,247 packets/);
    for (const line of r.stdout.split("\n")) assertTerminalSafe(line);
  });

  it("--json prints NDJSON of the flow's events and the lookup, in time order", async () => {
    const r = await cli(["flow", "1132792655884373", "--since", "1h", "--json"]);
    expectExit(r, 0);
    const events = jsonLines<{ flow_id: number; event_type: string; timestamp: string }>(r.stdout);
    expect(events[0]!.event_type).toBe("dns");
    expect(events.slice(1).every((e) => e.flow_id === 1132792655884373)).toBe(true);
    expect(events.map((e) => e.event_type)).toEqual(expect.arrayContaining(["flow", "anomaly"]));
    const times = events.map((e) => Date.parse(e.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(r.stdout).not.toContain("\x1b");
  });

  it("takes the flow and the time from --from EVENT.json and from --seq", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-flow-"));
    trackDir(dir);
    const file = join(dir, "event.json");
    const line = readFileSync(fixture, "utf8").split("\n").find((l) => l.includes('"flow_id":1132792655884373'))!;
    writeFileSync(file, line);
    // The event's own time is 2017, long before anything the stream stores: the error gives the stored range.
    const old = await cli(["flow", "--from", file]);
    expectExit(old, 1);
    expect(old.stderr).toMatch(
      /no event of flow 1132792655884373 stored between 2017-.*: stream suricata holds events stored from 20\d\d-.* \(the window is stream time, not the event's own; .*\): give --since\/--until in that range/,
    );
    expect(old.stderr.trim().split("\n")).toHaveLength(1);
    const widened = await cli(["flow", "--from", file, "--since", "1h", "--until", "0s", "--json"]);
    expectExit(widened, 0);
    expect(jsonLines(widened.stdout).length).toBeGreaterThan(2);
    // --since alone: the window ends now, not at the event's time + --around.
    const sinceOnly = await cli(["flow", "--from", file, "--since", "1h", "--json"]);
    expectExit(sinceOnly, 0);
    expect(jsonLines(sinceOnly.stdout)).toEqual(jsonLines(widened.stdout));
    // --until alone before the event's time - --around: the error names --until and the default start, not --since.
    const untilOnly = await cli(["flow", "--from", file, "--until", "2017-01-01T00:00:00Z"]);
    expectExit(untilOnly, 2);
    expect(untilOnly.stderr).toContain("--until is earlier than where the window starts without --since (the event's time - --around");
    const seq = await cli(["flow", "--seq", "1", "--json"]);
    expectExit(seq, 0);
    expect(jsonLines(seq.stdout).length).toBeGreaterThan(0);
  });

  it("refuses what names no flow (exit 2) and says when the window holds nothing (exit 1)", async () => {
    const bad = await cli(["flow", "abc"]);
    expectExit(bad, 2);
    expect(bad.stderr).toMatch(/invalid FLOW_ID 'abc': give a flow_id/);
    const none = await cli(["flow"]);
    expectExit(none, 2);
    const both = await cli(["flow", "1", "--seq", "1"]);
    expectExit(both, 2);
    const missing = await cli(["flow", "999999999", "--since", "1h"]);
    expectExit(missing, 1);
    expect(missing.stderr).toMatch(/no event of flow 999999999/);
  });
});

describe("nsm4home host", () => {
  it("summarises one host over the window, as text and --json", async () => {
    const r = await cli(["host", "172.17.0.2", "--since", "1h", "--width", "0"]);
    expectExit(r, 0);
    expect(r.stdout).toContain("Host 172.17.0.2:");
    expect(r.stdout).toMatch(/prod\.debian\.map\.fastly\.net +\d+/);
    expect(r.stdout).toMatch(/151\.101\.12\.204 +[\d.]+ MiB/);
    for (const line of r.stdout.split("\n")) assertTerminalSafe(line);
    const j = await cli(["host", "172.17.0.2", "--since", "1h", "--json", "--top", "2"]);
    expectExit(j, 0);
    const summary = JSON.parse(j.stdout) as { ip: string; peers: { key: string }[]; dnsNames: unknown[]; read: number };
    expect(summary.ip).toBe("172.17.0.2");
    expect(summary.peers.length).toBeLessThanOrEqual(2);
    expect(summary.read).toBeGreaterThan(260);
  });

  it("finds an IPv6 host given in the short form in events that write it expanded (Suricata) or short", async () => {
    const now = new Date().toISOString();
    await publishLines([
      JSON.stringify({ timestamp: now, event_type: "dns", src_ip: "fe80:0000:0000:0000:0042:acff:fe11:0002", dest_ip: "fe80:0000:0000:0000:0000:0000:0000:0001", dns: { type: "query", rrname: "v6.example", rrtype: "AAAA" } }),
      JSON.stringify({ timestamp: now, event_type: "flow", src_ip: "fe80::42:acff:fe11:2", dest_ip: "fe80::1", proto: "UDP", app_proto: "dns", flow: { bytes_toserver: 70, bytes_toclient: 120 } }),
    ]);
    for (const given of ["fe80::42:acff:fe11:2", "FE80:0:0:0:42:ACFF:FE11:0002"]) {
      const j = await cli(["host", given, "--since", "1h", "--json"]);
      expectExit(j, 0);
      const summary = JSON.parse(j.stdout) as { ip: string; eventsByType: Record<string, number>; dnsNames: { key: string }[] };
      expect(summary.ip).toBe("fe80:0000:0000:0000:0042:acff:fe11:0002");
      // The sample holds one more flow of this host, written expanded (an ICMPv6 router solicitation).
      expect(summary.eventsByType).toEqual({ dns: 1, flow: 2 });
      expect(summary.dnsNames.map((e) => e.key)).toEqual(["v6.example"]);
    }
    const other = await cli(["host", "fe80::42:acff:fe11:3", "--since", "1h", "--json"]);
    expectExit(other, 0);
    expect((JSON.parse(other.stdout) as { eventsByType: object }).eventsByType).toEqual({});
  });

  it("refuses what is not an address (exit 2)", async () => {
    expectExit(await cli(["host", "fe80::42::2"]), 2);
    const r = await cli(["host", "not-an-ip"]);
    expectExit(r, 2);
    expect(r.stderr).toMatch(/invalid IP 'not-an-ip'/);
    const zoned = await cli(["host", "fe80::42:acff:fe11:2%eth0"]);
    expectExit(zoned, 2);
    expect(zoned.stderr).toMatch(/invalid IP 'fe80::42:acff:fe11:2%eth0': Suricata logs addresses without a zone: give fe80::42:acff:fe11:2\n/);
  });
});
