import { describe, expect, it } from "vitest";
import { formatBytes, formatBytesPair, formatCount } from "../../src/text/units.js";

describe("formatCount", () => {
  it("groups thousands with commas, rounds, and says unlimited for negatives where asked", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(-1234)).toBe("-1,234");
    expect(formatCount(1234.5)).toBe("1,235");
    expect(formatCount(-1, true)).toBe("unlimited");
    expect(formatCount(-1)).toBe("-1");
  });

  it("prints numbers past any 64-bit counter in exponent form: an event's 1e308 is not a line of 400 digits", () => {
    expect(formatCount(1e308)).toBe("1.00e+308");
    expect(formatCount(-1e21)).toBe("-1.00e+21");
    expect(formatCount(Number.MAX_VALUE)).toBe("1.80e+308");
    expect(formatCount(2 ** 64)).toBe("18,446,744,073,709,552,000");
  });

  it("prints what toLocaleString('en-US') prints below that, edge values included", () => {
    const values = [
      -0, -0.4, 0.4, 0.5, -0.5, 1.5, -1.5, 99.5, 999.5, -999.5, 1e15, 1e21 - 2 ** 17, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53),
      Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity,
    ];
    for (let digits = 1; digits <= 16; digits++) {
      const n = 10 ** (digits - 1);
      values.push(n, n - 1, -n, 7 * n + 3, -(7 * n + 3));
    }
    for (let i = 0; i < 2000; i++) values.push(Math.round((i * 7919) ** 1.7) * (i % 2 === 0 ? 1 : -1));
    for (const n of values) expect(formatCount(n), String(n)).toBe(Math.round(n).toLocaleString("en-US"));
  });
});

describe("formatBytes", () => {
  it("steps through the binary units up to EiB", () => {
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1024 ** 5)).toBe("1 PiB");
    expect(formatBytes(2 ** 64)).toBe("16 EiB");
    expect(formatBytes(-2048)).toBe("-2 KiB");
  });

  it("a size that rounds up to 1024 of a unit is 1 of the next (1,048,546 bytes is 1 MiB, not 1024 KiB)", () => {
    expect(formatBytes(1_048_546)).toBe("1 MiB");
    expect(formatBytes(1_048_063)).toBe("1023 KiB");
    expect(formatBytes(1024 ** 3 - 1)).toBe("1 GiB");
  });

  it("gives no digits to amounts past any 64-bit counter (an event can claim 1e308 bytes; two such sum to Infinity)", () => {
    expect(formatBytes(1e308)).toBe(">16 EiB");
    expect(formatBytes(1e308 * 10)).toBe(">16 EiB");
    expect(formatBytes(-Infinity)).toBe("->16 EiB");
    expect(formatBytes(Number.NaN)).toBe("? B");
  });
});

describe("formatBytesPair", () => {
  it("gives exact bytes when rounding would hide the difference, else the rounded units", () => {
    expect(formatBytesPair(1024 * 1024 + 10, 1024 * 1024)).toEqual(["1,048,586 bytes", "1,048,576 bytes"]);
    // Just under: "1 MiB" against "1 MiB" too.
    expect(formatBytesPair(1024 * 1024 - 30, 1024 * 1024)).toEqual(["1,048,546 bytes", "1,048,576 bytes"]);
    expect(formatBytesPair(1600, 1024 * 1024)).toEqual(["1.6 KiB", "1 MiB"]);
    expect(formatBytesPair(8 * 1024 * 1024, 1024 * 1024)).toEqual(["8 MiB", "1 MiB"]);
    expect(formatBytesPair(1024 * 1024, 1024 * 1024)).toEqual(["1 MiB", "1 MiB"]);
  });
});
