import { describe, expect, it } from "vitest";
import { Exposition, Histogram, escapeLabelValue, formatSampleValue } from "../../src/metrics/exposition.js";
import { parseListenAddress } from "../../src/metrics/http.js";
import { parseExposition, valueOf } from "../helpers/prometheus.js";

describe("exposition format", () => {
  it("escapes label values per the format, after making control and bidi characters visible", () => {
    expect(escapeLabelValue('a"b\\c')).toBe('a\\"b\\\\c');
    // A newline is made visible by the sanitiser first: it never reaches the text as a line break.
    expect(escapeLabelValue("x\ny")).toBe("x\\\\x0Ay");
    expect(escapeLabelValue("\u001b[31mred\u202e")).toBe("\\\\x1B[31mred\\\\u202E");
    expect(escapeLabelValue("s".repeat(500)).length).toBeLessThan(140);
  });

  it("round-trips hostile sensor names through a strict parser, one series each", () => {
    const names = ['pi"garage', "back\\slash", "new\nline", "\u001b]0;title\u0007", "}{,=", "日本語センサー"];
    const out = new Exposition().samples(
      "nsm4home_test_packets_total",
      "counter",
      "Packets.\nSecond line with a \\ backslash.",
      names.map((n, i) => [{ sensor: n }, i] as const),
    );
    const families = parseExposition(out.text());
    const f = families.get("nsm4home_test_packets_total")!;
    expect(f.type).toBe("counter");
    expect(f.help).toBe("Packets.\nSecond line with a \\ backslash.");
    expect(f.series).toHaveLength(names.length);
    expect(valueOf(families, "nsm4home_test_packets_total", { sensor: 'pi"garage' })).toBe(0);
    expect(valueOf(families, "nsm4home_test_packets_total", { sensor: "back\\slash" })).toBe(1);
    expect(valueOf(families, "nsm4home_test_packets_total", { sensor: "}{,=" })).toBe(4);
    expect(valueOf(families, "nsm4home_test_packets_total", { sensor: "日本語センサー" })).toBe(5);
    for (const s of f.series) expect(s.labels.sensor).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it("writes cumulative histograms with +Inf, _sum and _count", () => {
    const h = new Histogram([0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 2, 3]) h.observe(v);
    const text = new Exposition().histogram("nsm4home_test_latency_seconds", "Latency.", [[undefined, h]]).text();
    const families = parseExposition(text);
    expect(valueOf(families, "nsm4home_test_latency_seconds_bucket", { le: "0.1" })).toBe(2);
    expect(valueOf(families, "nsm4home_test_latency_seconds_bucket", { le: "1" })).toBe(3);
    expect(valueOf(families, "nsm4home_test_latency_seconds_bucket", { le: "+Inf" })).toBe(5);
    expect(valueOf(families, "nsm4home_test_latency_seconds_count")).toBe(5);
    expect(valueOf(families, "nsm4home_test_latency_seconds_sum")).toBeCloseTo(5.65);
  });

  it("spells out special values; refuses a family declared twice", () => {
    expect([NaN, Infinity, -Infinity, 1.5, 3].map(formatSampleValue)).toEqual(["NaN", "+Inf", "-Inf", "1.5", "3"]);
    const out = new Exposition().family("a_total", "counter", "x");
    expect(() => out.family("a_total", "counter", "x")).toThrow(/twice/);
  });

  it("the test parser is strict: it rejects what Prometheus would", () => {
    expect(() => parseExposition('a{b="c} 1\n')).toThrow();
    expect(() => parseExposition('a{b="\\t"} 1\n')).toThrow(/bad escape/);
    expect(() => parseExposition("a 1\nb 1\na 2\n")).toThrow();
    expect(() => parseExposition("# TYPE a counter\na 1\n")).toThrow(/_total/);
    expect(() => parseExposition("a 1")).toThrow(/newline/);
    expect(() => parseExposition("a one\n")).toThrow(/value/);
    expect(() => parseExposition('# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n')).toThrow(/cumulative/);
  });
});

describe("--metrics address", () => {
  it("takes HOST:PORT and bracketed IPv6; refuses the rest with a usage error", () => {
    expect(parseListenAddress("127.0.0.1:9464", "--metrics")).toEqual({ host: "127.0.0.1", port: 9464 });
    expect(parseListenAddress("[::1]:0", "--metrics")).toEqual({ host: "::1", port: 0 });
    expect(parseListenAddress("localhost:9464", "--metrics")).toEqual({ host: "localhost", port: 9464 });
    for (const bad of ["9464", "127.0.0.1", "127.0.0.1:99999", "http://127.0.0.1:9464", "::1:9464", "host:port"]) {
      expect(() => parseListenAddress(bad, "--metrics")).toThrow(/invalid --metrics .*HOST:PORT/);
    }
  });
});
