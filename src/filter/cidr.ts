// IPv4/IPv6 address and CIDR matching without allocation on the hot path: filters call this per event.

/** A parsed network: 32-bit words of the address (1 for IPv4, 4 for IPv6) and the prefix length. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly words: Uint32Array;
  readonly prefix: number;
}

/** Parses dotted IPv4 into an unsigned 32-bit number, or -1 when it is not one. */
export function parseIPv4(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // Leading zeros ("010") are ambiguous (octal in some parsers): reject like Node's net.isIPv4.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** Parses IPv6 (with "::" and an optional trailing dotted IPv4 and %zone) into 4 words; null when invalid. */
export function parseIPv6(text: string, out = new Uint32Array(4)): Uint32Array | null {
  const zone = text.indexOf("%");
  const address = zone === -1 ? text : text.slice(0, zone);
  if (address.length < 2 || address.length > 45 || address.indexOf(":") === -1) return null;
  // A single leading or trailing colon is malformed; only "::" may sit at an edge.
  if ((address[0] === ":" && address[1] !== ":") || (address.endsWith(":") && !address.endsWith("::"))) return null;
  const groups: number[] = [];
  let gapAt = -1;
  const parts = address.split(":");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "") {
      // "::" yields one or two empty parts (three for "::" alone); only one gap is allowed.
      const atEdge = i === 0 || i === parts.length - 1;
      if (atEdge) {
        if (parts.length < 3) return null;
        continue;
      }
      if (gapAt !== -1) return null;
      gapAt = groups.length;
      continue;
    }
    if (i === parts.length - 1 && part.indexOf(".") !== -1) {
      const v4 = parseIPv4(part);
      if (v4 < 0) return null;
      groups.push(Math.floor(v4 / 65536), v4 & 0xffff);
      continue;
    }
    if (part.length > 4) return null;
    const group = parseInt(part, 16);
    if (Number.isNaN(group) || !/^[0-9a-fA-F]+$/.test(part)) return null;
    groups.push(group);
  }
  if (gapAt === -1 ? groups.length !== 8 : groups.length > 7) return null;
  const full = new Array<number>(8).fill(0);
  const tail = groups.length - (gapAt === -1 ? groups.length : gapAt);
  for (let i = 0; i < groups.length - tail; i++) full[i] = groups[i]!;
  for (let i = 0; i < tail; i++) full[8 - tail + i] = groups[groups.length - tail + i]!;
  for (let w = 0; w < 4; w++) out[w] = (full[w * 2]! * 65536 + full[w * 2 + 1]!) >>> 0;
  return out;
}

/** Parses "10.0.0.0/8", "fd00::/8" or a bare address (a /32 or /128); null when invalid. */
export function parseCidr(text: string): ParsedCidr | null {
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? "" : text.slice(slash + 1);
  if (slash !== -1 && !/^\d{1,3}$/.test(prefixText)) return null;
  const v4 = parseIPv4(address);
  if (v4 >= 0) {
    const prefix = slash === -1 ? 32 : Number(prefixText);
    if (prefix > 32) return null;
    return { family: 4, words: Uint32Array.of(v4), prefix };
  }
  const v6 = parseIPv6(address);
  if (v6 === null) return null;
  const prefix = slash === -1 ? 128 : Number(prefixText);
  if (prefix > 128) return null;
  return { family: 6, words: v6, prefix };
}

function prefixMask(bits: number): number {
  return bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

const scratch = new Uint32Array(4);

/** True when ip (a string) lies inside the network; false for anything that is not an address of its family. */
export function ipInCidr(ip: string, network: ParsedCidr): boolean {
  if (network.family === 4) {
    let v4 = parseIPv4(ip);
    if (v4 < 0) {
      // IPv4-mapped IPv6 (::ffff:10.1.2.3) is the same host.
      const v6 = ip.indexOf(":") === -1 ? null : parseIPv6(ip, scratch);
      if (v6 === null || v6[0] !== 0 || v6[1] !== 0 || v6[2] !== 0xffff) return false;
      v4 = v6[3]!;
    }
    const mask = prefixMask(network.prefix);
    return ((v4 & mask) >>> 0) === ((network.words[0]! & mask) >>> 0);
  }
  const v6 = ip.indexOf(":") === -1 ? null : parseIPv6(ip, scratch);
  if (v6 === null) return false;
  let remaining = network.prefix;
  for (let w = 0; w < 4 && remaining > 0; w++, remaining -= 32) {
    const mask = prefixMask(remaining);
    if (((v6[w]! & mask) >>> 0) !== ((network.words[w]! & mask) >>> 0)) return false;
  }
  return true;
}
