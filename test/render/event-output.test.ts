import { headers as natsHeaders } from "@nats-io/nats-core";
import { describe, expect, it } from "vitest";
import { EventOutput, formatOutputSummary, type EventOutputOptions, type OutputMessage } from "../../src/render/event-output.js";
import { compileFilter, compileProjection } from "../../src/filter/index.js";

const dnsEvent = { timestamp: "2024-05-01T12:00:00.250000+0000", event_type: "dns", dns: { type: "query", rrname: "example.com", rrtype: "A" } };
const encode = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

function run(options: Partial<EventOutputOptions>, messages: OutputMessage[]) {
  const lines: string[] = [];
  const output = new EventOutput(
    { writeLine: (l) => lines.push(l), writeBytesLine: (b) => lines.push(`bytes:${new TextDecoder().decode(b)}`) },
    { mode: "pretty", color: false, timestamps: "utc", toTerminal: false, ...options },
  );
  const shown = messages.map((m) => output.write(m));
  return { lines, counts: output.counts, shown };
}

function withHeaders(pairs: Array<[string, string]>) {
  const h = natsHeaders();
  for (const [k, v] of pairs) h.append(k, v);
  return h;
}

describe("EventOutput", () => {
  it("prints the event itself for json (as tail --json) and where it is, with headers, for envelope", () => {
    const m: OutputMessage = { subject: "suricata.dns", data: encode(dnsEvent), seq: 7, time: new Date(Date.UTC(2024, 4, 1, 12)), headers: withHeaders([["Nats-Msg-Id", "abc"]]) };
    expect(JSON.parse(run({ mode: "json" }, [m]).lines[0]!)).toEqual(dnsEvent);
    expect(JSON.parse(run({ mode: "envelope", envelopeExtra: { stream: "suricata" } }, [m]).lines[0]!)).toEqual({
      stream: "suricata",
      seq: 7,
      subject: "suricata.dns",
      time: "2024-05-01T12:00:00.000Z",
      headers: { "Nats-Msg-Id": ["abc"] },
      event: dnsEvent,
    });
  });

  it("shows the header line in the chosen time zone and each NATS header escaped on a line of its own", () => {
    const hostile = withHeaders([
      ["Nats-Msg-Id", "id\u001b]0;pwned\u0007-1"],
      ["X-Bidi", "a\u202eb"],
    ]);
    const m: OutputMessage = { subject: "suricata.dns", data: encode(dnsEvent), seq: 1234, time: new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 123)), headers: hostile };
    const { lines } = run({ messageHeader: true, headers: true }, [m]);
    expect(lines[0]).toBe("[2024-05-01 12:00:00.123Z] subj: suricata.dns / seq: 1,234");
    expect(lines.slice(1, 3)).toEqual(["  Nats-Msg-Id: id\\x1B]0;pwned\\x07-1", "  X-Bidi: a\\u202Eb"]);
    expect(lines[3]).toBe("12:00:00.250Z DNS   Q example.com A");
    expect(lines.join("\n")).not.toMatch(/[\u001b\u0007\u202e]/);
    // Without `headers`, none are shown.
    expect(run({ messageHeader: true }, [m]).lines).toHaveLength(2);
  });

  it("puts the stream sequence in a column before the event line and cuts the line to the rest of the width", () => {
    const { lines } = run({ seqColumn: 4, width: 30 }, [{ subject: "s", data: encode(dnsEvent), seq: 12 }]);
    expect(lines[0]!.startsWith("  12 12:00:00.250Z DNS")).toBe(true);
    expect(lines[0]!.length).toBeLessThanOrEqual(30);
  });

  it("counts what it shows, filters and skips; marks invalid payloads in the text view, skips them in JSON", () => {
    const filter = compileFilter("dns.type == 'query'", "--filter");
    const messages: OutputMessage[] = [
      { subject: "a", data: encode(dnsEvent) },
      { subject: "a", data: encode({ ...dnsEvent, dns: { type: "answer" } }) },
      { subject: "a", data: encode("not json") },
    ];
    const filtered = run({ mode: "json", filter }, messages);
    expect(filtered.shown).toEqual([true, false, false]);
    expect(filtered.counts).toEqual({ received: 3, shown: 1, filtered: 1, invalid: 1 });
    const pretty = run({}, messages);
    expect(pretty.counts).toEqual({ received: 3, shown: 3, filtered: 0, invalid: 1 });
    expect(pretty.lines[2]).toMatch(/^\[invalid: not JSON\] not json$/);
    const raw = run({ mode: "raw" }, messages);
    expect(raw.lines[2]).toBe("bytes:not json");
  });

  it("projects with select, strings bare when asked", () => {
    const projection = compileProjection("dns.rrname", "--select");
    expect(run({ mode: "select", projection }, [{ subject: "a", data: encode(dnsEvent) }]).lines).toEqual(['"example.com"']);
    expect(run({ mode: "select", projection, bare: true }, [{ subject: "a", data: encode(dnsEvent) }]).lines).toEqual(["example.com"]);
  });

  it("summary: messages a replay found removed from the stream before it read them are counted, when there were some", () => {
    const counts = { received: 1200, shown: 1000, filtered: 200, invalid: 0, dropped: 0 };
    expect(formatOutputSummary({ ...counts, removed: 0 })).toBe("received 1,200, shown 1,000, filtered 200, dropped 0");
    expect(formatOutputSummary({ ...counts, removed: 4500 })).toBe("received 1,200, shown 1,000, filtered 200, dropped 0, removed unread 4,500");
  });
});
