// Per-type lines for fields the samples do not exercise: TLS validity and fingerprints, alerted flows, files,
// anomalies, netflow, SMB, SSH.
import { describe, expect, it } from "vitest";
import { formatEvent } from "../../src/eve/format.js";
import { PLAIN } from "./fixtures.js";

const tuple = { src_ip: "10.0.0.2", src_port: 40000, dest_ip: "10.0.0.1", dest_port: 443, proto: "TCP" };

describe("tls", () => {
  const cert = {
    sni: "shop.example",
    version: "TLS 1.2",
    subject: "C=US, O=Example, CN=shop.example",
    issuerdn: "C=US, O=Let's Encrypt, CN=R3",
    notbefore: "2024-01-01T00:00:00",
    notafter: "2024-04-01T00:00:00",
    ja3: { hash: "e7d705a3286e19ea42f587b344ee6865", string: "771,..." },
    ja3s: { hash: "f4febc55ea12b31ae17cfb7e614afda8", string: "771,..." },
    ja4: "t13d1516h2_8daaf6152771_e5627efa2ab1",
  };

  it("shows sni, version, issuer CN, expiry and fingerprints; the CN only when it differs from the SNI", () => {
    const event = { event_type: "tls", timestamp: "2024-02-01T00:00:00.000000+0000", ...tuple, tls: cert };
    expect(formatEvent(event, PLAIN)).toBe(
      "TLS   shop.example TLS 1.2 issuer R3 until 2024-04-01 ja3 e7d705a3286e19ea42f587b344ee6865 " +
        "ja3s f4febc55ea12b31ae17cfb7e614afda8 ja4 t13d1516h2_8daaf6152771_e5627efa2ab1 10.0.0.2:40000 → 10.0.0.1:443",
    );
  });

  it("flags EXPIRED relative to the event's timestamp", () => {
    const event = { event_type: "tls", timestamp: "2024-05-01T00:00:00.000000+0000", tls: cert };
    expect(formatEvent(event, PLAIN)).toContain("until 2024-04-01 EXPIRED");
  });

  it("flags NOT YET VALID", () => {
    const event = { event_type: "tls", timestamp: "2023-12-31T23:59:59.000000+0000", tls: cert };
    expect(formatEvent(event, PLAIN)).toContain("until 2024-04-01 NOT YET VALID");
  });

  it("shows no fingerprint for ja3: {} (not computed) and marks a missing SNI", () => {
    const event = { event_type: "tls", tls: { version: "TLS 1.3", ja3: {}, ja3s: {}, subject: "CN=internal" } };
    expect(formatEvent(event, PLAIN)).toBe("TLS   (no sni) TLS 1.3 cn internal");
  });

  it("paints EXPIRED red", () => {
    const event = { event_type: "tls", timestamp: "2024-05-01T00:00:00Z", tls: cert };
    expect(formatEvent(event, { color: true, timestamps: "none" })).toContain("\x1b[31mEXPIRED\x1b[39m");
  });
});

describe("flow", () => {
  it("marks alerted flows and shows ICMP type/code", () => {
    const event = {
      event_type: "flow",
      src_ip: "10.0.0.2",
      dest_ip: "8.8.8.8",
      proto: "ICMP",
      icmp_type: 8,
      icmp_code: 0,
      flow: { pkts_toserver: 4, pkts_toclient: 4, bytes_toserver: 392, bytes_toclient: 392, age: 3725, state: "established", reason: "timeout", alerted: true },
    };
    expect(formatEvent(event, PLAIN)).toBe(
      "FLOW  10.0.0.2 → 8.8.8.8 ICMP icmp 8/0 pkts 4/4 bytes 392 B/392 B age 1h2m5s established timeout ALERTED",
    );
  });

  it("numbers that arrive as strings still count", () => {
    const event = { event_type: "flow", flow: { pkts_toserver: "12", bytes_toserver: "2048" } };
    expect(formatEvent(event, PLAIN)).toBe("FLOW  pkts 12/? bytes 2 KiB/?");
  });
});

describe("http", () => {
  it("shortens the user agent and colours status by class", () => {
    const event = {
      event_type: "http",
      ...tuple,
      dest_port: 80,
      http: { hostname: "h.example", url: "/x", http_method: "POST", status: 503, length: 10, http_user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" },
    };
    expect(formatEvent(event, PLAIN)).toBe(
      'HTTP  POST h.example/x 503 10 B "Mozilla/5.0 (X11; Linux x86_64) AppleWe…" 10.0.0.2:40000 → 10.0.0.1:80',
    );
    expect(formatEvent(event, { color: true, timestamps: "none" })).toContain("\x1b[31m503\x1b[39m");
  });

  it("a URL without a leading slash (CONNECT) is shown apart from the host", () => {
    const event = { event_type: "http", http: { hostname: "proxy.example", url: "upstream.example:443", http_method: "CONNECT" } };
    expect(formatEvent(event, PLAIN)).toBe("HTTP  CONNECT proxy.example upstream.example:443");
  });
});

describe("fileinfo", () => {
  it("shows name, magic, size, state, stored and a sha256 prefix", () => {
    const event = {
      event_type: "fileinfo",
      app_proto: "http",
      fileinfo: { filename: "/dl/setup.exe", magic: "PE32 executable (GUI) Intel 80386, for MS Windows", size: 1536000, state: "CLOSED", stored: true, sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" },
    };
    expect(formatEvent(event, PLAIN)).toBe(
      "FILE  /dl/setup.exe [PE32 executable (GUI) Intel 80386, for MS Windows] 1.5 MiB CLOSED stored sha256 9f86d081884c7d6… http",
    );
  });
});

describe("alert", () => {
  it("shows a blocked action and the embedded DNS name", () => {
    const event = {
      event_type: "alert",
      ...tuple,
      proto: "UDP",
      app_proto: "dns",
      alert: { action: "blocked", gid: 1, signature_id: 2027863, rev: 3, signature: "ET INFO Observed DNS Query to .cloud TLD", category: "Potentially Bad Traffic", severity: 1 },
      dns: { query: [{ type: "query", rrname: "x.cloud", rrtype: "A" }] },
    };
    expect(formatEvent(event, PLAIN)).toBe(
      "ALERT sev1 ET INFO Observed DNS Query to .cloud TLD [1:2027863:3] (Potentially Bad Traffic) blocked 10.0.0.2:40000 → 10.0.0.1:443 UDP/dns dns x.cloud",
    );
  });

  it("without an alert object says so", () => {
    expect(formatEvent({ event_type: "alert" }, PLAIN)).toBe("ALERT sev? (no signature)");
  });
});

describe("anomaly, netflow, smb, ssh", () => {
  it("anomaly: type, event, layer and code", () => {
    const event = { event_type: "anomaly", ...tuple, app_proto: "tls", anomaly: { type: "applayer", event: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION", layer: "proto_detect", code: 5 } };
    expect(formatEvent(event, PLAIN)).toBe(
      "ANOM  applayer APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION proto_detect code 5 10.0.0.2:40000 → 10.0.0.1:443 TCP/tls",
    );
  });

  it("netflow: one direction's packets, bytes, age and TTL range", () => {
    const event = { event_type: "netflow", ...tuple, netflow: { pkts: 10, bytes: 4200, age: 2, min_ttl: 57, max_ttl: 64 } };
    expect(formatEvent(event, PLAIN)).toBe("NFLOW 10.0.0.2:40000 → 10.0.0.1:443 TCP pkts 10 bytes 4.1 KiB age 2s ttl 57-64");
  });

  it("smb: command, status, dialect, share, file and NTLM user", () => {
    const event = {
      event_type: "smb",
      ...tuple,
      dest_port: 445,
      smb: { command: "SMB2_COMMAND_CREATE", status: "STATUS_ACCESS_DENIED", dialect: "3.11", share: "\\\\srv\\c$", filename: "secrets.xlsx", ntlmssp: { domain: "CORP", user: "bob", host: "PC1" } },
    };
    expect(formatEvent(event, PLAIN)).toBe(
      "SMB   SMB2_COMMAND_CREATE STATUS_ACCESS_DENIED 3.11 share \\\\srv\\c$ file secrets.xlsx user CORP\\bob@PC1 10.0.0.2:40000 → 10.0.0.1:445",
    );
  });

  it("ssh: client and server software, protocol, hassh", () => {
    const event = {
      event_type: "ssh",
      ...tuple,
      dest_port: 22,
      ssh: { client: { proto_version: "2.0", software_version: "OpenSSH_8.9p1", hassh: { hash: "ec7378c1a92f5a8dde7e8b7a1ddf33d1", string: "..." } }, server: { proto_version: "2.0", software_version: "OpenSSH_9.2p1" } },
    };
    expect(formatEvent(event, PLAIN)).toBe(
      "SSH   OpenSSH_8.9p1 → OpenSSH_9.2p1 proto 2.0 hassh ec7378c1a92f5a8dde7e8b7a1ddf33d1 10.0.0.2:40000 → 10.0.0.1:22",
    );
  });
});

describe("gaps found by QA (F13)", () => {
  const plainOpts = { color: false, timestamps: "none" } as const;
  it("shows an HTTP/2 transaction with its embedded http object like HTTP", () => {
    const line = formatEvent(
      { event_type: "http2", src_ip: "10.0.0.1", src_port: 50000, dest_ip: "1.2.3.4", dest_port: 443, http: { hostname: "example.com", url: "/x", http_method: "GET", status: 200, http2: { stream_id: 1 } } },
      plainOpts,
    );
    expect(line).toBe("HTTP2 GET example.com/x 200 10.0.0.1:50000 → 1.2.3.4:443");
  });

  it("says '(no fields)' for an event with none of its type's fields, never ending in padding", () => {
    expect(formatEvent({ event_type: "flow", flow: {} }, plainOpts)).toBe("FLOW  (no fields)");
  });
});
