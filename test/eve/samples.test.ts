// Every real sample event formats into one safe line that shows what matters about it.
import { describe, expect, it } from "vitest";
import { formatEvent, type FormatOptions } from "../../src/eve/format.js";
import { StatsRateTracker } from "../../src/eve/stats.js";
import { visibleWidth } from "../../src/text/width.js";
import { assertTerminalSafe, DACHOA, FIXTURES, hasDachoa, PLAIN, readEvents, stripColour } from "./fixtures.js";

const SAMPLE_FILES = [
  { name: "surevego (BSD)", path: `${FIXTURES}surevego-2017-multi.eve.json`, lines: 266 },
  { name: "wrccdc2018 (MIT)", path: `${FIXTURES}wrccdc2018-alerts.eve.json`, lines: 207 },
  { name: "dns v3 (hand-written)", path: `${FIXTURES}dns-v3.eve.json`, lines: 6 },
  ...(hasDachoa ? [{ name: "dachoa (GPL, read in place)", path: DACHOA, lines: 202 }] : []),
];

const OPTION_SETS: FormatOptions[] = [
  { color: false, timestamps: "none" },
  { color: false, timestamps: "utc" },
  { color: true, timestamps: "local" },
  { color: true, timestamps: "utc", width: 80 },
  { color: false, timestamps: "local", width: 40 },
];

describe.each(SAMPLE_FILES)("every event of $name", ({ path, lines }) => {
  const events = readEvents(path);

  it(`has the expected ${lines} events`, () => {
    expect(events).toHaveLength(lines);
  });

  it.each(OPTION_SETS)("formats to one safe line with %o", (opts) => {
    const withTracker = { ...opts, stats: new StatsRateTracker() };
    for (const event of events) {
      const line = formatEvent(event, withTracker);
      expect(line).not.toContain("\n");
      expect(line).not.toContain("undefined");
      expect(line).not.toContain("NaN");
      expect(line).not.toContain("[object Object]");
      assertTerminalSafe(line);
      if (!opts.color) expect(line).not.toContain("\x1b");
      if (opts.width !== undefined) expect(visibleWidth(line)).toBeLessThanOrEqual(opts.width);
    }
  });
});

function lineFor(events: Record<string, unknown>[], predicate: (e: Record<string, unknown>) => boolean): string {
  const event = events.find(predicate);
  if (event === undefined) throw new Error("no matching sample event");
  return formatEvent(event, PLAIN);
}

describe("surevego sample: key fields", () => {
  const events = readEvents(`${FIXTURES}surevego-2017-multi.eve.json`);

  it("v1 DNS query shows the name, type and client → server", () => {
    expect(lineFor(events, (e) => e["pcap_cnt"] === 10)).toBe(
      "DNS   Q _http._tcp.security.debian.org SRV 172.17.0.2:55645 → 172.21.3.254:53",
    );
  });

  it("v1 DNS answer (logged from the server side) shows rcode and rdata with the client first", () => {
    const line = lineFor(events, (e) => e["pcap_cnt"] === 14);
    expect(line).toMatch(/^DNS {3}R prod\.debian\.map\.fastly\.net A NOERROR = [\d.]+ 172\.17\.0\.2:47719 → 172\.21\.3\.254:53$/);
  });

  it("HTTP shows method, host+url, status, size and user agent", () => {
    expect(lineFor(events, (e) => e["event_type"] === "http" && e["pcap_cnt"] === 12004)).toBe(
      'HTTP  GET deb.debian.org/debian/pool/main/p/perl/perl-base_5.24.1-1_amd64.deb 200 1.3 MiB "Debian APT-HTTP/1.3 (1.4~beta3)" 172.17.0.2:41402 → 54.230.202.37:80',
    );
  });

  it("fileinfo shows file name, size and state", () => {
    expect(lineFor(events, (e) => e["event_type"] === "fileinfo" && e["pcap_cnt"] === 10451)).toBe(
      "FILE  /debian/pool/main/p/perl/perl-base_5.24.1-1_amd64.deb 919 B TRUNCATED http 54.230.202.37:80 → 172.17.0.2:41402",
    );
  });

  it("alert shows severity, signature, ids, category, action and the embedded http target", () => {
    expect(lineFor(events, (e) => e["event_type"] === "alert" && e["pcap_cnt"] === 10319)).toBe(
      "ALERT sev3 ET POLICY GNU/Linux APT User-Agent Outbound likely related to package management [1:2013504:5] " +
        "(Not Suspicious Traffic) allowed 172.17.0.2:41402 → 54.230.202.37:80 TCP " +
        "http deb.debian.org/debian/pool/main/p/perl/perl-base_5.24.1-1_amd64.deb",
    );
  });

  it("flow shows packets and humanised bytes each way, age, state and reason", () => {
    expect(lineFor(events, (e) => e["flow_id"] === 1132792655884373 && e["event_type"] === "flow")).toBe(
      "FLOW  172.17.0.2:46038 → 151.101.12.204:80 TCP pkts 3,247/6,922 bytes 212 KiB/9.9 MiB age 2s new shutdown",
    );
  });

  it("IPv6 endpoints are bracketed", () => {
    expect(lineFor(events, (e) => e["event_type"] === "flow" && String(e["src_ip"]).startsWith("fe80"))).toContain(
      "[fe80:0000:0000:0000:0042:95ff:fea2:534a]:5353 → [ff02:0000:0000:0000:0000:0000:0000:00fb]:5353",
    );
  });

  it("pcap-mode stats (no capture block) show decoder totals", () => {
    expect(lineFor(events, (e) => e["event_type"] === "stats")).toBe("STATS up 1s pkts 56,690 bytes 55.3 MiB alerts 68");
  });
});

describe("wrccdc2018 sample: alerts", () => {
  const events = readEvents(`${FIXTURES}wrccdc2018-alerts.eve.json`);

  it("shows severity 2 alerts with signature and sid", () => {
    expect(lineFor(events, (e) => e["pcap_cnt"] === 169577)).toBe(
      "ALERT sev2 ET SCAN Potential SSH Scan [1:2001219:20] (Attempted Information Leak) allowed 0.0.0.0:26078 → 10.47.8.150:22 TCP",
    );
  });

  it("shows the TLS certificate subject embedded in alerts (these have no SNI)", () => {
    expect(lineFor(events, (e) => e["pcap_cnt"] === 1401594)).toBe(
      "ALERT sev2 ET CURRENT_EVENTS Malformed HeartBeat Request [1:2018372:2] (Potentially Bad Traffic) allowed " +
        "10.128.0.221:46962 → 10.47.1.1:443 TCP/tls cert d92c11ece94546685d283c62baa542e1f4e65323e4c865aa71cd5bff8dfc95b7",
    );
  });

  it("shows the SMTP context embedded in alerts", () => {
    expect(lineFor(events, (e) => e["pcap_cnt"] === 658452)).toBe(
      "ALERT sev3 SURICATA SMTP invalid reply [1:2220000:1] (Generic Protocol Command Decode) allowed " +
        "10.47.3.208:25 → 10.240.105.57:36911 TCP/smtp smtp helo hotmail.com from <nessus1381504719@hotmail.com>",
    );
  });

  it("colours by severity: 1 red, 2 yellow, 3 cyan", () => {
    const bySeverity = (n: number) => events.find((e) => (e["alert"] as { severity?: number }).severity === n)!;
    const colored = { color: true, timestamps: "none" } as const;
    expect(formatEvent(bySeverity(1), colored)).toContain("\x1b[31m");
    expect(formatEvent(bySeverity(2), colored)).toContain("\x1b[33msev2");
    expect(formatEvent(bySeverity(3), colored)).toContain("\x1b[36msev3");
    expect(stripColour(formatEvent(bySeverity(2), colored))).toBe(formatEvent(bySeverity(2), PLAIN));
  });
});

describe.skipIf(!hasDachoa)("dachoa sample (GPL, read from the shared directory)", () => {
  const events = hasDachoa ? readEvents(DACHOA) : [];

  it("v2 DNS answer shows rcode and the answer, client first", () => {
    expect(lineFor(events, (e) => e["flow_id"] === 160304175712359 && (e["dns"] as { type?: string })?.type === "answer")).toBe(
      "DNS   R ssl.gstatic.com A NOERROR = 172.217.194.94 192.168.42.232:43348 → 192.168.42.129:53",
    );
  });

  it("v2 DNS query with a numeric rrtype", () => {
    expect(lineFor(events, (e) => e["flow_id"] === 1952151646701803 && (e["dns"] as { type?: string })?.type === "query")).toBe(
      "DNS   Q ssl.gstatic.com 65 192.168.42.232:41539 → 192.168.42.129:53",
    );
  });

  it("TLS 1.3 with empty ja3 objects shows SNI and version only", () => {
    expect(lineFor(events, (e) => e["flow_id"] === 2141074882895402)).toBe(
      "TLS   troywell.org TLS 1.3 192.168.42.232:57750 → 5.79.101.46:443",
    );
  });

  it("TLS 1.2 shows subject CN, issuer CN and expiry (valid at event time)", () => {
    expect(lineFor(events, (e) => e["flow_id"] === 2250463697233092)).toBe(
      "TLS   mobile.events.data.microsoft.com TLS 1.2 cn *.events.data.microsoft.com " +
        "issuer Microsoft Azure TLS Issuing CA 01 until 2024-03-02 192.168.42.232:46342 → 51.105.71.136:443",
    );
  });

  it("http with status 204 and zero length", () => {
    expect(lineFor(events, (e) => e["flow_id"] === 306737341537667)).toBe(
      "HTTP  GET connectivity-check.ubuntu.com/ 204 0 B 192.168.42.232:39694 → 185.125.190.17:80",
    );
  });
});
