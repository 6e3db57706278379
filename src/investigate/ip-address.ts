// IP addresses as Suricata writes them: IPv4 dotted, IPv6 fully expanded (eight groups of four lowercase hex
// digits, `fe80:0000:0000:0000:0042:acff:fe11:0002`). A user types the short form (`fe80::42:acff:fe11:2`); other
// producers may write that one too. Comparing the expanded forms matches either.

const HEX_GROUP = /^[0-9a-f]{1,4}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The eight groups of an IPv6 address in any spelling (`::`, leading zeros, a trailing IPv4 part); undefined when it is not one. */
function ipv6Groups(text: string): string[] | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): string[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    const last = groups[groups.length - 1]!;
    const v4 = IPV4.exec(last);
    if (v4 !== null) {
      const bytes = v4.slice(1).map(Number);
      if (bytes.some((b) => b > 255)) return undefined;
      groups.splice(groups.length - 1, 1, ((bytes[0]! << 8) | bytes[1]!).toString(16), ((bytes[2]! << 8) | bytes[3]!).toString(16));
    }
    return groups.every((g) => HEX_GROUP.test(g)) ? groups : undefined;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  // An IPv4 part only ends the address.
  if (halves.length === 2 && halves[0]!.includes(".")) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((g) => g.padStart(4, "0"));
}

/** An address in the form Suricata writes: IPv6 expanded and lowercase, anything else as given. */
export function suricataAddress(text: string): string {
  if (!text.includes(":")) return text;
  return ipv6Groups(text)?.join(":") ?? text.toLowerCase();
}

/** The RFC 5952 short form of an IPv6 address (`fe80::42:acff:fe11:2`); undefined when it is not one. */
export function shortIpv6(text: string): string | undefined {
  const groups = ipv6Groups(text)?.map((g) => g.replace(/^0+(?=.)/, ""));
  if (groups === undefined) return undefined;
  // The longest run of two or more zero groups (the first of equals) becomes `::`.
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.length).join(":")}`;
}

/**
 * Byte strings of which an event naming `address` (as given by suricataAddress) holds at least one: the address as
 * a JSON string, for IPv6 in the expanded and the short form.
 */
export function addressNeedles(address: string): string[] {
  const short = address.includes(":") ? shortIpv6(address) : undefined;
  return [...new Set([address, ...(short !== undefined ? [short] : [])])].map((a) => `"${a}"`);
}
