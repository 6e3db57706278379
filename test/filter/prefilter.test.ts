// The literal prefilter tail runs before JSON.parse: which strings it derives from a filter, and that it never turns
// away a payload the full filter would match (escaped spellings included).
import { describe, expect, it } from "vitest";
import { compile } from "@jmespath-community/jmespath";
import { compileFilter, literalPrefilter, literalPrefilterFor, requiredLiterals } from "../../src/filter/index.js";

const literals = (expr: string) => requiredLiterals(compile(expr) as never);

describe("requiredLiterals", () => {
  it("derives the strings a matching payload must contain, and nothing when the shape promises nothing", () => {
    expect(literals("dns.type == 'query'")).toEqual([['query"']]);
    expect(literals("'query' == dns.type")).toEqual([['query"']]);
    expect(literals("contains(tls.sni, 'google') && event_type == 'tls'")).toEqual([["google"], ['tls"']]);
    expect(literals("starts_with(a, 'x') || ends_with(b, 'y')")).toEqual([["x", 'y"']]);
    for (const expr of [
      "dns.type != 'query'",
      "!(dns.type == 'query')",
      "lower(dns.rrname) == 'x'",
      "'a' == 'a'",
      "a == `1` || b == 'x'",
      "a == 'x/y'",
      "a == 'caf\u00e9'",
      "contains(a[].b, 'x')",
      "dns.rrname",
    ]) {
      expect(literals(expr), expr).toBeUndefined();
    }
  });
});

describe("literalPrefilter", () => {
  it("rejects only payloads without the strings; \\u escapes always go to the full filter", () => {
    const mayMatch = literalPrefilter([['query"'], ["google"]]);
    expect(mayMatch('{"dns":{"type":"query","rrname":"google.com"}}')).toBe(true);
    expect(mayMatch('{"dns":{"type":"answer","rrname":"google.com"}}')).toBe(false);
    expect(mayMatch('{"dns":{"type":"query","rrname":"example.com"}}')).toBe(false);
    expect(mayMatch('{"dns":{"type":"qu\\u0065ry","rrname":"google.com"}}')).toBe(true);
  });
});

describe("literalPrefilterFor", () => {
  it("is undefined for a filter that promises nothing", () => {
    expect(literalPrefilterFor("dns.type != 'query'")).toBeUndefined();
    expect(literalPrefilterFor("dns.rrname")).toBeUndefined();
  });

  it("never turns away a payload the full filter matches, however its values are escaped", () => {
    const payloads = [
      '{"event_type":"dns","dns":{"type":"query","rrname":"google.com"}}',
      '{"event_type":"dns","dns":{"type":"answer","rrname":"google.com"}}',
      // The same values spelled with JSON escapes: only a full parse sees "query" and "tls".
      '{"event_type":"dns","dns":{"type":"qu\\u0065ry","rrname":"goo\\u0067le.com"}}',
      '{"event_type":"\\u0074ls","tls":{"sni":"www.google.com"}}',
      '{"event_type":"tls","tls":{"sni":"example.org"}}',
      '{"event_type":"flow","flow":{"state":"new"}}',
    ];
    const expressions = [
      "dns.type == 'query'",
      "'query' == dns.type",
      "contains(dns.rrname, 'google') && dns.type == 'query'",
      "event_type == 'tls' || dns.type == 'query'",
      "starts_with(tls.sni, 'www') || ends_with(dns.rrname, '.com')",
    ];
    for (const expression of expressions) {
      const mayMatch = literalPrefilterFor(expression);
      expect(mayMatch, expression).toBeDefined();
      const filter = compileFilter(expression);
      const matched = payloads.filter((p) => filter.matches(JSON.parse(p)));
      expect(matched.length, expression).toBeGreaterThan(0);
      for (const payload of matched) expect(mayMatch!(payload), `${expression} on ${payload}`).toBe(true);
    }
    // And it does turn some away, or it would not be worth running.
    expect(literalPrefilterFor("dns.type == 'query'")!(payloads[1]!)).toBe(false);
    expect(literalPrefilterFor("dns.type == 'query'")!(payloads[5]!)).toBe(false);
  });

  it("passes the escaped spelling of a value to the full filter, which matches it", () => {
    const expression = "dns.type == 'query'";
    const escaped = '{"event_type":"dns","dns":{"type":"qu\\u0065ry"}}';
    expect(escaped.includes('query"')).toBe(false);
    expect(literalPrefilterFor(expression)!(escaped)).toBe(true);
    expect(compileFilter(expression).matches(JSON.parse(escaped))).toBe(true);
  });
});
