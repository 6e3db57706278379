// The pure parts of ingest: subjects and msg-ids, line splitting with offsets, Redis locations, progress text.
import { describe, expect, it } from "vitest";
import { classifyItem, messageIdFor, subjectForEventType } from "../../src/ingest/classify.js";
import { isPublishPrefix as isValidPrefix } from "../../src/nats/subjects.js";
import { LineSplitter } from "../../src/ingest/lines.js";
import { parseRedisLocation } from "../../src/ingest/redis-location.js";
import { formatProgress, formatSummary } from "../../src/ingest/progress.js";
import { defaultCheckpointPath } from "../../src/ingest/checkpoint.js";
import { wireSize } from "../../src/ingest/publisher.js";
import { describeOversized } from "../../src/ingest/pipeline.js";
import { isRetryableConnectError } from "../../src/ingest/run.js";
import { ConnectError } from "../../src/nats/connection/index.js";
import { RuntimeError } from "../../src/errors.js";

const bytes = (s: string) => Buffer.from(s);

describe("subjects", () => {
  it("uses safe event types and sends the rest to unknown", () => {
    expect(subjectForEventType("suricata", "dns")).toBe("suricata.dns");
    expect(subjectForEventType("suricata", "quic_v2-x")).toBe("suricata.quic_v2-x");
    for (const bad of ["a.b", "has space", "*", ">", "", "x\u001b", 5, undefined, null, "é"]) {
      expect(subjectForEventType("suricata", bad)).toBe("suricata.unknown");
    }
  });

  it("classifies events, untyped events and invalid items", () => {
    expect(classifyItem(bytes('{"event_type":"tls"}'), "p")).toEqual({ kind: "event", subject: "p.tls" });
    expect(classifyItem(bytes('  {"x":1}'), "p")).toMatchObject({ kind: "unknown", subject: "p.unknown", detail: "no event_type" });
    expect(classifyItem(bytes('{"event_type":"a b"}'), "p")).toMatchObject({ kind: "unknown", detail: "unsafe event_type" });
    expect(classifyItem(bytes("[1]"), "p")).toMatchObject({ kind: "invalid", subject: "p.invalid" });
    expect(classifyItem(bytes('{"a":'), "p")).toMatchObject({ kind: "invalid", detail: "not JSON" });
    expect(classifyItem(bytes("   "), "p")).toMatchObject({ kind: "invalid", detail: "empty" });
  });

  it("checks prefixes", () => {
    expect(isValidPrefix("suricata")).toBe(true);
    expect(isValidPrefix("nsm.home")).toBe(true);
    expect(isValidPrefix("a b")).toBe(false);
    expect(isValidPrefix("a.")).toBe(false);
    expect(isValidPrefix("a.*")).toBe(false);
  });

  it("derives the same short msg-id from the same content", () => {
    const a = messageIdFor(bytes('{"event_type":"dns","n":1}'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(messageIdFor(bytes('{"event_type":"dns","n":1}'))).toBe(a);
    expect(messageIdFor(bytes('{"event_type":"dns","n":2}'))).not.toBe(a);
    expect(wireSize(100, a)).toBe(100 + "NATS/1.0\r\nNats-Msg-Id: \r\n\r\n".length + 22);
  });
});

describe("LineSplitter", () => {
  it("splits across chunks, drops blank lines and CRs, and reports the offset after each line", () => {
    const lines: Array<[string, number]> = [];
    const s = new LineSplitter(100);
    const sink = (l: Buffer, end: number) => lines.push([l.toString(), end]);
    s.push(bytes("ab\ncd"), sink);
    s.push(bytes("ef\r\n\n  \nxy"), sink);
    expect(lines).toEqual([["ab", 103], ["cdef", 109]]);
    expect(s.pendingBytes).toBe(2);
    expect(s.offset).toBe(113);
    s.flush(sink);
    expect(lines.at(-1)).toEqual(["xy", 115]);
  });

  it("skips a line longer than the limit and says so", () => {
    const lines: string[] = [];
    const overlong: number[] = [];
    const s = new LineSplitter(0, 10, (n) => overlong.push(n));
    s.push(bytes("0123456789ABCDEF"), (l) => lines.push(l.toString()));
    s.push(bytes("GHI\nok\n"), (l) => lines.push(l.toString()));
    expect(lines).toEqual(["ok"]);
    expect(overlong).toEqual([16]);
    expect(s.offset).toBe(23);
  });
});

describe("parseRedisLocation", () => {
  it("reads the key from the path and hides the password", () => {
    expect(parseRedisLocation("redis://127.0.0.1:6379/suricata")).toMatchObject({ kind: "list", host: "127.0.0.1", port: 6379, key: "suricata", db: 0 });
    expect(parseRedisLocation("redis://sensor")).toMatchObject({ port: 6379, key: "suricata" });
    const s = parseRedisLocation("rediss-stream://u:p%40ss@h:7000/eve%3Aout?db=2");
    expect(s).toMatchObject({ kind: "stream", tls: true, username: "u", password: "p@ss", key: "eve:out", db: 2 });
    expect(s.display).toBe("rediss-stream://***@h:7000/eve:out?db=2");
    expect(() => parseRedisLocation("redis://h/k?db=x")).toThrow(/db must be a whole number/);
  });
});

describe("progress text", () => {
  const c = { read: 1200, published: 1190, acked: 1100, duplicates: 3, invalid: 2, unknownType: 0, rejected: 1, retries: 0 };
  it("names every counter, the backlog and the rate", () => {
    expect(formatProgress(c, 90, { count: 5000, unit: "events" }, 2400)).toBe(
      "read 1,200, published 1,190, acked 1,100, duplicates 3, invalid 2, rejected 1, in flight 90, backlog 5,000, 2.4k/s",
    );
    expect(formatSummary(c, 2000, { count: 2048, unit: "bytes" })).toBe(
      "read 1,200, published 1,190, acked 1,100, duplicates 3, invalid 2, rejected 1, backlog 2 KiB, in 2.0s (550/s)",
    );
    // Without msg-ids (replay, core) nothing can be a duplicate: the count is left out rather than always 0.
    expect(formatSummary(c, 2000, undefined, false)).toBe("read 1,200, published 1,190, acked 1,100, invalid 2, rejected 1, in 2.0s (550/s)");
  });
  it("keeps checkpoints under XDG_STATE_HOME", () => {
    expect(defaultCheckpointPath("/var/log/suricata/eve.json", { XDG_STATE_HOME: "/s" })).toBe("/s/nsm4home/checkpoints/%2Fvar%2Flog%2Fsuricata%2Feve.json.json");
  });
});

describe("LineSplitter and byte order marks", () => {
  it("drops a UTF-8 BOM at the start of a line (first or mid-stream) and keeps offsets byte-exact", () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const input = Buffer.concat([bom, Buffer.from('{"a":1}\n'), bom, Buffer.from('{"b":2}\n'), bom, Buffer.from('{"c":3}')]);
    const lines: Array<[string, number]> = [];
    const splitter = new LineSplitter();
    splitter.push(input, (line, end) => lines.push([line.toString("utf8"), end]));
    splitter.flush((line, end) => lines.push([line.toString("utf8"), end]));
    expect(lines).toEqual([
      ['{"a":1}', 11],
      ['{"b":2}', 22],
      ['{"c":3}', 32],
    ]);
    for (const [text] of lines) expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe("isRetryableConnectError", () => {
  it("waits for the server by the error's kind, not its text", () => {
    for (const kind of ["refused", "timeout", "host-not-found", "unreachable", "closed"] as const) {
      expect(isRetryableConnectError(new ConnectError(kind, "cannot connect to nats://h:1: x")), kind).toBe(true);
    }
    for (const kind of ["auth", "tls", "other"] as const) {
      expect(isRetryableConnectError(new ConnectError(kind, "cannot connect to nats://h:1: x")), kind).toBe(false);
    }
    // A user named 'closed' is refused the same as anyone: the text no longer decides.
    expect(isRetryableConnectError(new ConnectError("auth", "authorization violation: the server refused user 'closed'"))).toBe(false);
    expect(isRetryableConnectError(new RuntimeError("cannot connect to nats://h:1: connection refused"))).toBe(false);
  });
});

describe("describeOversized", () => {
  const MiB = 1024 * 1024;
  it("shows exact sizes when an event is just over max_payload, and names the headers when they tip it over", () => {
    expect(describeOversized(MiB + 10, MiB + 71, MiB, "suricata.dns")).toBe(
      "an event of 1,048,586 bytes for suricata.dns is larger than the server's max_payload (1,048,576 bytes)",
    );
    expect(describeOversized(MiB - 30, MiB + 31, MiB, "suricata.dns")).toBe(
      "an event of 1,048,546 bytes for suricata.dns is, with its headers (1,048,607 bytes), larger than the server's max_payload (1,048,576 bytes)",
    );
    expect(describeOversized(8 * MiB, 8 * MiB + 61, MiB, "suricata.fileinfo")).toBe("an event of 8 MiB for suricata.fileinfo is larger than the server's max_payload (1 MiB)");
  });
});
