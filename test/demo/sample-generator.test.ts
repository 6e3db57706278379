import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  communityId,
  createEventGenerator,
  DEFAULT_EVENT_MIX,
  EVENT_KINDS,
  formatSuricataTimestamp,
  serializeEvent,
  type SampleEvent,
} from "../../src/demo/sample-generator.js";
import { parseEveTimestamp } from "../../src/eve/types.js";

const START = new Date("2026-11-28T08:20:55.000Z");
const SURICATA_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$/;
type Fields = Record<string, any>;

function batch(n: number, seed = 42): SampleEvent[] {
  return createEventGenerator({ seed, startTime: START }).nextBatch(n);
}

const EVENTS = batch(10_000);
const ofType = (type: string) => EVENTS.filter((e) => e.event_type === type) as Fields[];
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

describe("createEventGenerator", () => {
  it("is deterministic for a seed and start time", () => {
    const a = batch(2000, 7).map(serializeEvent);
    const b = batch(2000, 7).map(serializeEvent);
    expect(a).toEqual(b);
    expect(batch(2000, 8).map(serializeEvent)).not.toEqual(a);
    const stats = () => createEventGenerator({ seed: 7, startTime: START }).statsEvent(new Date(START.getTime() + 8000));
    expect(stats()).toEqual(stats());
  });

  it("produces JSON events of about 450-900 bytes on average", () => {
    const total = EVENTS.reduce((sum, e) => sum + serializeEvent(e).length, 0);
    const average = total / EVENTS.length;
    expect(average).toBeGreaterThanOrEqual(450);
    expect(average).toBeLessThanOrEqual(900);
  });

  it("gives every event an event_type and a Suricata timestamp, and survives a JSON round trip", () => {
    for (const event of EVENTS) {
      expect(EVENT_KINDS).toContain(event.event_type);
      expect(event.timestamp).toMatch(SURICATA_TIMESTAMP);
      expect(JSON.parse(serializeEvent(event))).toEqual(event);
    }
  });

  it("advances a virtual clock from the start time, in order", () => {
    const times = EVENTS.map((e) => parseEveTimestamp(e.timestamp)!);
    expect(times[0]).toBeGreaterThanOrEqual(START.getTime());
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    // Default pace is 200 events/s: 10k events span roughly 50 s.
    const span = (times[times.length - 1]! - times[0]!) / 1000;
    expect(span).toBeGreaterThan(35);
    expect(span).toBeLessThan(65);
  });

  it("follows the default mix, without stats", () => {
    for (const kind of EVENT_KINDS) {
      const share = ofType(kind).length / EVENTS.length;
      expect(Math.abs(share - DEFAULT_EVENT_MIX[kind]), kind).toBeLessThan(0.02);
    }
    expect(ofType("stats")).toHaveLength(0);
  });

  it("honours a custom mix, stats included", () => {
    const events = createEventGenerator({ seed: 3, startTime: START, mix: { dns: 0, flow: 1, tls: 0, http: 0, alert: 0, fileinfo: 0, anomaly: 0, ssh: 0, stats: 1 } }).nextBatch(400);
    const types = new Set(events.map((e) => e.event_type));
    expect([...types].sort()).toEqual(["flow", "stats"]);
    expect(() => createEventGenerator({ mix: Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) })).toThrow(RangeError);
  });

  it("stamps events with a given time and a sensor name", () => {
    const generator = createEventGenerator({ seed: 1, startTime: START, host: "sensor-1" });
    const at = new Date("2027-01-02T03:04:05.678Z");
    const event = generator.next(at);
    expect(event.timestamp.startsWith("2027-01-02T03:04:05.678")).toBe(true);
    expect(event.host).toBe("sensor-1");
    expect(generator.statsEvent(at).host).toBe("sensor-1");
    expect(batch(50).some((e) => "host" in e)).toBe(false);
  });
});

describe("generated events look like Suricata 7", () => {
  it("share the packet header fields of a home network", () => {
    const local = (ip: unknown) => typeof ip === "string" && /^(192\.168\.1\.|2a01:e0a:1f3:4b50:|fd00:1::)/.test(ip);
    const offenders = (EVENTS as Fields[]).filter(
      (e) =>
        e.in_iface !== "eth0" ||
        !["TCP", "UDP"].includes(e.proto) ||
        !(local(e.src_ip) || local(e.dest_ip)) ||
        (e.flow_id !== undefined && !(Number.isSafeInteger(e.flow_id) && e.flow_id > 0)),
    );
    expect(offenders.map((e) => serializeEvent(e as SampleEvent))).toEqual([]);
  });

  it("writes DNS v2: queries without version, answers with answers and grouped, paired by flow and id", () => {
    const dns = ofType("dns");
    const queries = dns.filter((e) => e.dns.type === "query");
    const answers = dns.filter((e) => e.dns.type === "answer");
    expect(queries.length).toBeGreaterThan(1000);
    expect(Math.abs(queries.length - answers.length)).toBeLessThanOrEqual(1);
    for (const q of queries) {
      expect(q.dns.version).toBeUndefined();
      expect(Object.keys(q.dns)).toEqual(["type", "id", "rrname", "rrtype", "tx_id"]);
      expect(q.dest_port).toBe(53);
    }
    const byFlow = new Map(queries.map((q) => [q.flow_id, q]));
    for (const a of answers) {
      const q = byFlow.get(a.flow_id)!;
      expect(q).toBeDefined();
      expect(a.dns).toMatchObject({ version: 2, type: "answer", id: q.dns.id, rrname: q.dns.rrname, rrtype: q.dns.rrtype, qr: true });
      expect(["NOERROR", "NXDOMAIN"]).toContain(a.dns.rcode);
      if (a.dns.answers !== undefined) {
        for (const [type, values] of Object.entries(a.dns.grouped as Record<string, string[]>)) {
          expect(values).toEqual(a.dns.answers.filter((r: Fields) => r.rrtype === type).map((r: Fields) => r.rdata));
        }
      }
      expect(parseEveTimestamp(a.timestamp)!).toBeGreaterThanOrEqual(parseEveTimestamp(q.timestamp)!);
    }
    expect(answers.some((a) => a.dns.rcode === "NXDOMAIN")).toBe(true);
    expect(answers.some((a) => a.dns.answers?.some((r: Fields) => r.rrtype === "CNAME"))).toBe(true);
  });

  it("writes TLS with sni, version and ja3/ja3s whose hash is the md5 of the string; certificates on TLS 1.2", () => {
    const tls = ofType("tls");
    expect(tls.length).toBeGreaterThan(1000);
    for (const e of tls) {
      expect(e.tls.sni).toMatch(/^[a-z0-9.-]+$/);
      expect(e.tls.ja3.hash).toBe(md5(e.tls.ja3.string));
      expect(e.tls.ja3s.hash).toBe(md5(e.tls.ja3s.string));
      if (e.tls.version === "TLS 1.2") {
        expect(e.tls.subject).toMatch(/CN=/);
        expect(e.tls.issuerdn).toMatch(/O=.*CN=/);
        expect(e.tls.serial).toMatch(/^([0-9A-F]{2}:)+[0-9A-F]{2}$/);
        expect(e.tls.notbefore < e.tls.notafter).toBe(true);
        expect(e.tls.notbefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      } else {
        expect(e.tls.version).toBe("TLS 1.3");
      }
    }
    expect(tls.some((e) => e.tls.version === "TLS 1.2")).toBe(true);
    expect(tls.some((e) => e.tls.version === "TLS 1.3")).toBe(true);
  });

  it("writes flows with counts each way, age, state, reason, alerted and a correct community_id", () => {
    const flows = ofType("flow");
    for (const e of flows) {
      const f = e.flow;
      for (const key of ["pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient", "age"]) {
        expect(Number.isInteger(f[key]) && f[key] >= 0, key).toBe(true);
      }
      expect(f.bytes_toserver).toBeGreaterThanOrEqual(f.pkts_toserver * 40);
      expect(["new", "established", "closed"]).toContain(f.state);
      expect(["timeout", "shutdown", "forced"]).toContain(f.reason);
      expect(typeof f.alerted).toBe("boolean");
      expect(parseEveTimestamp(f.start)!).toBeLessThanOrEqual(parseEveTimestamp(f.end)!);
      expect(parseEveTimestamp(f.end)!).toBeLessThanOrEqual(parseEveTimestamp(e.timestamp)!);
      expect(e.community_id).toBe(communityId(e.src_ip, e.src_port, e.dest_ip, e.dest_port, e.proto));
      if (e.proto === "TCP") expect(e.tcp.tcp_flags).toMatch(/^[0-9a-f]{2}$/);
    }
    // Heavy tail: some flows are far bigger than the median.
    const sizes = flows.map((e) => e.flow.bytes_toclient).sort((a, b) => a - b);
    expect(sizes[sizes.length - 1]).toBeGreaterThan(sizes[Math.floor(sizes.length / 2)] * 20);
  });

  it("writes alerts with signature, category, severity 1-3 and the app-layer object", () => {
    const alerts = ofType("alert");
    expect(alerts.length).toBeGreaterThan(50);
    for (const e of alerts) {
      expect(e.alert).toMatchObject({ action: "allowed", gid: 1 });
      expect([1, 2, 3]).toContain(e.alert.severity);
      expect(typeof e.alert.signature).toBe("string");
      if (e.app_proto !== undefined) expect(e[e.app_proto]).toBeDefined();
    }
  });

  it("writes http, fileinfo, anomaly and ssh in their Suricata shapes", () => {
    for (const e of ofType("http")) expect(e.http).toMatchObject({ http_method: "GET", protocol: "HTTP/1.1" });
    for (const e of ofType("fileinfo")) {
      expect(e.fileinfo).toMatchObject({ state: "CLOSED", stored: false, gaps: false });
      expect(e.fileinfo.filename).toBe(e.http.url);
      expect(e.fileinfo.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const e of ofType("anomaly")) expect(["stream", "decode", "applayer"]).toContain(e.anomaly.type);
    for (const e of ofType("ssh")) expect(e.ssh.client.software_version).toBeTruthy();
  });
});

describe("statsEvent", () => {
  it("is cumulative: uptime follows the clock and counters never go down", () => {
    const generator = createEventGenerator({ seed: 5, startTime: START });
    const snapshots = [0, 8, 16, 24, 32, 40].map((s) => generator.statsEvent(new Date(START.getTime() + s * 1000)) as Fields);
    for (let i = 1; i < snapshots.length; i++) {
      const [prev, next] = [snapshots[i - 1]!.stats, snapshots[i]!.stats];
      expect(next.uptime - prev.uptime).toBe(8);
      for (const path of ["capture.kernel_packets", "capture.kernel_drops", "decoder.pkts", "decoder.bytes", "flow.total", "detect.alert", "app_layer.flow.dns_udp", "app_layer.flow.tls", "tcp.sessions"]) {
        const get = (s: Fields) => path.split(".").reduce((v: any, k) => v[k], s);
        expect(get(next), path).toBeGreaterThanOrEqual(get(prev));
      }
      const pps = (next.decoder.pkts - prev.decoder.pkts) / 8;
      expect(pps).toBeGreaterThan(50);
      expect(pps).toBeLessThan(20_000);
      const avgPacket = (next.decoder.bytes - prev.decoder.bytes) / (next.decoder.pkts - prev.decoder.pkts);
      expect(avgPacket).toBeGreaterThan(60);
      expect(avgPacket).toBeLessThan(1514);
      expect(next.capture.kernel_packets).toBeGreaterThanOrEqual(next.decoder.pkts);
      expect(next.flow.active).toBeGreaterThan(0);
    }
    expect(snapshots[0]!.event_type).toBe("stats");
    expect(snapshots[0]!.timestamp).toMatch(SURICATA_TIMESTAMP);
    // Suricata has been up for a while already when the first snapshot is taken.
    expect(snapshots[0]!.stats.uptime).toBeGreaterThan(60);
  });

  it("counts the alert events the generator emitted in detect.alert", () => {
    const generator = createEventGenerator({ seed: 5, startTime: START, mix: { alert: 1, dns: 0, flow: 0, tls: 0, http: 0, fileinfo: 0, anomaly: 0, ssh: 0 } });
    const before = (generator.statsEvent(START) as Fields).stats.detect.alert;
    generator.nextBatch(25);
    const after = (generator.statsEvent(START) as Fields).stats.detect.alert;
    expect(after - before).toBe(25);
  });

  it("does not go backwards when asked for an earlier time", () => {
    const generator = createEventGenerator({ seed: 5, startTime: START });
    const later = generator.statsEvent(new Date(START.getTime() + 60_000)) as Fields;
    const earlier = generator.statsEvent(new Date(START.getTime() + 30_000)) as Fields;
    expect(earlier.stats.uptime).toBe(later.stats.uptime);
    expect(earlier.stats.decoder.pkts).toBe(later.stats.decoder.pkts);
  });
});

describe("helpers", () => {
  it("formats Suricata timestamps with microseconds", () => {
    expect(formatSuricataTimestamp(Date.UTC(2026, 10, 28, 8, 20, 55, 123), 456)).toBe("2026-11-28T08:20:55.123456+0000");
    expect(formatSuricataTimestamp(Date.UTC(2026, 10, 28, 8, 20, 56, 7))).toBe("2026-11-28T08:20:56.007000+0000");
    expect(parseEveTimestamp(formatSuricataTimestamp(Date.UTC(2026, 0, 1)))).toBe(Date.UTC(2026, 0, 1));
  });

  it("computes community IDs as the specification's example", () => {
    // Test vector from the Community ID specification (corelight/community-id-spec).
    expect(communityId("128.232.110.120", 34855, "66.35.250.204", 80, "TCP")).toBe("1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    expect(communityId("66.35.250.204", 80, "128.232.110.120", 34855, "TCP")).toBe("1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  });

  it("serializes with JSON.stringify", () => {
    const event = batch(1)[0]!;
    expect(serializeEvent(event)).toBe(JSON.stringify(event));
  });
});
