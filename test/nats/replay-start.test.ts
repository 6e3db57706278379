import { describe, expect, it } from "vitest";
import { parseStartTime, replayStartOf } from "../../src/nats/replay-start.js";
import { usageMessage } from "./usage.js";

describe("parseStartTime", () => {
  it("takes a duration ago or an RFC 3339 time", () => {
    const now = Date.parse("2024-05-01T12:00:00Z");
    expect(parseStartTime("1h", "--since", now).toISOString()).toBe("2024-05-01T11:00:00.000Z");
    expect(parseStartTime("2024-04-30T10:00:00Z", "--since", now).toISOString()).toBe("2024-04-30T10:00:00.000Z");
    expect(usageMessage(() => parseStartTime("yesterday", "--since", now))).toMatch(/--since 'yesterday'.*RFC 3339/);
    expect(usageMessage(() => parseStartTime("2024-13-45", "--since", now))).toMatch(/--since/);
  });
});

describe("replayStartOf", () => {
  it("is live without a start flag, and one start for each flag", () => {
    expect(replayStartOf({})).toBeUndefined();
    expect(replayStartOf({ all: false })).toBeUndefined();
    expect(replayStartOf({ all: true })).toEqual({ kind: "all" });
    expect(replayStartOf({ last: "1,000" })).toEqual({ kind: "last", count: 1000 });
    expect(replayStartOf({ seq: "42" })).toEqual({ kind: "seq", seq: 42 });
    expect(replayStartOf({ since: "2024-04-30T10:00:00Z" })).toEqual({ kind: "time", time: new Date("2024-04-30T10:00:00Z") });
    const before = Date.now();
    const start = replayStartOf({ since: "10m" });
    expect(start?.kind).toBe("time");
    const ago = before - (start as { time: Date }).time.getTime();
    expect(ago).toBeGreaterThanOrEqual(600_000 - 1_000);
    expect(ago).toBeLessThanOrEqual(600_000);
  });

  it("takes one start only, and sequences from 1", () => {
    expect(usageMessage(() => replayStartOf({ last: "3", all: true }))).toMatch(/--last and --all both say where to start/);
    expect(usageMessage(() => replayStartOf({ since: "1h", seq: "5" }))).toMatch(/--since and --seq/);
    expect(usageMessage(() => replayStartOf({ seq: "0" }))).toMatch(/invalid --seq '0': stream sequences start at 1/);
    expect(usageMessage(() => replayStartOf({ last: "many" }))).toMatch(/invalid --last 'many'/);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(usageMessage(() => replayStartOf({ since: "2062-01-01" }))).toMatch(/invalid --since '2062-01-01': 2062-01-01T00:00:00.000Z is in the future/);
    expect(usageMessage(() => replayStartOf({ since: future }))).toMatch(/is in the future, so nothing would be shown until then/);
    // A minute ahead is taken: the server's clock may be ahead of this one.
    expect(replayStartOf({ since: new Date(Date.now() + 60_000).toISOString() })?.kind).toBe("time");
  });
});
