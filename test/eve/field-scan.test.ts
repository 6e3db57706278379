import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeEvent } from "../../src/eve/event.js";
import { FieldScanner, type FieldPlan } from "../../src/eve/field-scan.js";
import { TOP_FIELDS, topKeysOf } from "../../src/eve/top.js";
import { DACHOA, FIXTURES, hasDachoa, readLines } from "./fixtures.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const top = new FieldScanner(TOP_FIELDS);

/** What a FieldScanner must build: the plan's fields of JSON.parse's object. */
function plannedOf(event: Record<string, unknown>, plan: FieldPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, want] of Object.entries(plan)) {
    if (!Object.hasOwn(event, key)) continue;
    const value = event[key];
    if (want === true || typeof value !== "object" || value === null || Array.isArray(value)) {
      out[key] = value;
      continue;
    }
    const members: Record<string, unknown> = {};
    for (const m of want) if (Object.hasOwn(value, m)) members[m] = (value as Record<string, unknown>)[m];
    out[key] = members;
  }
  return out;
}

/** The scan's answer checked against JSON.parse: it may decline, but what it builds must be what JSON.parse reads. */
function expectFaithful(payload: Uint8Array, plan: FieldPlan = TOP_FIELDS, scanner = top): "built" | "declined" {
  const fields = scanner.scan(payload);
  if (fields === undefined) return "declined";
  const decoded = decodeEvent(payload);
  expect(decoded.ok, `scan accepted what JSON.parse refuses: ${new TextDecoder().decode(payload)}`).toBe(true);
  if (decoded.ok) expect(fields).toStrictEqual(plannedOf(decoded.event, plan));
  return "built";
}

const sampleFiles = [
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .map((f) => FIXTURES + f),
  ...(hasDachoa ? [DACHOA] : []),
];
const sampleLines = sampleFiles.flatMap((f) => readLines(f));

describe("FieldScanner on real Suricata events", () => {
  it("builds every sample event's planned fields as JSON.parse reads them, and the same top-N keys", () => {
    expect(sampleLines.length).toBeGreaterThan(400);
    for (const line of sampleLines) {
      const payload = bytes(line);
      expect(expectFaithful(payload), line).toBe("built");
      const decoded = decodeEvent(payload);
      if (decoded.ok) expect(topKeysOf(top.scan(payload)!)).toStrictEqual(topKeysOf(decoded.event));
    }
  });

  it("never accepts what JSON.parse refuses: every sample cut short, and with bytes changed, dropped or added", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // Bytes that move a JSON parser between states.
    const pokes = bytes('{}[]":,\\ -+.0123456789eEtfnulrsa\t\n\x00\x1f\x7f\xc3\xa9\xff/ubx');
    let declined = 0;
    let built = 0;
    for (const line of sampleLines) {
      const payload = bytes(line);
      for (const cut of [1, 2, payload.length >> 1, payload.length - 1]) {
        if (expectFaithful(payload.subarray(0, payload.length - cut)) === "declined") declined++;
      }
      for (let round = 0; round < 30; round++) {
        const at = random(payload.length);
        const poke = pokes[random(pokes.length)]!;
        const kind = random(3);
        const mutated =
          kind === 0
            ? Uint8Array.from(payload, (b, i) => (i === at ? poke : b))
            : kind === 1
              ? new Uint8Array([...payload.subarray(0, at), ...payload.subarray(at + 1)])
              : new Uint8Array([...payload.subarray(0, at), poke, ...payload.subarray(at)]);
        if (expectFaithful(mutated) === "declined") declined++;
        else built++;
      }
    }
    // Both sides were exercised: many mutants are still JSON (a changed letter in a string), many are not.
    expect(declined).toBeGreaterThan(1000);
    expect(built).toBeGreaterThan(1000);
  });
});

describe("FieldScanner, JSON's grammar", () => {
  it.each([
    "",
    "   ",
    "[]",
    '"dns"',
    "null",
    "{",
    "{}x",
    '{"a":1,}',
    "{,}",
    '{"a" 1}',
    '{"a":1 "b":2}',
    "{'a':1}",
    '{"a":01}',
    '{"a":1.}',
    '{"a":.5}',
    '{"a":-}',
    '{"a":+1}',
    '{"a":1e}',
    '{"a":1e+}',
    '{"a":0x10}',
    '{"a":tru}',
    '{"a":nul}',
    '{"a":True}',
    '{"a":NaN}',
    '{"a":"\x01"}',
    '{"a":"tab\there"}',
    '{"a":"\\q"}',
    '{"a":"\\u12G4"}',
    '{"a":"\\u12"}',
    '{"a":"open}',
    '{"a":[1,]}',
    '{"a":[,1]}',
    '{"a":{"b":1,}}',
    '{"a":{"b"}}',
    '{"a":[1}',
    '{"a":{"b":1]}',
    '{"event_type":"dns"}}',
    '{"a":1}\x00',
    '{"a":\u00a01}',
  ])("declines %j, which JSON.parse refuses too", (text) => {
    expect(decodeEvent(bytes(text)).ok).toBe(false);
    expect(top.scan(bytes(text))).toBeUndefined();
  });

  it.each([
    "{}",
    ' \n\t{ } \r\n',
    '{"a":[]}',
    '{"a":{}}',
    '{"a":[{},[],[[{"b":[]}]]]}',
    '{"a":-0,"b":0.5e-3,"c":1E+9,"d":-12.25,"e":1e400}',
    '{"a":true,"b":false,"c":null}',
    '{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud800"}',
    '{"a":"\x7f é ≠ 𝄞"}',
  ])("builds %j (valid JSON) as JSON.parse reads it", (text) => {
    expect(expectFaithful(bytes(text))).toBe("built");
  });

  it("leaves nesting deeper than any event to JSON.parse", () => {
    const deep = `{"a":${"[".repeat(200)}${"]".repeat(200)}}`;
    expect(decodeEvent(bytes(deep)).ok).toBe(true);
    expect(top.scan(bytes(deep))).toBeUndefined();
  });
});

describe("FieldScanner, what it builds", () => {
  it("keeps the last of a repeated member, as JSON.parse does, at the top and inside a planned object", () => {
    const text = '{"dns":{"rrname":"first","type":"query"},"event_type":"x","dns":{"rrname":"a","rrname":"b"},"event_type":"dns"}';
    expect(top.scan(bytes(text))).toStrictEqual({ event_type: "dns", dns: { rrname: "b" } });
    expect(expectFaithful(bytes(text))).toBe("built");
  });

  it("reads escaped member names as the names they spell", () => {
    const text = '{"\\u0065vent_type":"dns","d\\u006es":{"type":"query","rr\\u006eame":"x.example"}}';
    expect(top.scan(bytes(text))).toStrictEqual({ event_type: "dns", dns: { type: "query", rrname: "x.example" } });
  });

  it("builds a planned object's value whole when it is not an object, and leaves out what is absent", () => {
    expect(top.scan(bytes('{"dns":"text","tls":[{"sni":"a"}],"flow":null,"alert":7}'))).toStrictEqual({
      dns: "text",
      tls: [{ sni: "a" }],
      flow: null,
      alert: 7,
    });
    expect(top.scan(bytes('{"src_ip":"10.0.0.1","other":{"dns":{"rrname":"nested"}}}'))).toStrictEqual({ src_ip: "10.0.0.1" });
  });

  it("decodes strings as decodeEvent does: escapes, invalid UTF-8 as U+FFFD, attacker text kept raw for the caller to escape", () => {
    const raw = new Uint8Array([
      ...bytes('{"event_type":"dns","dns":{"type":"query","rrname":"a\\u001b[31m\\u202e'),
      0xff,
      0xc3,
      ...bytes('.example"}}'),
    ]);
    expect(expectFaithful(raw)).toBe("built");
    expect((top.scan(raw)!.dns as { rrname: string }).rrname).toBe("a\u001b[31m\u202e\ufffd\ufffd.example");
  });

  it("refuses a plan key it could not match on bytes", () => {
    expect(() => new FieldScanner({ 'a"b': true })).toThrow(/printable ASCII/);
    expect(() => new FieldScanner({ dns: ["é"] })).toThrow(/printable ASCII/);
  });

  it("scans payloads that are views into a larger buffer (as nats.js hands them over)", () => {
    const buffer = Buffer.from('xx{"event_type":"tls","tls":{"sni":"s.example"}}yy');
    expect(top.scan(buffer.subarray(2, buffer.length - 2))).toStrictEqual({ event_type: "tls", tls: { sni: "s.example" } });
  });
});
