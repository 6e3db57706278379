import { describe, expect, it } from "vitest";
import { topKeysOf, topKindOf } from "../../src/eve/top.js";
import { DACHOA, FIXTURES, hasDachoa, readEvents } from "./fixtures.js";
import { readdirSync } from "node:fs";

describe("topKeysOf", () => {
  it("counts queried names in all three DNS formats and not answers", () => {
    expect(topKeysOf({ event_type: "dns", dns: { type: "query", rrname: "a.example" } })).toEqual([{ key: "a.example", weight: 1 }]);
    expect(topKeysOf({ event_type: "dns", dns: { version: 2, type: "answer", rrname: "a.example" } })).toEqual([]);
    expect(
      topKeysOf({ event_type: "dns", dns: { version: 3, type: "request", queries: [{ rrname: "b.example" }, { rrname: "c.example" }] } }),
    ).toEqual([
      { key: "b.example", weight: 1 },
      { key: "c.example", weight: 1 },
    ]);
    expect(topKeysOf({ event_type: "dns", dns: { type: "response", queries: [{ rrname: "b.example" }] } })).toEqual([]);
  });

  it("ranks flows' talkers by bytes both ways, crediting both ends", () => {
    const keys = topKeysOf({ event_type: "flow", src_ip: "10.0.0.2", dest_ip: "1.1.1.1", flow: { bytes_toserver: 100, bytes_toclient: "900" } });
    expect(keys).toEqual([
      { key: "10.0.0.2", weight: 1000 },
      { key: "1.1.1.1", weight: 1000 },
    ]);
  });

  it("takes SNIs, signatures and HTTP hosts, and nothing from missing or odd fields", () => {
    expect(topKeysOf({ event_type: "tls", tls: { sni: "x.example" } })).toEqual([{ key: "x.example", weight: 1 }]);
    expect(topKeysOf({ event_type: "alert", alert: { signature: "ET SCAN" } })).toEqual([{ key: "ET SCAN", weight: 1 }]);
    expect(topKeysOf({ event_type: "http", http: { hostname: "h.example" } })).toEqual([{ key: "h.example", weight: 1 }]);
    expect(topKeysOf({ event_type: "tls", tls: { sni: 42 } })).toEqual([]);
    expect(topKeysOf({ event_type: "tls", tls: [] })).toEqual([]);
    expect(topKeysOf({ event_type: "stats" })).toEqual([]);
    expect(topKindOf("flow")).toEqual({ title: "top talkers by bytes", unit: "bytes" });
    expect(topKindOf("stats")).toBeUndefined();
  });

  it("never throws on the real samples", () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).map((f) => `${FIXTURES}${f}`);
    if (hasDachoa) files.push(DACHOA);
    let keys = 0;
    for (const file of files) for (const event of readEvents(file)) keys += topKeysOf(event).length;
    expect(keys).toBeGreaterThan(100);
  });
});
