// Attacker-controlled text and malformed events: the output must stay one safe line and formatting never throws.
import { describe, expect, it } from "vitest";
import { formatEvent, formatInvalid, formatMessage, type FormatOptions } from "../../src/eve/format.js";
import { decodeEvent, type EveEvent } from "../../src/eve/event.js";
import { StatsRateTracker } from "../../src/eve/stats.js";
import { visibleWidth } from "../../src/text/width.js";
import { assertTerminalSafe, DACHOA, FIXTURES, hasDachoa, PLAIN, readEvents } from "./fixtures.js";

const HOSTILE_STRINGS = [
  "\u001b]0;owned\u0007evil.com", // OSC: set the terminal title
  "\u001b[2J\u001b[H", // clear screen
  "\u001bP+q\u001b\\", // DCS
  "good\u202Emoc.elgoog", // right-to-left override
  "\u2066isolate\u2069\u200E\u200F\u061C",
  "\u009b31mC1-CSI\u0085\u008d",
  "zero\u200Bwidth\u200C\u200D\uFEFF",
  "line\u2028sep\u2029",
  "lone\uD800high",
  "lone\uDC00low",
  "tab\there\nnew\rline\u0000nul\u007fdel",
  "x".repeat(200_000) + "\u001b",
];

const WRONG_TYPES: unknown[] = [null, [], {}, "str", "123", -1, 1e308, 0, true, [{}], { a: { b: [] } }];

// One or two events of every type from the samples, plus the v3 DNS fixtures.
function baseEvents(): Record<string, unknown>[] {
  const all = [
    ...readEvents(`${FIXTURES}surevego-2017-multi.eve.json`),
    ...readEvents(`${FIXTURES}wrccdc2018-alerts.eve.json`),
    ...readEvents(`${FIXTURES}dns-v3.eve.json`),
    ...(hasDachoa ? readEvents(DACHOA) : []),
  ];
  const seen = new Map<string, number>();
  const picked = all.filter((e) => {
    const key = `${String(e["event_type"])}:${(e["dns"] as { type?: string } | undefined)?.type ?? ""}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n < 2;
  });
  // Types the samples do not have.
  picked.push(
    { event_type: "anomaly", src_ip: "1.2.3.4", anomaly: { type: "applayer", event: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION", layer: "proto_detect", code: 5 } },
    { event_type: "netflow", src_ip: "1.2.3.4", src_port: 1, dest_ip: "5.6.7.8", dest_port: 2, proto: "UDP", netflow: { pkts: 3, bytes: 300, age: 4, min_ttl: 60, max_ttl: 64 } },
    { event_type: "smb", smb: { command: "SMB2_COMMAND_CREATE", status: "STATUS_SUCCESS", dialect: "3.11", share: "\\\\srv\\c$", filename: "x.exe", ntlmssp: { domain: "DOM", user: "bob", host: "PC1" } } },
    { event_type: "ssh", ssh: { client: { proto_version: "2.0", software_version: "OpenSSH_8.9", hassh: { hash: "abc" } }, server: { proto_version: "2.0", software_version: "OpenSSH_9.2" } } },
    { event_type: "quic", quic: { version: "1", sni: "x.example" } },
  );
  return picked;
}

type Leaf = { parent: Record<string, unknown> | unknown[]; key: string | number };

function leaves(value: unknown, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) {
    value.forEach((child, i) => (typeof child === "object" && child !== null ? leaves(child, out) : out.push({ parent: value, key: i })));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === "object" && child !== null) leaves(child, out);
      out.push({ parent: value as Record<string, unknown>, key });
    }
  }
  return out;
}

function set(leaf: Leaf, value: unknown): void {
  (leaf.parent as Record<string | number, unknown>)[leaf.key] = value;
}

const OPTIONS: FormatOptions[] = [
  { color: false, timestamps: "utc" },
  { color: true, timestamps: "local", width: 120 },
];

describe("hostile text in every string field", () => {
  it.each(HOSTILE_STRINGS.map((s) => [JSON.stringify(s.slice(0, 40)), s]))("%s", (_label, hostile) => {
    for (const base of baseEvents()) {
      const event = structuredClone(base);
      for (const leaf of leaves(event)) {
        const current = (leaf.parent as Record<string | number, unknown>)[leaf.key];
        if (typeof current === "string" && leaf.key !== "event_type" && leaf.key !== "type") set(leaf, hostile);
      }
      for (const opts of OPTIONS) {
        const line = formatEvent(event, { ...opts, stats: new StatsRateTracker() });
        assertTerminalSafe(line);
        expect(line).not.toContain("\n");
        expect(line.length).toBeLessThan(20_000);
        if (opts.width !== undefined) expect(visibleWidth(line)).toBeLessThanOrEqual(opts.width);
      }
    }
  });

  it("shows the hostile SNI escaped, not interpreted", () => {
    const line = formatEvent({ event_type: "tls", tls: { sni: "\u001b]0;owned\u0007evil.com", version: "TLS 1.3" } }, PLAIN);
    expect(line).toBe("TLS   \\x1B]0;owned\\x07evil.com TLS 1.3");
  });

  it("shows a bidi override in a DNS name as an escape", () => {
    const line = formatEvent({ event_type: "dns", dns: { version: 3, type: "request", queries: [{ rrname: "good\u202Emoc.elgoog", rrtype: "A" }] } }, PLAIN);
    expect(line).toBe("DNS   Q good\\u202Emoc.elgoog A");
  });

  it("escapes hostile event_type values in the tag and the generic body", () => {
    const line = formatEvent({ event_type: "\u001b[31mred\u202e" }, PLAIN);
    assertTerminalSafe(line);
    expect(line).toBe("??31M \\x1B[31mred\\u202E");
  });

  it("escapes hostile object keys shown by the generic formatter", () => {
    const line = formatEvent({ event_type: "custom", custom: { "k\u001b[2J": "v\u0007" } }, PLAIN);
    expect(line).toBe("CUSTO custom k\\x1B[2J=v\\x07");
  });

  it("escapes a hostile sensor name in stats lines and snapshots", () => {
    const tracker = new StatsRateTracker();
    const event = { event_type: "stats", host: "sensor\u001b]0;x\u0007", stats: { uptime: 5, app_layer: { flow: { __proto__: 1 } } } };
    const line = formatEvent(JSON.parse(JSON.stringify(event)), { ...PLAIN, stats: tracker });
    expect(line).toBe("STATS sensor\\x1B]0;x\\x07 up 5s pkts 0 bytes 0 B alerts 0");
    const again = JSON.parse('{"event_type":"stats","host":"sensor\\u001b]0;x\\u0007","stats":{"uptime":6,"app_layer":{"flow":{"__proto__":3}}}}');
    const snapshot = tracker.update(again);
    expect(snapshot.host).toBe("sensor\\x1B]0;x\\x07");
    expect(Object.keys(snapshot.appLayerFlowsPerSec ?? {})).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("treats __proto__ / constructor event types as unknown types, not as formatters", () => {
    for (const type of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const line = formatEvent({ event_type: type }, PLAIN);
      expect(line).toContain(type);
    }
  });
});

describe("wrong types in every field", () => {
  it("never throws, never prints undefined/NaN/[object Object]", () => {
    let checked = 0;
    for (const base of baseEvents()) {
      const leafCount = leaves(structuredClone(base)).length;
      for (let i = 0; i < leafCount; i++) {
        for (const wrong of WRONG_TYPES) {
          const event = structuredClone(base);
          set(leaves(event)[i]!, wrong);
          const line = formatEvent(event, { color: false, timestamps: "utc", stats: new StatsRateTracker() });
          expect(line).not.toMatch(/undefined|NaN|\[object Object\]/);
          assertTerminalSafe(line);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("replacing whole sections with wrong types still gives a line with the right tag", () => {
    for (const [type, tag] of [["dns", "DNS"], ["flow", "FLOW"], ["tls", "TLS"], ["alert", "ALERT"], ["http", "HTTP"], ["fileinfo", "FILE"], ["stats", "STATS"], ["anomaly", "ANOM"], ["netflow", "NFLOW"], ["smb", "SMB"], ["ssh", "SSH"]] as const) {
      for (const wrong of WRONG_TYPES) {
        const line = formatEvent({ event_type: type, [type]: wrong, src_ip: wrong, src_port: wrong, timestamp: wrong } as EveEvent, PLAIN_UTC_LIKE);
        expect(line.startsWith(`--:--:--.---Z ${tag}`)).toBe(true);
        expect(line).not.toMatch(/undefined|NaN|\[object Object\]/);
      }
    }
  });

  it("accepts things that are not objects at all", () => {
    for (const notAnEvent of [null, undefined, 42, "str", [1, 2]]) {
      expect(formatEvent(notAnEvent as never, PLAIN)).toBe("?     (no event_type)");
    }
  });
});

const PLAIN_UTC_LIKE: FormatOptions = { color: false, timestamps: "utc" };

describe("invalid messages", () => {
  it("are shown escaped with the reason", () => {
    const decoded = decodeEvent("not json \u001b[2J\u202e");
    expect(formatMessage(decoded, PLAIN)).toBe("[invalid: not JSON] not json \\x1B[2J\\u202E");
  });

  it("a huge invalid message is cut", () => {
    const line = formatInvalid("\u0007".repeat(100_000), "not JSON", PLAIN);
    assertTerminalSafe(line);
    expect(line.length).toBeLessThan(10_000);
  });

  it("respect width and colour", () => {
    const line = formatInvalid("x".repeat(500), "JSON array, not an event object", { color: true, timestamps: "none", width: 30 });
    expect(visibleWidth(line)).toBe(30);
    expect(line).toContain("\x1b[31m");
    expect(formatInvalid("abc", "not JSON", PLAIN)).not.toContain("\x1b");
  });
});
