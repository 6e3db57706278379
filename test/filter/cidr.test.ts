import { isIPv4, isIPv6 } from "node:net";
import { describe, expect, it } from "vitest";
import { ipInCidr, parseCidr, parseIPv4, parseIPv6 } from "../../src/filter/cidr.js";

function inside(ip: string, cidr: string): boolean {
  const network = parseCidr(cidr);
  if (network === null) throw new Error(`bad cidr ${cidr}`);
  return ipInCidr(ip, network);
}

describe("parseIPv4", () => {
  it("agrees with node:net on valid and invalid addresses", () => {
    const samples = ["0.0.0.0", "10.0.0.1", "192.168.1.255", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "a.b.c.d", " 1.2.3.4", "1.2.3.4 ", ""];
    for (const ip of samples) expect(parseIPv4(ip) >= 0, ip).toBe(isIPv4(ip));
    expect(parseIPv4("192.168.1.1")).toBe(0xc0a80101);
  });
});

describe("parseIPv6", () => {
  it("agrees with node:net on valid and invalid addresses", () => {
    const samples = [
      "::", "::1", "1::", "fe80::1", "2a00:1450:4007:80e::2004", "fe80:0000:0000:0000:cbc9:f2d5:3d5d:e158",
      "::ffff:10.1.2.3", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "fe80::1%eth0",
      "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:", "12345::", "g::1", "1.2.3.4", "", ":",
    ];
    for (const ip of samples) expect(parseIPv6(ip) !== null, ip).toBe(isIPv6(ip));
  });

  it("expands :: and trailing dotted quads into words", () => {
    expect(Array.from(parseIPv6("::1")!)).toEqual([0, 0, 0, 1]);
    expect(Array.from(parseIPv6("fe80::")!)).toEqual([0xfe800000, 0, 0, 0]);
    expect(Array.from(parseIPv6("::ffff:10.1.2.3")!)).toEqual([0, 0, 0xffff, 0x0a010203]);
  });
});

describe("parseCidr", () => {
  it("accepts networks and bare addresses, rejects the rest", () => {
    expect(parseCidr("10.0.0.0/8")).toMatchObject({ family: 4, prefix: 8 });
    expect(parseCidr("192.168.1.1")).toMatchObject({ family: 4, prefix: 32 });
    expect(parseCidr("fd00::/8")).toMatchObject({ family: 6, prefix: 8 });
    expect(parseCidr("::1")).toMatchObject({ family: 6, prefix: 128 });
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x", "/8", "", "example.com/24"]) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });
});

describe("ipInCidr", () => {
  it("matches IPv4 networks of every prefix length", () => {
    expect(inside("10.200.3.4", "10.0.0.0/8")).toBe(true);
    expect(inside("11.0.0.1", "10.0.0.0/8")).toBe(false);
    expect(inside("192.168.1.130", "192.168.1.128/25")).toBe(true);
    expect(inside("192.168.1.127", "192.168.1.128/25")).toBe(false);
    expect(inside("203.0.113.9", "0.0.0.0/0")).toBe(true);
    expect(inside("192.168.1.1", "192.168.1.1/32")).toBe(true);
    expect(inside("192.168.1.2", "192.168.1.1")).toBe(false);
    // Host bits set in the network are ignored, as in most tools.
    expect(inside("10.9.9.9", "10.1.2.3/8")).toBe(true);
    expect(inside("255.255.255.255", "255.255.255.0/24")).toBe(true);
  });

  it("matches IPv6 networks, compressed or written out in full as Suricata does", () => {
    expect(inside("fe80:0000:0000:0000:cbc9:f2d5:3d5d:e158", "fe80::/10")).toBe(true);
    expect(inside("febf::1", "fe80::/10")).toBe(true);
    expect(inside("fec0::1", "fe80::/10")).toBe(false);
    expect(inside("2a00:1450:4007:80e::2004", "2a00:1450:4007::/48")).toBe(true);
    expect(inside("2a00:1450:4008:80e::2004", "2a00:1450:4007::/48")).toBe(false);
    expect(inside("2001:db8::1", "2001:db8::/127")).toBe(true);
    expect(inside("2001:db8::2", "2001:db8::/127")).toBe(false);
    expect(inside("::", "::/0")).toBe(true);
  });

  it("compares an IPv4-mapped IPv6 address with IPv4 networks, and never mixes families otherwise", () => {
    expect(inside("::ffff:10.1.2.3", "10.0.0.0/8")).toBe(true);
    expect(inside("::ffff:11.1.2.3", "10.0.0.0/8")).toBe(false);
    expect(inside("::10.1.2.3", "10.0.0.0/8")).toBe(false);
    expect(inside("10.1.2.3", "::/0")).toBe(false);
    expect(inside("fe80::1", "0.0.0.0/0")).toBe(false);
    expect(inside("not an ip", "0.0.0.0/0")).toBe(false);
  });
});
