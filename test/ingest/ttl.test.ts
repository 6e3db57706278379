// --ttl's entries: event type → the Nats-TTL header value, and the header block it adds to each publish.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTtlSpec, readTtlFile, ttlForSubject } from "../../src/ingest/ttl.js";
import { headerText, wireSize } from "../../src/ingest/publisher.js";

describe("parseTtlSpec", () => {
  it("gives each event type its TTL in whole seconds, * the rest, never for ever", () => {
    const policy = parseTtlSpec("alert=90d, flow=7d,stats=1d,*=14d,anomaly=never", "--ttl");
    expect(ttlForSubject(policy, "suricata.alert")).toBe("7776000s");
    expect(ttlForSubject(policy, "garage.suricata.flow")).toBe("604800s");
    expect(ttlForSubject(policy, "suricata.dns")).toBe("1209600s");
    expect(ttlForSubject(policy, "suricata.anomaly")).toBe("never");
    expect(policy.summary).toBe("alert 90d, flow 7d, stats 1d, * 14d, anomaly never");
    // 1.5s rounds up: the server counts whole seconds.
    expect(ttlForSubject(parseTtlSpec("dns=1500ms", "--ttl"), "suricata.dns")).toBe("2s");
    // Without *, other types get no header (the stream's max_age applies).
    expect(ttlForSubject(parseTtlSpec("alert=1h", "--ttl"), "suricata.dns")).toBeUndefined();
  });

  it("refuses what it cannot read, naming the entry and the form", () => {
    for (const [spec, message] of [
      ["", /--ttl is empty/],
      ["alert", /invalid --ttl entry 'alert': use type=duration/],
      ["alert=", /invalid --ttl entry 'alert='/],
      ["al ert=1d", /invalid --ttl entry 'al ert=1d'/],
      ["alert=soon", /invalid --ttl for alert 'soon'/],
      ["alert=500ms", /a TTL is at least 1s/],
      ["alert=1d,alert=2d", /'alert' is given twice/],
    ] as const) {
      expect(() => parseTtlSpec(spec, "--ttl")).toThrow(message);
    }
  });

  it("reads the same entries from a file, one a line, with comments", () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-ttl-"));
    const file = join(dir, "ttl.conf");
    writeFileSync(file, "# retention per event type\nalert=90d\nflow=7d  # flows for a week\n\n*=14d\n");
    expect(readTtlFile(file).summary).toBe("alert 90d, flow 7d, * 14d");
    expect(() => readTtlFile(join(dir, "missing"))).toThrow(/cannot read --ttl-file .*missing.*ENOENT/);
  });
});

describe("the header block", () => {
  it("carries the msg-id and the TTL, and counts against max_payload", () => {
    expect(headerText("abc", "60s")).toBe("NATS/1.0\r\nNats-Msg-Id: abc\r\nNats-TTL: 60s\r\n\r\n");
    expect(headerText(undefined, "60s")).toBe("NATS/1.0\r\nNats-TTL: 60s\r\n\r\n");
    expect(headerText(undefined, undefined)).toBeUndefined();
    expect(wireSize(100, "abc", "60s")).toBe(100 + headerText("abc", "60s")!.length);
    expect(wireSize(100, undefined)).toBe(100);
  });
});
