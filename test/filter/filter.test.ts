import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { compileFilter, compileProjection, describeEvaluationErrors, isTruthy } from "../../src/filter/index.js";
import { DACHOA, FIXTURES, hasDachoa, readEvents } from "../eve/fixtures.js";

const SUREVEGO = readEvents(`${FIXTURES}surevego-2017-multi.eve.json`);
const WRCCDC = readEvents(`${FIXTURES}wrccdc2018-alerts.eve.json`);
const DACHOA_EVENTS = hasDachoa ? readEvents(DACHOA) : [];
const ALL = [...SUREVEGO, ...WRCCDC, ...DACHOA_EVENTS];

function count(expression: string, events: unknown[] = ALL): number {
  const filter = compileFilter(expression);
  return events.filter((e) => filter.matches(e)).length;
}

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error("expected a UsageError");
}

type Fields = Record<string, any>;

describe("compileFilter on real events", () => {
  it("selects DNS queries, in legacy v1 and Suricata 7 v2 format alike", () => {
    const expected = ALL.filter((e) => (e.dns as Fields | undefined)?.type === "query").length;
    expect(expected).toBeGreaterThan(0);
    expect(count("dns.type == 'query'")).toBe(expected);
    expect(count("event_type == 'dns' && dns.type == 'answer'")).toBe(
      ALL.filter((e) => e.event_type === "dns" && (e.dns as Fields).type === "answer").length,
    );
  });

  it("compares numbers with JSON literals", () => {
    const expected = ALL.filter((e) => ((e.flow as Fields | undefined)?.bytes_toserver ?? 0) > 100_000).length;
    expect(expected).toBeGreaterThan(0);
    expect(count("flow.bytes_toserver > `100000`")).toBe(expected);
  });

  it.skipIf(!hasDachoa)("finds substrings in TLS SNI, and treats events without tls as non-matching, not errors", () => {
    const filter = compileFilter("contains(tls.sni, 'microsoft')");
    const matched = DACHOA_EVENTS.filter((e) => filter.matches(e));
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.every((e) => String((e.tls as Fields).sni).includes("microsoft"))).toBe(true);
    // dns, flow and stats events have no tls.sni: a missing field is not an evaluation error.
    expect(filter.errorCount).toBe(0);
    expect(count("starts_with(tls.sni, 'www.') || ends_with(tls.sni, '.io')", DACHOA_EVENTS)).toBe(
      DACHOA_EVENTS.filter((e) => {
        const sni = (e.tls as Fields | undefined)?.sni;
        return typeof sni === "string" && (sni.startsWith("www.") || sni.endsWith(".io"));
      }).length,
    );
  });

  it("matches source addresses against a CIDR", () => {
    const expected = ALL.filter((e) => typeof e.src_ip === "string" && e.src_ip.startsWith("10.")).length;
    expect(expected).toBeGreaterThan(0);
    expect(count("cidr_match(src_ip, '10.0.0.0/8')")).toBe(expected);
    // Suricata writes IPv6 uncompressed (fe80:0000:...); the network may be written compressed.
    const linkLocal = ALL.filter((e) => typeof e.src_ip === "string" && e.src_ip.startsWith("fe80:")).length;
    expect(linkLocal).toBeGreaterThan(0);
    expect(count("cidr_match(src_ip, 'fe80::/10')")).toBe(linkLocal);
  });

  it("treats missing fields as null: no match, no error", () => {
    const filter = compileFilter("alert.severity == `1` || lower(http.hostname) == 'deb.debian.org' || length(dns.answers) > `0`");
    const matched = ALL.filter((e) => filter.matches(e));
    expect(matched.length).toBeGreaterThan(0);
    expect(filter.errorCount).toBe(0);
    expect(filter.lastError).toBeUndefined();
    expect(compileFilter("no.such.field", "--filter", true).matches(ALL[0])).toBe(false);
    expect(compileFilter("no.such.field == null").matches(ALL[0])).toBe(true);
  });

  it("selects alert severities from the wrccdc alerts", () => {
    const severe = WRCCDC.filter((e) => (e.alert as Fields).severity === 1).length;
    expect(count("alert.severity == `1`", WRCCDC)).toBe(severe);
    expect(count("alert.severity <= `2` && dest_port == `22`", WRCCDC)).toBe(
      WRCCDC.filter((e) => (e.alert as Fields).severity <= 2 && e.dest_port === 22).length,
    );
  });
});

describe("JMESPath truthiness", () => {
  it("treats false, null, empty string, empty array and empty object as false, and 0 as true", () => {
    for (const value of [false, null, undefined, "", [], {}]) expect(isTruthy(value)).toBe(false);
    for (const value of [true, 0, "x", [0], { a: null }]) expect(isTruthy(value)).toBe(true);
    const tags = compileFilter("tags", "--filter", true);
    expect(tags.matches({ tags: [] })).toBe(false);
    expect(tags.matches({ tags: {} })).toBe(false);
    expect(tags.matches({ tags: "" })).toBe(false);
    expect(tags.matches({ tags: 0 })).toBe(true);
    expect(tags.matches({ tags: ["x"] })).toBe(true);
  });
});

describe("syntax errors", () => {
  it("name the flag, the expression and the 1-based column of the end of input", () => {
    expect(usageMessage(() => compileFilter("dns.type =="))).toBe(
      "invalid --filter 'dns.type ==': unexpected end of expression at column 12",
    );
  });

  it("point at the offending token", () => {
    expect(usageMessage(() => compileFilter("dns.type == == 'a'"))).toBe(
      "invalid --filter 'dns.type == == 'a'': unexpected '==' at column 13",
    );
    expect(usageMessage(() => compileFilter("src_ip dest_ip"))).toMatch(/unexpected 'dest_ip' at column 8$/);
    expect(usageMessage(() => compileFilter("a]"))).toMatch(/unexpected '\]' at column 2$/);
  });

  it("point at characters the lexer rejects and at bad literals", () => {
    expect(usageMessage(() => compileFilter("dns.rrname ~ 'x'"))).toMatch(/unexpected character '~' at column 12$/);
    expect(usageMessage(() => compileFilter("flow.age > `{bad"))).toMatch(/invalid JSON literal between backticks at column 12$/);
    expect(usageMessage(() => compileFilter('a."b'))).toMatch(/unterminated quoted identifier at column 3$/);
  });

  it("use the flag name they were given and stay on one line", () => {
    const message = usageMessage(() => compileProjection("{n: dns.rrname", "--select"));
    expect(message).toBe("invalid --select '{n: dns.rrname': unexpected end of expression at column 15");
    expect(usageMessage(() => compileFilter("a ==\n", "--where"))).not.toContain("\n");
    expect(usageMessage(() => compileFilter("a ==\n", "--where"))).toMatch(/^invalid --where 'a == ':/);
  });

  it("reject an empty expression", () => {
    expect(usageMessage(() => compileFilter("  "))).toMatch(/^empty --filter expression/);
  });

  it("report unknown functions and wrong argument counts before any event is seen", () => {
    expect(usageMessage(() => compileFilter("event_type == 'dns' && lowercase(dns.rrname) == 'x'"))).toBe(
      "invalid --filter 'event_type == 'dns' && lowercase(dns.rrname) == 'x'': unknown function lowercase() at column 24",
    );
    expect(usageMessage(() => compileFilter("contains(tls.sni)"))).toMatch(/contains\(\) takes 2 arguments, got 1 at column 1$/);
    expect(usageMessage(() => compileFilter("not_null()"))).toMatch(/not_null\(\) takes at least 1 argument, got 0/);
    // The column is that of the faulty call, not of an earlier correct one.
    expect(usageMessage(() => compileFilter("contains(a, 'x') || contains(b)"))).toMatch(/got 1 at column 21$/);
    expect(usageMessage(() => compileFilter("length(lower(a), b)"))).toMatch(/length\(\) takes 1 argument, got 2 at column 1$/);
  });

  it("reject invalid literal CIDRs and regex patterns when compiling", () => {
    expect(usageMessage(() => compileFilter("cidr_match(src_ip, '10.0.0/8')"))).toMatch(/expects a network like/);
    expect(usageMessage(() => compileFilter("cidr_match(src_ip, '10.0.0.0/33')"))).toMatch(/got '10.0.0.0\/33'/);
    expect(usageMessage(() => compileFilter("regex_match(dns.rrname, '[a-')"))).toMatch(/pattern '\[a-' is invalid/);
    expect(usageMessage(() => compileFilter("regex_match(dns.rrname, '(a)\\\\1')"))).toMatch(/RE2 syntax: no backreferences/);
    expect(usageMessage(() => compileFilter("regex_match(dns.rrname, 'a', 'g')"))).toMatch(/flags may only contain/);
  });
});

describe("regex_match on attacker-chosen text", () => {
  // Each of these took 100-175 s on one 41-character DNS name with a backtracking engine (QA F3).
  it.each([
    // An empty repetition matches at the end of any string; the others need an 'a' (or '.com') before the end.
    ["(a|a)*$", true],
    ["(a|aa)+$", false],
    ["(.*a){25}$", false],
    ["((a+))+$", false],
    ["(a{1,30}){1,30}$", false],
    ["^(\\\\w|\\\\d)+\\\\.com$", false],
    ["(a+)+$", false],
  ] as const)(
    "answers %s in linear time, with the right result",
    (pattern, expected) => {
      const filter = compileFilter(`regex_match(dns.rrname, '${pattern}')`);
      const hostile = { dns: { rrname: `${"a".repeat(4000)}1111!` } };
      const started = performance.now();
      const result = filter.matches(hostile);
      // Generous bound for a loaded machine: a backtracking engine takes minutes here, RE2 milliseconds.
      expect(performance.now() - started).toBeLessThan(2000);
      expect(filter.errorCount).toBe(0);
      expect(result).toBe(expected);
    },
  );

  it("matches as a regex should", () => {
    expect(compileFilter("regex_match(dns.rrname, '^(\\\\w|\\\\d)+\\\\.com$')").matches({ dns: { rrname: "abc123.com" } })).toBe(true);
    expect(compileFilter("regex_match(dns.rrname, '^(\\\\w|\\\\d)+\\\\.com$')").matches({ dns: { rrname: "abc!.com" } })).toBe(false);
    expect(compileFilter("regex_match(tls.sni, 'GOOGLE', 'i')").matches({ tls: { sni: "www.google.com" } })).toBe(true);
    expect(compileFilter("regex_match(tls.sni, 'GOOGLE')").matches({ tls: { sni: "www.google.com" } })).toBe(false);
  });
});

describe("runtime errors", () => {
  it("are counted, not thrown, and the filter keeps working for later events", () => {
    const filter = compileFilter("abs(dns.rrname) > `1` || dest_port == `53`");
    expect(filter.matches({ dns: { rrname: "example.com" }, dest_port: 53 })).toBe(false);
    expect(filter.matches({ dns: { rrname: "example.org" } })).toBe(false);
    expect(filter.errorCount).toBe(2);
    expect(filter.lastError).toMatch(/abs\(\) expected argument 1 to be type \(number\) but received type string/);
    // A missing field is not an error; a number works.
    expect(filter.matches({ dest_port: 53 })).toBe(true);
    expect(filter.matches({ dns: { rrname: -5 } })).toBe(true);
    expect(filter.errorCount).toBe(2);
    expect(describeEvaluationErrors("the filter", filter)).toMatch(/^2 events failed the filter 'abs\(dns.rrname\) > `1` \|\| dest_port == `53`': Invalid type/);
  });

  it("make a projection return null", () => {
    const projection = compileProjection("{n: dns.rrname, size: abs(dns.rrname)}");
    expect(projection.project({ dns: { rrname: "a.example" } })).toBeNull();
    expect(projection.errorCount).toBe(1);
    expect(describeEvaluationErrors("--select", projection)).toMatch(/^1 event failed --select/);
    expect(describeEvaluationErrors("--select", compileProjection("a"))).toBeUndefined();
  });

  it("count undefined variables and wrong-typed CIDR arguments", () => {
    const filter = compileFilter("$nope == `1`");
    expect(filter.matches({})).toBe(false);
    expect(filter.errorCount).toBe(1);
    const cidr = compileFilter("cidr_match(src_ip, dest_ip)");
    expect(cidr.matches({ src_ip: "10.1.1.1", dest_ip: "10.0.0.0/8" })).toBe(true);
    expect(cidr.matches({ src_ip: "10.1.1.1", dest_ip: "not a net" })).toBe(false);
    expect(cidr.errorCount).toBe(1);
  });

  it("never throw on odd event values", () => {
    const filter = compileFilter("dns.rrname == 'x'");
    for (const value of [null, undefined, 42, "text", [1, 2], { dns: [] }, { dns: "x" }]) {
      expect(filter.matches(value)).toBe(false);
    }
  });
});

describe("helper functions", () => {
  it("lower and upper pass null through and still convert strings", () => {
    expect(compileProjection("lower(dns.rrname)").project({})).toBeNull();
    expect(compileProjection("upper(dns.rrname)").project({ dns: { rrname: "Example.COM" } })).toBe("EXAMPLE.COM");
    expect(compileProjection("lower(dns.rrname)").project({ dns: { rrname: "Example.COM" } })).toBe("example.com");
  });

  it("stay null-tolerant inside let expressions", () => {
    const projection = compileProjection("let $name = dns.rrname in lower($name)");
    expect(projection.project({})).toBeNull();
    expect(projection.project({ dns: { rrname: "A.Example" } })).toBe("a.example");
    expect(projection.errorCount).toBe(0);
  });

  it("keep the built-in string functions' behaviour", () => {
    const event = { tls: { sni: "www.google.com" }, tags: ["a", "b"] };
    expect(compileFilter("contains(tls.sni, 'google')").matches(event)).toBe(true);
    expect(compileFilter("contains(tags, 'b')").matches(event)).toBe(true);
    expect(compileFilter("starts_with(tls.sni, 'www.')").matches(event)).toBe(true);
    expect(compileFilter("ends_with(tls.sni, '.com')").matches(event)).toBe(true);
    expect(compileFilter("ends_with(tls.sni, '.org')").matches(event)).toBe(false);
    expect(compileProjection("length(tags)").project(event)).toBe(2);
    expect(compileProjection("length(dns.answers)").project(event)).toBeNull();
  });

  it("cidr_match returns false for anything that is not an address", () => {
    const filter = compileFilter("cidr_match(src_ip, '192.168.1.0/24')");
    expect(filter.matches({ src_ip: "192.168.1.77" })).toBe(true);
    expect(filter.matches({ src_ip: "192.168.2.77" })).toBe(false);
    for (const ip of [null, 42, "", "not-an-ip", "192.168.1", "fe80::1", ["192.168.1.1"]]) {
      expect(filter.matches({ src_ip: ip })).toBe(false);
    }
    expect(filter.errorCount).toBe(0);
    expect(compileFilter("cidr_match(dest_ip, '2a00:1450::/32')").matches({ dest_ip: "2a00:1450:4007:80e::2004" })).toBe(true);
  });

  it("regex_match tests a cached pattern, with optional flags, on at most the first 4096 characters", () => {
    const filter = compileFilter("regex_match(dns.rrname, '^[a-z0-9]{20,}\\.example$')");
    expect(filter.matches({ dns: { rrname: "abcdefghij0123456789xyz.example" } })).toBe(true);
    expect(filter.matches({ dns: { rrname: "short.example" } })).toBe(false);
    expect(filter.matches({})).toBe(false);
    expect(compileFilter("regex_match(http.http_user_agent, 'CURL', 'i')").matches({ http: { http_user_agent: "curl/8.5.0" } })).toBe(true);
    const long = compileFilter("regex_match(http.url, 'needle')");
    expect(long.matches({ http: { url: `/${"x".repeat(4000)}needle` } })).toBe(true);
    expect(long.matches({ http: { url: `/${"x".repeat(5000)}needle` } })).toBe(false);
    expect(long.errorCount).toBe(0);
  });

  it("does not change the library's shared interpreter", async () => {
    const jmespath = await import("@jmespath-community/jmespath");
    compileFilter("cidr_match(src_ip, '10.0.0.0/8')");
    expect(jmespath.isRegistered("cidr_match")).toBe(false);
    expect(() => jmespath.search({}, "lower(a)")).toThrow(/Invalid type/);
  });
});

describe("compileProjection", () => {
  const dnsQuery = SUREVEGO.find((e) => e.event_type === "dns")! as Fields;

  it("projects a field, and null when it is missing", () => {
    const projection = compileProjection("dns.rrname");
    expect(projection.project(dnsQuery)).toBe(dnsQuery.dns.rrname);
    expect(projection.project({ event_type: "flow" })).toBeNull();
  });

  it("builds objects from several fields", () => {
    const projection = compileProjection("{n: dns.rrname, t: dns.rrtype}");
    expect(projection.project(dnsQuery)).toEqual({ n: dnsQuery.dns.rrname, t: dnsQuery.dns.rrtype });
    expect(projection.project({})).toEqual({ n: null, t: null });
  });

  it("projects lists from v2 DNS answers", () => {
    const answer = ALL.find((e) => Array.isArray((e.dns as Fields | undefined)?.answers)) as Fields | undefined;
    if (answer === undefined) return;
    expect(compileProjection("dns.answers[].rdata").project(answer)).toEqual(answer.dns.answers.map((a: Fields) => a.rdata));
  });
});

describe("hot path", () => {
  it("evaluates a compiled filter without re-parsing (well over 100k events/s)", () => {
    const events = ALL.length > 0 ? ALL : [{}];
    const filter = compileFilter("event_type == 'dns' && cidr_match(src_ip, '192.168.0.0/16') || flow.bytes_toserver > `1000`");
    const rounds = Math.ceil(200_000 / events.length);
    const started = performance.now();
    let matched = 0;
    for (let r = 0; r < rounds; r++) for (const e of events) if (filter.matches(e)) matched++;
    const perSecond = (rounds * events.length) / ((performance.now() - started) / 1000);
    expect(matched).toBeGreaterThan(0);
    expect(perSecond).toBeGreaterThan(100_000);
  });
});

describe("field lookups see only the event's own keys", () => {
  it("does not reach Object.prototype (toString, constructor, __proto__)", () => {
    const event = JSON.parse('{"event_type":"dns","dns":{"rrname":"a.example"}}') as unknown;
    expect(compileFilter("toString", "--filter", true).matches(event)).toBe(false);
    expect(compileFilter("dns.constructor", "--filter", true).matches(event)).toBe(false);
    expect(compileProjection("__proto__").project(event)).toBeNull();
    expect(compileProjection("{t: toString, n: dns.rrname}").project(event)).toEqual({ t: null, n: "a.example" });
    // A key that really is in the event still works, whatever its name.
    const own = JSON.parse('{"toString":"yes","__proto__":{"x":1}}') as unknown;
    expect(compileFilter("toString == 'yes'", "--filter", true).matches(own)).toBe(true);
    expect(compileProjection("__proto__.x").project(own)).toBe(1);
  });
});
