import { describe, expect, it } from "vitest";
import { likelyEventTypes, misspeltTypeNotes } from "../../src/eve/fields.js";

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

describe("misspeltTypeNotes", () => {
  it("one note per word that looks like a misspelt type; full subjects, wildcards and real or custom types get none", () => {
    expect(misspeltTypeNotes(["dsn", "tls", "sensor2.dsn", "*", "my_custom_parser", "DNS"], "ids")).toEqual([
      "'dsn' is not an event type Suricata writes: did you mean dns? (reading ids.dsn as asked)",
      "'DNS' is not an event type Suricata writes: did you mean dns? (reading ids.DNS as asked)",
    ]);
  });
});
