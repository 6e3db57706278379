import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { EVE_FIELD_NAMES, EVE_TOP_LEVEL_FIELDS } from "../../src/eve/fields.js";
import { compileFilter, compilePaneFilter } from "../../src/filter/index.js";
import { DACHOA, FIXTURES, hasDachoa, readEvents } from "../eve/fixtures.js";

const ALL = [
  ...readEvents(`${FIXTURES}surevego-2017-multi.eve.json`),
  ...readEvents(`${FIXTURES}wrccdc2018-alerts.eve.json`),
  ...(hasDachoa ? readEvents(DACHOA) : []),
];

function usageMessage(expression: string): string {
  try {
    compileFilter(expression);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`expected '${expression}' to be refused`);
}

function count(expression: string, unsafe = false): number {
  const filter = compileFilter(expression, "--filter", unsafe);
  return ALL.filter((e) => filter.matches(e)).length;
}

function keysOf(value: unknown, depth: number, top: Set<string>, all: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => keysOf(v, depth, top, all));
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (depth === 0) top.add(key);
    all.add(key);
    // Below stats and vars the keys are counters and flowbit names, not fields anyone compares with a word.
    if (key !== "stats" && key !== "vars") keysOf(child, depth + 1, top, all);
  }
}

describe("EVE field names", () => {
  it("know every field the real samples use", () => {
    const top = new Set<string>();
    const all = new Set<string>();
    for (const event of ALL) keysOf(event, 0, top, all);
    expect([...top].filter((k) => !EVE_TOP_LEVEL_FIELDS.has(k))).toEqual([]);
    expect([...all].filter((k) => !EVE_FIELD_NAMES.has(k) && !/^(ET|http|tls|smtp)\./.test(k))).toEqual([]);
  });
});

describe("filters that cannot mean what was typed", () => {
  it("refuses '=' where '==' was meant, naming the column; unsafe runs it and matches everything", () => {
    expect(usageMessage("dns.type = 'query'")).toBe(
      "invalid --filter 'dns.type = 'query'': at column 10, '=' is not a comparison (it binds a variable): write '==' to compare (--filter-unsafe runs it as written)",
    );
    expect(usageMessage("event_type == 'dns' && dns.rcode = 'NXDOMAIN'")).toMatch(/at column 34, '=' is not a comparison/);
    // What the check prevents: the binding's value is the literal, so every event matched.
    expect(count("dns.type = 'query'", true)).toBe(ALL.length);
  });

  it("refuses a bare word compared as if it were text, and says to quote it", () => {
    expect(usageMessage("dns.type == query")).toMatch(/at column 13, query unquoted is a field name, and no EVE event has that field: write 'query' to compare with text/);
    expect(usageMessage("query == dns.type")).toMatch(/at column 1, query unquoted/);
    expect(usageMessage("event_type == dns")).toMatch(/at column 15, dns unquoted is the field 'dns', not the text: write 'dns'/);
    expect(usageMessage('dns.rrtype == "AAAA"')).toMatch(/"AAAA" in double quotes is a field name/);
    expect(usageMessage("flow.alerted == true")).toMatch(/true unquoted is a field name: write `true`/);
    expect(usageMessage("alert.severity <= 2")).toMatch(/at column 19, a number is written in backticks: `2`/);
    expect(usageMessage("dns.answers[?rrtype == CNAMEX]")).toMatch(/CNAMEX unquoted/);
    // What the check prevents: null == null matched every event without a dns.type.
    expect(count("dns.type == query", true)).toBe(ALL.filter((e) => (e.dns as { type?: unknown } | undefined)?.type === undefined).length);
  });

  it("refuses a quote never closed (the library took it as closed), even with --filter-unsafe; escaped quotes are fine", () => {
    expect(usageMessage("dns.rrname == 'evil.com")).toBe("invalid --filter 'dns.rrname == 'evil.com': the ' here is never closed at column 15");
    expect(usageMessage("alert.severity <= `2")).toMatch(/the ` here is never closed at column 19/);
    expect(() => compileFilter("dns.rrname == 'evil.com", "--filter", true)).toThrow(/never closed/);
    expect(count("dns.rrname == 'it\\'s' || http.http_user_agent == 'a`b'")).toBe(0);
    expect(count("contains(dns.rrname, '\\\\') || dns.rrname == `\"a\\`b\"`")).toBe(0);
  });

  it("refuses a value where a condition was meant, with the condition to write", () => {
    expect(usageMessage("dns.rrname")).toMatch(/the filter must be a condition, and dns.rrname is a value: write 'dns.rrname != null'/);
    expect(usageMessage("event_type == 'dns' && dns.rrname")).toMatch(/each side of && and \|\| must be a condition, and dns.rrname is a value/);
    expect(usageMessage("dns.answers[?rrtype == 'A']")).toMatch(/gives a list: wrap it as 'length\(...\) > `0`'/);
    expect(usageMessage("lower(dns.rrname)")).toMatch(/must be a condition: compare the value/);
  });

  it("keeps every legitimate filter working on the real samples", () => {
    const legit: [string, (e: Record<string, any>) => boolean][] = [
      ["alert.severity <= `2`", (e) => typeof e.alert?.severity === "number" && e.alert.severity <= 2],
      ["contains(dns.rrname, 'google')", (e) => typeof e.dns?.rrname === "string" && e.dns.rrname.includes("google")],
      ["event_type == 'dns' && dns.rcode == 'NXDOMAIN'", (e) => e.event_type === "dns" && e.dns?.rcode === "NXDOMAIN"],
      ["cidr_match(src_ip, '192.168.0.0/16')", (e) => typeof e.src_ip === "string" && e.src_ip.startsWith("192.168.")],
      ["length(dns.answers) > `0`", (e) => Array.isArray(e.dns?.answers) && e.dns.answers.length > 0],
      ["src_ip == dest_ip || !(flow.alerted)", (e) => e.src_ip === e.dest_ip || !e.flow?.alerted],
      ["event_type == 'alert' && (alert.category == 'Attempted Administrator Privilege Gain' || tls.sni != null)", (e) => e.event_type === "alert" && (e.alert.category === "Attempted Administrator Privilege Gain" || e.tls?.sni != null)],
      ["length(dns.answers[?rrtype == 'A']) > `0`", (e) => (e.dns?.answers ?? []).some((a: any) => a.rrtype === "A")],
      ["let $t = 'dns' in event_type == $t", (e) => e.event_type === "dns"],
      ["app_proto == 'tls' && tls.sni != null", (e) => e.app_proto === "tls" && e.tls?.sni != null],
      ["regex_match(http.hostname, '^[0-9.]+$')", (e) => typeof e.http?.hostname === "string" && /^[0-9.]+$/.test(e.http.hostname)],
    ];
    for (const [expression, expected] of legit) {
      const want = ALL.filter(expected).length;
      expect({ expression, matched: count(expression) }).toEqual({ expression, matched: want });
    }
    expect(count("alert.severity <= `2`")).toBeGreaterThan(0);
    expect(count("length(dns.answers) > `0`")).toBeGreaterThan(0);
  });
});

describe("the dashboard's filter box", () => {
  it("shows the typo inline and falls back to a text search", () => {
    const typo = compilePaneFilter("dns.type = 'query'");
    expect(typo.kind).toBe("text");
    expect(typo.parseError).toMatch(/^invalid filter 'dns.type = 'query'': at column 10, '=' is not a comparison/);
    expect(typo.parseError).not.toContain("--filter-unsafe");
    expect(compilePaneFilter("event_type == dns").parseError).toMatch(/dns unquoted is the field 'dns'/);
  });

  it("still reads a bare dotted name as field-or-text, and conditions as JMESPath", () => {
    expect(compilePaneFilter("tls.sni").kind).toBe("path-or-text");
    expect(compilePaneFilter("google.com").kind).toBe("path-or-text");
    const condition = compilePaneFilter("alert.severity <= `2`");
    expect(condition.kind).toBe("jmespath");
    expect(condition.parseError).toBeUndefined();
  });
});
