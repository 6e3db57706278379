import { describe, expect, it } from "vitest";
import { parseWindowFlags } from "../../src/investigate/window.js";

const now = Date.parse("2026-03-01T12:00:00Z");
const event = Date.parse("2017-01-30T15:12:27Z");
const MIN = 60_000;

describe("the investigation window", () => {
  it("around the event's time without --since/--until; --since alone ends now, even with an event long ago", () => {
    expect(parseWindowFlags({ around: "10m" }, event, now)).toEqual({ sinceMs: event - 10 * MIN, untilMs: event + 10 * MIN });
    expect(parseWindowFlags({ around: "10m", since: "1h" }, event, now)).toEqual({ sinceMs: now - 60 * MIN, untilMs: now });
    expect(parseWindowFlags({ around: "10m", since: "1h" }, undefined, now)).toEqual({ sinceMs: now - 60 * MIN, untilMs: now });
  });

  it("an empty window names only the flags given, and the default used", () => {
    expect(() => parseWindowFlags({ around: "10m", since: "5m", until: "1h" }, event, now)).toThrow("--until must be later than --since");
    expect(() => parseWindowFlags({ around: "10m", since: "2999-01-01T00:00:00Z" }, event, now)).toThrow(
      "--since is later than now, where the window ends without --until",
    );
    expect(() => parseWindowFlags({ around: "10m", until: "2017-01-01T00:00:00Z" }, event, now)).toThrow(
      "--until is earlier than where the window starts without --since (the event's time - --around 10m)",
    );
    expect(() => parseWindowFlags({ around: "10m", until: "2h" }, undefined, now)).toThrow("(now - --around 10m)");
  });
});
