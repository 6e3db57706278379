// DNS in its three EVE formats, built from the Suricata 8 documentation for v3 and from real samples for v1/v2.
import { describe, expect, it } from "vitest";
import { formatEvent } from "../../src/eve/format.js";
import { describeDns } from "../../src/eve/formatters/dns.js";
import { FIXTURES, PLAIN, readEvents } from "./fixtures.js";

const v3 = readEvents(`${FIXTURES}dns-v3.eve.json`);

describe("DNS v3 (Suricata 8)", () => {
  it("a request shows Q, the first query's name and type, client → server", () => {
    expect(formatEvent(v3[0]!, PLAIN)).toBe("DNS   Q www.suricata.io A 192.168.1.20:51234 → 192.168.1.1:53");
  });

  it("does not show the rcode of a request (Suricata logs NOERROR there)", () => {
    expect(formatEvent(v3[0]!, PLAIN)).not.toContain("NOERROR");
  });

  it("a response is logged from the server (src_ip = resolver) but shows the client first", () => {
    expect(formatEvent(v3[1]!, PLAIN)).toBe(
      "DNS   R www.suricata.io A NOERROR = suricata.io, 35.212.0.44 192.168.1.20:51234 → 192.168.1.1:53",
    );
  });

  it("an NXDOMAIN response without answers shows the rcode", () => {
    expect(formatEvent(v3[2]!, PLAIN)).toBe("DNS   R no-such-host.example AAAA NXDOMAIN 192.168.1.20:40001 → 192.168.1.1:53");
  });

  it("shows the first three answers and how many more there are", () => {
    expect(formatEvent(v3[3]!, PLAIN)).toBe(
      "DNS   R pool.ntp.org A NOERROR = 162.159.200.1, 162.159.200.123, 185.125.190.56 +2 more 192.168.1.20:40002 → 192.168.1.1:53",
    );
  });

  it("a request with several queries says how many more", () => {
    expect(formatEvent(v3[4]!, PLAIN)).toBe("DNS   Q example.org A +1 queries 192.168.1.20:40003 → 192.168.1.1:53");
  });

  it("an alert carrying a v3 dns object names the query", () => {
    expect(formatEvent(v3[5]!, PLAIN)).toContain("dns www.suricata.io");
  });

  it("swaps by the documented direction when ports do not tell (DNS on an unusual port)", () => {
    const event = { ...v3[1]!, src_port: 5300, dest_port: 41000 };
    expect(formatEvent(event, PLAIN)).toContain("192.168.1.20:41000 → 192.168.1.1:5300");
  });

  it("uses grouped answers when there is no answers array", () => {
    const event = { event_type: "dns", dns: { version: 3, type: "response", rcode: "NOERROR", queries: [{ rrname: "a.example", rrtype: "A" }], grouped: { A: ["10.0.0.1", "10.0.0.2"] } } };
    expect(formatEvent(event, PLAIN)).toBe("DNS   R a.example A NOERROR = 10.0.0.1, 10.0.0.2");
  });
});

describe("DNS v2 (Suricata 7)", () => {
  it("an answer keeps the client as src and shows answers and rcode", () => {
    const event = {
      event_type: "dns",
      src_ip: "10.0.0.5",
      src_port: 40000,
      dest_ip: "10.0.0.1",
      dest_port: 53,
      dns: {
        version: 2,
        type: "answer",
        rrname: "www.suricata.io",
        rrtype: "A",
        rcode: "NOERROR",
        answers: [
          { rrname: "www.suricata.io", rrtype: "CNAME", ttl: 3597, rdata: "suricata.io" },
          { rrname: "suricata.io", rrtype: "A", ttl: 597, rdata: "35.212.0.44" },
        ],
        grouped: { CNAME: ["suricata.io"], A: ["35.212.0.44"] },
      },
    };
    expect(formatEvent(event, PLAIN)).toBe("DNS   R www.suricata.io A NOERROR = suricata.io, 35.212.0.44 10.0.0.5:40000 → 10.0.0.1:53");
  });

  it("an SOA answer shows the primary name server", () => {
    const summary = describeDns({ version: 2, type: "answer", rrname: "x.org", rrtype: "SOA", rcode: "NOERROR", answers: [{ rrname: "x.org", rrtype: "SOA", soa: { mname: "ns1.x.org" } }] });
    expect(summary.answers).toEqual(["ns1.x.org"]);
  });

  it("reads the dns object Suricata 7 embeds in alerts (query array, wrapped answer)", () => {
    expect(describeDns({ query: [{ type: "query", id: 0, rrname: "www.suricata.io", rrtype: "A" }] })).toMatchObject({
      kind: "query",
      rrname: "www.suricata.io",
      rrtype: "A",
    });
    expect(describeDns({ answer: { version: 2, type: "answer", rrname: "www.suricata.io", rrtype: "A", rcode: "NOERROR" } })).toMatchObject({
      kind: "response",
      rrname: "www.suricata.io",
      rcode: "NOERROR",
    });
  });
});

describe("DNS v1 (before Suricata 7)", () => {
  it("one answer per event with flat rdata and ttl, logged from the server side", () => {
    const event = {
      event_type: "dns",
      src_ip: "172.21.3.254",
      src_port: 53,
      dest_ip: "172.17.0.2",
      dest_port: 47719,
      proto: "UDP",
      dns: { type: "answer", id: 22800, rcode: "NOERROR", rrname: "prod.debian.map.fastly.net", rrtype: "A", ttl: 30, rdata: "151.101.12.204" },
    };
    expect(formatEvent(event, PLAIN)).toBe("DNS   R prod.debian.map.fastly.net A NOERROR = 151.101.12.204 172.17.0.2:47719 → 172.21.3.254:53");
  });

  it("an NXDOMAIN answer without rdata", () => {
    const event = { event_type: "dns", dns: { type: "answer", rcode: "NXDOMAIN", rrname: "nope.example", rrtype: "A" } };
    expect(formatEvent(event, PLAIN)).toBe("DNS   R nope.example A NXDOMAIN");
  });
});

describe("DNS with odd input", () => {
  it("never throws and says what is missing", () => {
    for (const dns of [undefined, null, 42, "x", [], {}, { type: 7 }, { queries: "x" }, { queries: [null, 5] }, { answers: [null, 1, "s", {}] }, { grouped: { A: "not-an-array" } }]) {
      const line = formatEvent({ event_type: "dns", dns }, PLAIN);
      expect(line.startsWith("DNS   ")).toBe(true);
      expect(line).not.toContain("undefined");
    }
    expect(formatEvent({ event_type: "dns", dns: {} }, PLAIN)).toBe("DNS   ? (no name)");
  });
});
