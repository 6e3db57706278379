// The line shape shared by all types: timestamp modes, type tags, colour on/off, width truncation.
import { describe, expect, it } from "vitest";
import { formatEvent, formatMessage, formatTimestamp, parseTimestampsFlag, typeTag } from "../../src/eve/format.js";
import { UsageError } from "../../src/errors.js";
import { decodeEvent } from "../../src/eve/event.js";
import { visibleWidth } from "../../src/text/width.js";
import { FIXTURES, PLAIN, readEvents, stripColour } from "./fixtures.js";

const flow = readEvents(`${FIXTURES}surevego-2017-multi.eve.json`).find((e) => e["event_type"] === "flow")!;

describe("timestamps", () => {
  it("--timestamps takes local, utc or none, and names the flag and the choices otherwise (one parser for every command)", () => {
    for (const mode of ["local", "utc", "none"] as const) expect(parseTimestampsFlag(mode)).toBe(mode);
    for (const bad of ["UTC", "gmt", "", " local"]) {
      expect(() => parseTimestampsFlag(bad)).toThrow(UsageError);
      expect(() => parseTimestampsFlag(bad)).toThrow(`invalid --timestamps '${bad}': use local, utc or none`);
    }
  });


  it("utc: HH:MM:SS.mmmZ from an EVE timestamp with a +hhmm offset", () => {
    expect(formatTimestamp("2017-01-30T16:12:29.951412+0100", "utc")).toBe("15:12:29.951Z");
    expect(formatTimestamp("2018-03-24T14:37:19.037299-0600", "utc")).toBe("20:37:19.037Z");
    expect(formatTimestamp("2025-07-08T23:59:59.9+05:30", "utc")).toBe("18:29:59.900Z");
    expect(formatTimestamp("2025-07-08T10:15:01Z", "utc")).toBe("10:15:01.000Z");
  });

  it("local: HH:MM:SS.mmm in the viewer's time zone", () => {
    const ms = Date.UTC(2017, 0, 30, 15, 12, 29, 951);
    const d = new Date(ms);
    const expected = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":") + ".951";
    expect(formatTimestamp("2017-01-30T16:12:29.951412+0100", "local")).toBe(expected);
  });

  it("none: nothing, and the line starts with the tag", () => {
    expect(formatTimestamp("2017-01-30T16:12:29.951412+0100", "none")).toBe("");
    expect(formatEvent(flow, PLAIN).startsWith("FLOW  ")).toBe(true);
  });

  it("missing or unparseable timestamps keep the column width", () => {
    expect(formatTimestamp(undefined, "local")).toBe("--:--:--.---");
    expect(formatTimestamp("yesterday", "utc")).toBe("--:--:--.---Z");
    expect(formatTimestamp(12345, "utc")).toBe("--:--:--.---Z");
  });

  it("puts the timestamp first, one space, then the tag", () => {
    expect(formatEvent(flow, { color: false, timestamps: "utc" })).toMatch(/^15:12:29\.951Z FLOW  172\.17\.0\.2:46038/);
  });
});

describe("type tags", () => {
  it("are five columns wide so bodies line up", () => {
    for (const type of ["dns", "flow", "tls", "stats", "alert", "http", "fileinfo", "anomaly", "netflow", "smb", "ssh", "quic", "something_new", undefined]) {
      expect(typeTag(type)).toHaveLength(5);
    }
    expect(typeTag("fileinfo")).toBe("FILE ");
    expect(typeTag("anomaly")).toBe("ANOM ");
    expect(typeTag("netflow")).toBe("NFLOW");
    expect(typeTag("something_new")).toBe("SOMET");
  });
});

describe("unknown event types", () => {
  it("get a generic line with type, 5-tuple and the first scalar fields of their own object", () => {
    const event = {
      timestamp: "2025-07-08T10:15:01.100200+0000",
      event_type: "mqtt",
      src_ip: "10.0.0.2",
      src_port: 50000,
      dest_ip: "10.0.0.3",
      dest_port: 1883,
      proto: "TCP",
      app_proto: "mqtt",
      mqtt: { connect: { client_id: "x" }, qos: 1, topic: "home/door", retain: false, message_id: 7, extra: "not shown" },
    };
    expect(formatEvent(event, PLAIN)).toBe("MQTT  mqtt 10.0.0.2:50000 → 10.0.0.3:1883 TCP/mqtt qos=1 topic=home/door retain=false message_id=7");
  });

  it("without their own object show top-level fields other than the envelope", () => {
    expect(formatEvent({ event_type: "frobnicate", flow_id: 1, src_ip: "1.1.1.1", level: "high", count: 3 }, PLAIN)).toBe(
      "FROBN frobnicate 1.1.1.1 → ? level=high count=3",
    );
  });

  it("with no event_type at all are still shown", () => {
    expect(formatEvent({ src_ip: "1.1.1.1", note: "hi" }, PLAIN)).toBe("?     (no event_type) 1.1.1.1 → ? note=hi");
  });
});

describe("colour", () => {
  it("color:false never emits ANSI", () => {
    for (const event of readEvents(`${FIXTURES}surevego-2017-multi.eve.json`)) {
      expect(formatEvent(event, { color: false, timestamps: "local" })).not.toContain("\x1b");
    }
  });

  it("color:true colours, and stripping colour gives the plain line", () => {
    for (const event of readEvents(`${FIXTURES}surevego-2017-multi.eve.json`).slice(0, 50)) {
      const colored = formatEvent(event, { color: true, timestamps: "utc" });
      expect(colored).toContain("\x1b[");
      expect(stripColour(colored)).toBe(formatEvent(event, { color: false, timestamps: "utc" }));
    }
  });
});

describe("width", () => {
  const long = { event_type: "http", http: { hostname: "example.com", url: "/" + "a".repeat(300), http_method: "GET", status: 200 } };

  it("truncates to the visible width with an ellipsis", () => {
    const line = formatEvent(long, { ...PLAIN, width: 40 });
    expect(line).toBe("HTTP  GET example.com/" + "a".repeat(17) + "…");
    expect(visibleWidth(line)).toBe(40);
  });

  it("counts only visible columns when coloured, and resets colour after the cut", () => {
    const line = formatEvent(long, { color: true, timestamps: "utc", width: 50 });
    expect(visibleWidth(line)).toBe(50);
    expect(line.endsWith("…\x1b[0m")).toBe(true);
    expect(stripColour(line)).toBe(formatEvent(long, { color: false, timestamps: "utc", width: 50 }));
  });

  it("leaves lines that fit alone", () => {
    const line = formatEvent(flow, { ...PLAIN, width: 500 });
    expect(line).toBe(formatEvent(flow, PLAIN));
  });

  it("counts wide characters as two columns", () => {
    const event = { event_type: "dns", dns: { type: "query", rrname: "例え.テスト.日本", rrtype: "A" } };
    expect(formatEvent(event, PLAIN)).toBe("DNS   Q 例え.テスト.日本 A");
    expect(formatEvent(event, { ...PLAIN, width: 14 })).toBe("DNS   Q 例え.…");
    expect(formatEvent(event, { ...PLAIN, width: 13 })).toBe("DNS   Q 例え…");
    // "え" would need columns 11-12 but column 12 is the ellipsis's: cut before it, one column short.
    const cut = formatEvent(event, { ...PLAIN, width: 12 });
    expect(cut).toBe("DNS   Q 例…");
    expect(visibleWidth(cut)).toBe(11);
  });

  it("undefined width means no truncation", () => {
    expect(formatEvent(long, PLAIN).length).toBeGreaterThan(300);
  });
});

describe("formatMessage", () => {
  it("dispatches decoded events and invalid messages", () => {
    expect(formatMessage(decodeEvent('{"event_type":"dns","dns":{"type":"query","rrname":"a.b","rrtype":"A"}}'), PLAIN)).toBe("DNS   Q a.b A");
    expect(formatMessage(decodeEvent("[1]"), PLAIN)).toBe("[invalid: JSON array, not an event object] [1]");
  });
});
