import { describe, expect, it } from "vitest";
import { likelyEventTypes } from "../../src/eve/fields.js";

describe("likelyEventTypes", () => {
  it("names the event type a misspelt or miscased word was meant to be", () => {
    expect(likelyEventTypes("dsn")).toEqual(["dns"]);
    expect(likelyEventTypes("alerts")).toEqual(["alert"]);
    expect(likelyEventTypes("DNS")).toEqual(["dns"]);
    expect(likelyEventTypes("fielinfo")).toEqual(["fileinfo"]);
    expect(likelyEventTypes("htp")).toEqual(["ftp", "http"]);
  });

  it("says nothing of a known type or of a word far from every type (a custom event type)", () => {
    expect(likelyEventTypes("dns")).toEqual([]);
    expect(likelyEventTypes("stats")).toEqual([]);
    expect(likelyEventTypes("my_custom_parser")).toEqual([]);
    expect(likelyEventTypes("zeek")).toEqual([]);
  });
});
