import { describe, expect, it } from "vitest";
import { compilePaneFilter, looksLikeExpression } from "../../src/filter/index.js";

const dnsEvent = { event_type: "dns", src_ip: "192.168.1.10", dns: { type: "query", rrname: "www.Google.com", rrtype: "A" } };
const dnsLine = "08:20:55 DNS  192.168.1.10 → 192.168.1.1  query www.Google.com A";
const flowEvent = { event_type: "flow", src_ip: "192.168.1.42", flow: { bytes_toserver: 200_000 } };
const flowLine = "08:20:56 FLOW 192.168.1.42 → 142.250.185.68:443 tls 195.3 KiB ↑";

describe("compilePaneFilter", () => {
  it("matches everything when empty", () => {
    for (const text of ["", "   "]) {
      const filter = compilePaneFilter(text);
      expect(filter.kind).toBe("all");
      expect(filter.matchesLine(dnsEvent, dnsLine)).toBe(true);
    }
  });

  it("searches plain words case-insensitively in the displayed line", () => {
    const filter = compilePaneFilter("GOOGLE");
    expect(filter.kind).toBe("text");
    expect(filter.parseError).toBeUndefined();
    expect(filter.matchesLine(dnsEvent, dnsLine)).toBe(true);
    expect(filter.matchesLine(flowEvent, flowLine)).toBe(false);
    // The line decides, not the event: text only in the event is not shown, so it does not match.
    expect(compilePaneFilter("rrtype").matchesLine(dnsEvent, dnsLine)).toBe(false);
  });

  it("evaluates expression-like text as JMESPath against the event", () => {
    const filter = compilePaneFilter("dns.type == 'query'");
    expect(filter.kind).toBe("jmespath");
    expect(filter.matchesLine(dnsEvent, "anything")).toBe(true);
    expect(filter.matchesLine(flowEvent, "dns.type == 'query'")).toBe(false);
    expect(compilePaneFilter("flow.bytes_toserver > `100000`").matchesLine(flowEvent, flowLine)).toBe(true);
    expect(compilePaneFilter("cidr_match(src_ip, '192.168.1.0/28')").matchesLine(dnsEvent, dnsLine)).toBe(true);
  });

  it("treats a bare dotted name as a path or a search, so typing a domain finds it", () => {
    const domain = compilePaneFilter("google.com");
    expect(domain.kind).toBe("path-or-text");
    expect(domain.matchesLine(dnsEvent, dnsLine)).toBe(true);
    expect(domain.matchesLine(flowEvent, flowLine)).toBe(false);
    const path = compilePaneFilter("flow.bytes_toserver");
    expect(path.kind).toBe("path-or-text");
    expect(path.matchesLine(flowEvent, flowLine)).toBe(true);
    expect(path.matchesLine(dnsEvent, dnsLine)).toBe(false);
  });

  it("falls back to text when the expression does not parse, and says why", () => {
    const filter = compilePaneFilter("dns.type ==");
    expect(filter.kind).toBe("text");
    expect(filter.parseError).toMatch(/unexpected end of expression at column 12/);
    expect(filter.matchesLine(dnsEvent, "dns.type == 'x'")).toBe(true);
    // A URL is text: no complaint about it not being an expression.
    const url = compilePaneFilter("https://www.google.com/search");
    expect(url.kind).toBe("text");
    expect(url.parseError).toBeUndefined();
    expect(url.matchesLine(dnsEvent, "GET https://www.google.com/search?q=x")).toBe(true);
  });

  it("counts evaluation errors instead of throwing", () => {
    const filter = compilePaneFilter("abs(dns.rrname) > `1`");
    expect(filter.kind).toBe("jmespath");
    expect(filter.matchesLine(dnsEvent, dnsLine)).toBe(false);
    expect(filter.errorCount).toBe(1);
    expect(filter.lastError).toMatch(/abs\(\)/);
  });

  it("never throws, whatever is typed", () => {
    for (const text of ["(", "[", "`", "'", '"', "a ==", "foo(", "&&", "||", "<>", "`{`", "lower(", "\u001b[31m", "x".repeat(3000) + "("]) {
      const filter = compilePaneFilter(text);
      expect(() => filter.matchesLine(dnsEvent, dnsLine)).not.toThrow();
    }
  });
});

describe("looksLikeExpression", () => {
  it("recognises operators, brackets, dots and backticks", () => {
    for (const text of ["a == b", "a != b", "a < b", "a > b", "a && b", "a || b", "f(x)", "a[0]", "a.b", "`1`"]) {
      expect(looksLikeExpression(text), text).toBe(true);
    }
    for (const text of ["google", "NXDOMAIN", "192 168", "ET POLICY curl"]) {
      expect(looksLikeExpression(text), text).toBe(false);
    }
  });
});
