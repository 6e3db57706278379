import { describe, expect, it } from "vitest";
import { addressNeedles, shortIpv6, suricataAddress } from "../../src/investigate/ip-address.js";

describe("IP addresses as Suricata writes them", () => {
  it("expands IPv6 in any spelling to eight lowercase groups of four digits; IPv4 stays as it is", () => {
    const expanded = "fe80:0000:0000:0000:0042:acff:fe11:0002";
    for (const s of ["fe80::42:acff:fe11:2", "FE80::0042:ACFF:FE11:0002", "fe80:0:0:0:42:acff:fe11:2", expanded]) expect(suricataAddress(s)).toBe(expanded);
    expect(suricataAddress("::")).toBe("0000:0000:0000:0000:0000:0000:0000:0000");
    expect(suricataAddress("::1")).toBe("0000:0000:0000:0000:0000:0000:0000:0001");
    expect(suricataAddress("::ffff:192.0.2.1")).toBe("0000:0000:0000:0000:0000:ffff:c000:0201");
    expect(suricataAddress("10.0.0.1")).toBe("10.0.0.1");
  });

  it("writes the RFC 5952 short form, and searches payloads for both", () => {
    expect(shortIpv6("fe80:0000:0000:0000:0042:acff:fe11:0002")).toBe("fe80::42:acff:fe11:2");
    expect(shortIpv6("2001:0db8:0000:0001:0000:0000:0000:0001")).toBe("2001:db8:0:1::1");
    expect(shortIpv6("0000:0000:0000:0000:0000:0000:0000:0000")).toBe("::");
    expect(shortIpv6("2001:0db8:0001:0002:0003:0004:0005:0006")).toBe("2001:db8:1:2:3:4:5:6");
    expect(addressNeedles("fe80:0000:0000:0000:0000:0000:0000:0001")).toEqual(['"fe80:0000:0000:0000:0000:0000:0000:0001"', '"fe80::1"']);
    expect(addressNeedles("10.0.0.1")).toEqual(['"10.0.0.1"']);
  });
});
