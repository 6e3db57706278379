// `check` against a real server: exit codes 0/1/2/3 and the Nagios line for each kind of check (newest event,
// subjects, stats age and kernel drops, local sources and a mirror, a consumer, fullness), UNKNOWN for an
// unreachable server, a missing stream and bad flags, and --json.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import type { CliResult } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { testConnection, waitForCount } from "../ingest/stream-helpers.js";
import { cliFor } from "./jetstream-helpers.js";

const event = (type: string, extra: object = {}, at = new Date()) => JSON.stringify({ timestamp: at.toISOString().replace("Z", "+0000"), event_type: type, host: "sensor1", ...extra });
const stats = (capture: object | undefined, at = new Date()) =>
  event("stats", { stats: { uptime: 600, decoder: { pkts: 9_700 }, ...(capture ? { capture } : {}) } }, at);

/** The status line and the exit code agree, and perfdata follows a "|". */
function expectStatus(r: CliResult, code: number): string {
  const names = ["OK", "WARNING", "CRITICAL", "UNKNOWN"];
  const first = r.stdout.split("\n")[0]!;
  if (r.code !== code || !first.startsWith(`NSM4HOME ${names[code]}: `)) {
    throw new Error(`expected exit ${code} (${names[code]}), got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return first;
}

describe("check", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let cli: ReturnType<typeof cliFor>;
  const check = (args: string[]) => cli(["check", ...args]);

  beforeAll(async () => {
    server = await startNatsServer();
    cli = cliFor(server.url);
    nc = await testConnection(server.url);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.dispose();
  });

  it("UNKNOWN (3) when the server cannot be reached, in one line, no stack trace", async () => {
    const port = await freePort();
    const r = await cliFor(`nats://127.0.0.1:${port}`)(["check"]);
    expect(expectStatus(r, 3)).toBe(`NSM4HOME UNKNOWN: cannot connect to nats://127.0.0.1:${port}: connection refused (is nats-server running there?)`);
    expect(r.stdout.split("\n")).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\bat .*\.js/);
  });

  it("UNKNOWN (3) when the stream does not exist; --json says the same", async () => {
    const r = await check([]);
    expect(expectStatus(r, 3)).toBe("NSM4HOME UNKNOWN: stream suricata does not exist ('nsm4home stream ls' lists the streams)");
    const json = await check(["--json"]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "UNKNOWN", code: 3, checks: [{ status: "UNKNOWN", message: expect.stringContaining("does not exist") }] });
  });

  it("UNKNOWN (3) for flags commander or the thresholds refuse: the line on stdout, the reason on stderr", async () => {
    const unknownFlag = await check(["--age-critcal", "5m"]);
    expect(expectStatus(unknownFlag, 3)).toMatch(/^NSM4HOME UNKNOWN: unknown option '--age-critcal'/);
    expect(unknownFlag.stderr).toMatch(/^nsm4home: unknown option '--age-critcal'/);
    const order = await check(["--age-warn", "1h", "--age-critical", "5m"]);
    expect(expectStatus(order, 3)).toBe("NSM4HOME UNKNOWN: --age-warn 1h is above --age-critical 5m: a check warns first, then goes critical");
    expect(order.stderr.trim()).toBe("nsm4home: --age-warn 1h is above --age-critical 5m: a check warns first, then goes critical");
    expect(expectStatus(await check(["--prefix", "a b"]), 3)).toBe("NSM4HOME UNKNOWN: invalid --prefix 'a b.stats': use a NATS subject such as suricata.> or suricata.dns");
    expect(expectStatus(await check(["--stream", "a.b"]), 3)).toMatch(/^NSM4HOME UNKNOWN: invalid stream name 'a\.b'/);
    const help = await check(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("with none, --age-warn 5m --age-critical 15m");
  });

  it("the default check: an empty stream is CRITICAL (2); with events it is OK (0) with perfdata", async () => {
    expect((await cli(["stream", "add", "--defaults"])).code).toBe(0);
    expect(expectStatus(await check([]), 2)).toBe("NSM4HOME CRITICAL: stream suricata: no events at all");

    const { jetstream } = await import("@nats-io/jetstream");
    const js = jetstream(nc);
    await js.publish("suricata.dns", event("dns"));
    await js.publish("suricata.flow", event("flow"));
    await js.publish("suricata.stats", stats({ kernel_packets: 9_700, kernel_drops: 300 }));
    const ok = await check([]);
    expect(expectStatus(ok, 0)).toMatch(/^NSM4HOME OK: stream suricata: newest event (\d+ms|\ds) ago \| age=\d+(\.\d+)?s;300;900;0$/);
  });

  it("newest event: WARNING (1) above --age-warn, CRITICAL (2) above --age-critical", async () => {
    expect(expectStatus(await check(["--age-warn", "0s", "--age-critical", "1h"]), 1)).toMatch(/newest event .* ago \(warning above 0s\) \| age=[\d.]+s;0;3600;0$/);
    expect(expectStatus(await check(["--age-critical", "0s"]), 2)).toMatch(/\(critical above 0s\)/);
  });

  it("--subject-age: each stored subject a wildcard matches; a subject without events is CRITICAL", async () => {
    const r = await check(["--subject-age", "suricata.*=1h,", "--subject-age", "suricata.alert=,1d"]);
    expect(expectStatus(r, 2)).toMatch(/^NSM4HOME CRITICAL: stream suricata: no events on suricata\.alert \| age_suricata\.dns=[\d.]+s;3600;;0 age_suricata\.flow=[\d.]+s;3600;;0 age_suricata\.stats=[\d.]+s;3600;;0$/);
    expect(r.stdout.split("\n").slice(1)).toEqual([
      expect.stringMatching(/^OK: newest on suricata\.dns .* ago$/),
      expect.stringMatching(/^OK: newest on suricata\.flow .* ago$/),
      expect.stringMatching(/^OK: newest on suricata\.stats .* ago$/),
      "CRITICAL: no events on suricata.alert",
      "",
    ]);
  });

  it("stats: the latest stats event's age and kernel drops since Suricata started (300 of 10,000: 3%)", async () => {
    const fine = await check(["--stats-age-critical", "1h", "--drop-warn", "5"]);
    expect(expectStatus(fine, 0)).toMatch(/^NSM4HOME OK: stream suricata: stats event \S+ ago; kernel drops 3\.00% since Suricata started \| stats_age=[\d.]+s;;3600;0 kernel_drop=3%;5;;0;100$/);
    expect(expectStatus(await check(["--drop-warn", "1", "--drop-critical", "5"]), 1)).toBe(
      "NSM4HOME WARNING: stream suricata: kernel drops 3.00% since Suricata started (warning above 1%) | kernel_drop=3%;1;5;0;100",
    );
    expect(expectStatus(await check(["--drop-critical", "2.5"]), 2)).toMatch(/kernel drops 3\.00% since Suricata started \(critical above 2\.5%\)/);
  });

  it("stats: an old stats event is WARNING; no stats event is CRITICAL; no capture counters (pcap) UNKNOWN for drops", async () => {
    const { jetstreamManager, jetstream } = await import("@nats-io/jetstream");
    await (await jetstreamManager(nc)).streams.add({ name: "pcap", subjects: ["pcap.>"] });
    const js = jetstream(nc);
    await js.publish("pcap.dns", event("dns"));
    expect(expectStatus(await check(["--stream", "pcap", "--prefix", "pcap", "--stats-age-critical", "1h"]), 2)).toBe("NSM4HOME CRITICAL: stream pcap: no stats event in the stream");
    await js.publish("pcap.stats", stats(undefined, new Date(Date.now() - 10 * 60_000)));
    const old = await check(["--stream", "pcap", "--prefix", "pcap", "--stats-age-warn", "5m", "--stats-age-critical", "1h"]);
    expect(expectStatus(old, 1)).toMatch(/^NSM4HOME WARNING: stream pcap: stats event 10m\d*s? ago \(warning above 5m\) \| stats_age=6\d\d(\.\d+)?s;300;3600;0$/);
    expect(expectStatus(await check(["--stream", "pcap", "--prefix", "pcap", "--drop-warn", "1"]), 3)).toBe(
      "NSM4HOME UNKNOWN: stream pcap: stats event has no kernel capture counters (not a live capture?)",
    );
  });

  it("sources and a mirror (local): lag and last contact; a source never heard from is CRITICAL; no sources UNKNOWN", async () => {
    expect((await cli(["stream", "add", "agg", "--defaults", "--subjects", "agg.>", "--source", "suricata", "--source", "nothere"])).code).toBe(0);
    expect((await cli(["stream", "add", "copy", "--defaults", "--mirror", "suricata"])).code).toBe(0);
    await waitForCount(nc, (n) => n === 3, 20_000, "agg");
    await waitForCount(nc, (n) => n === 3, 20_000, "copy");

    const lag = await check(["--stream", "agg", "--lag-critical", "0"]);
    expect(expectStatus(lag, 0)).toBe("NSM4HOME OK: stream agg: source nothere lag 0 (error: stream not found); source suricata lag 0 | lag_nothere=0;;0;0 lag_suricata=0;;0;0");
    const seen = await check(["--stream", "agg", "--seen-warn", "1m", "--seen-critical", "5m"]);
    expect(expectStatus(seen, 2)).toMatch(/^NSM4HOME CRITICAL: stream agg: source nothere never seen \(error: stream not found\) \| seen_suricata=[\d.]+s;60;300;0$/);
    expect(seen.stdout).toMatch(/^OK: source suricata seen .* ago$/m);
    // The sourced streams' stats, read per source as `hub status` does.
    const statsPerSource = await check(["--stream", "agg", "--drop-warn", "1"]);
    expect(expectStatus(statsPerSource, 2)).toMatch(/^NSM4HOME CRITICAL: stream agg: no stats event from nothere; kernel drops of suricata 3\.00% since Suricata started \(warning above 1%\) \| kernel_drop_suricata=3%;1;;0;100$/);

    expect(expectStatus(await check(["--stream", "copy", "--lag-critical", "0", "--seen-critical", "1m"]), 0)).toMatch(
      /^NSM4HOME OK: stream copy: mirror suricata lag 0; mirror suricata seen .* ago \| lag_suricata=0;;0;0 seen_suricata=[\d.]+s;;60;0$/,
    );
    expect(expectStatus(await check(["--lag-critical", "0"]), 3)).toBe("NSM4HOME UNKNOWN: stream suricata: no sources and no mirror: no lag to check");
  });

  it("consumer: unprocessed and ack pending against thresholds; a missing consumer is UNKNOWN", async () => {
    const { jetstreamManager, jetstream, AckPolicy } = await import("@nats-io/jetstream");
    await (await jetstreamManager(nc)).consumers.add("suricata", { durable_name: "alerts", ack_policy: AckPolicy.Explicit });
    const plain = await check(["--consumer", "alerts"]);
    expect(expectStatus(plain, 0)).toBe("NSM4HOME OK: stream suricata: consumer alerts: 3 unprocessed; consumer alerts: 0 awaiting ack | unprocessed=3;;;0 ack_pending=0;;;0");
    expect(expectStatus(await check(["--consumer", "alerts", "--unprocessed-warn", "2", "--unprocessed-critical", "10"]), 1)).toMatch(/consumer alerts: 3 unprocessed \(warning above 2\) \| unprocessed=3;2;10;0/);

    const consumer = await jetstream(nc).consumers.get("suricata", "alerts");
    const got = await consumer.fetch({ max_messages: 2, expires: 2000 });
    for await (const m of got) void m; // delivered, not acked
    const pending = await check(["--consumer", "alerts", "--outstanding-ack-critical", "1"]);
    expect(expectStatus(pending, 2)).toMatch(/^NSM4HOME CRITICAL: stream suricata: consumer alerts: 2 awaiting ack \(critical above 1\) \| unprocessed=1;;;0 ack_pending=2;;1;0$/);

    expect(expectStatus(await check(["--consumer", "nobody"]), 3)).toBe("NSM4HOME UNKNOWN: stream suricata: consumer nobody does not exist");
  });

  it("fullness against max_msgs; a stream without limits cannot fill up", async () => {
    expect((await cli(["stream", "add", "small", "--defaults", "--subjects", "small.>", "--max-msgs", "10"])).code).toBe(0);
    const { jetstream } = await import("@nats-io/jetstream");
    for (let i = 0; i < 9; i++) await jetstream(nc).publish("small.dns", event("dns", { i }));
    expect(expectStatus(await check(["--stream", "small", "--fullness-warn", "80", "--fullness-critical", "95"]), 1)).toBe(
      "NSM4HOME WARNING: stream small: 90.0% full (9 of 10 messages; discard old: drops its oldest events when full) (warning above 80%) | fullness=90%;80;95;0;100",
    );
    expect(expectStatus(await check(["--stream", "small", "--fullness-critical", "85"]), 2)).toMatch(/critical above 85%/);
    expect(expectStatus(await check(["--fullness-warn", "1"]), 0)).toBe("NSM4HOME OK: stream suricata: no max_bytes or max_msgs limit: cannot fill up");
  });

  it("--json: status, code, each check with its value and thresholds, the perfdata; exit code as the status", async () => {
    const r = await check(["--json", "--age-critical", "1h", "--drop-critical", "2", "--consumer", "alerts"]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ status: "CRITICAL", code: 2, stream: "suricata", summary: "stream suricata: kernel drops 3.00% since Suricata started (critical above 2%)" });
    expect(doc.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ["age", "OK"],
      ["kernel-drop", "CRITICAL"],
      ["unprocessed alerts", "OK"],
      ["ack-pending alerts", "OK"],
    ]);
    expect(doc.checks[1]).toEqual({ name: "kernel-drop", status: "CRITICAL", value: 3, unit: "%", warn: null, crit: 2, message: "kernel drops 3.00% since Suricata started (critical above 2%)" });
    expect(doc.perfdata).toMatch(/^age=[\d.]+s;;3600;0 kernel_drop=3%;;2;0;100 unprocessed=1;;;0 ack_pending=2;;;0$/);
  });
});
