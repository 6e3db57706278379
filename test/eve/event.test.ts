import { describe, expect, it } from "vitest";
import { decodeEvent } from "../../src/eve/event.js";

describe("decodeEvent", () => {
  it("decodes an event object from bytes and keeps the raw text", () => {
    const text = '{"event_type":"dns","src_ip":"10.0.0.1","dns":{"rrname":"example.com"}}';
    const decoded = decodeEvent(new TextEncoder().encode(text));
    expect(decoded).toEqual({
      ok: true,
      raw: text,
      event: { event_type: "dns", src_ip: "10.0.0.1", dns: { rrname: "example.com" } },
    });
  });

  it("decodes from a string too", () => {
    const decoded = decodeEvent('{"event_type":"flow"}');
    expect(decoded.ok && decoded.event.event_type).toBe("flow");
  });

  it("reports text that is not JSON", () => {
    expect(decodeEvent("hello {")).toEqual({ ok: false, raw: "hello {", reason: "not JSON" });
  });

  it("reports JSON that is not an object", () => {
    expect(decodeEvent("[1,2]")).toMatchObject({ ok: false, reason: "JSON array, not an event object" });
    expect(decodeEvent("null")).toMatchObject({ ok: false, reason: "JSON null, not an event object" });
    expect(decodeEvent('"x"')).toMatchObject({ ok: false, reason: "JSON string, not an event object" });
    expect(decodeEvent("42")).toMatchObject({ ok: false, reason: "JSON number, not an event object" });
  });

  it("reports an empty payload", () => {
    expect(decodeEvent(new Uint8Array())).toMatchObject({ ok: false, reason: "empty" });
  });

  it("keeps going on invalid UTF-8 (replacement characters)", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"a":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const decoded = decodeEvent(bytes);
    expect(decoded.ok && decoded.event["a"]).toBe("\uFFFD\uFFFD");
  });

  it("does not let a __proto__ key change the event's prototype", () => {
    const decoded = decodeEvent('{"__proto__":{"polluted":true},"event_type":"x"}');
    expect(decoded.ok).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    if (decoded.ok) expect(Object.getPrototypeOf(decoded.event)).toBe(Object.prototype);
  });
});
