// Names of the fields Suricata writes in EVE events (its "EVE JSON Format" documentation, Suricata 6 to 8, and the
// real samples in ../shared/eve-samples). Used to tell a field from a word that was meant as text in a filter:
// `dns.type == query` compares with a field named "query", which no event has.

/** Event types Suricata writes (`event_type`), each with an object of the same name. */
export const EVE_EVENT_TYPES: ReadonlySet<string> = new Set([
  "alert", "anomaly", "arp", "bittorrent_dht", "dcerpc", "dhcp", "dnp3", "dns", "doh2", "drop", "email", "enip",
  "fileinfo", "flow", "ftp", "ftp_data", "http", "http2", "ike", "ikev2", "krb5", "ldap", "mdns", "modbus", "mqtt",
  "netflow", "nfs", "pgsql", "pop3", "quic", "rdp", "rfb", "sip", "smb", "smtp", "snmp", "ssh", "stats", "tftp",
  "tls", "websocket", "template",
]);

/** Keys of the event object itself: the common section and one object per event type. */
export const EVE_TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set([
  // common section
  "timestamp", "flow_id", "parent_id", "in_iface", "event_type", "vlan", "src_ip", "src_port", "dest_ip", "dest_port",
  "proto", "ip_v", "pkt_src", "icmp_type", "icmp_code", "response_icmp_type", "response_icmp_code", "app_proto",
  "app_proto_ts", "app_proto_tc", "app_proto_orig", "app_proto_expected", "community_id", "tx_id", "tx_guessed",
  "pcap_cnt", "pcap_filename", "capture_file", "direction", "host", "sensor_name", "ether", "metadata", "vars",
  "packet", "packet_info", "payload", "payload_printable", "payload_length", "stream", "tunnel", "verdict", "spi",
  "files", "frame", "tcp", "flow_bypass",
  ...EVE_EVENT_TYPES,
]);

/** Keys found below the top level (inside alert, dns, tls, flow, ...): valid inside `[? ...]` and `&expr`. */
const NESTED_FIELDS = [
  // alert
  "action", "gid", "signature_id", "rev", "signature", "category", "severity", "source", "target", "rule", "xff",
  "references", "confidence", "signature_severity", "attack_target", "deployment", "created_at", "updated_at",
  "affected_product", "malware_family", "former_category", "tag", "mitre_tactic_id", "mitre_technique_id",
  "mitre_tactic_name", "mitre_technique_name", "ip", "port", "net_info",
  // dns (v1, v2, v3)
  "type", "id", "flags", "qr", "aa", "tc", "rd", "ra", "z", "opcode", "rcode", "rrname", "rrtype", "rdata", "ttl",
  "answers", "authorities", "additionals", "grouped", "queries", "query", "answer", "version", "A", "AAAA", "CNAME",
  "MX", "NS", "PTR", "SOA", "SRV", "TXT", "soa", "srv", "sshfp", "mname", "rname", "serial", "refresh", "retry",
  "expire", "minimum", "priority", "weight", "name",
  // tls
  "subject", "issuerdn", "fingerprint", "sni", "notbefore", "notafter", "ja3", "ja3s", "ja4", "ja4s", "hash",
  "string", "certificate", "chain", "session_resumed", "client", "server", "from_proto", "client_alpns",
  "server_alpns", "subjectaltname", "client_handshake", "server_handshake", "ciphers", "exts", "sig_algs",
  // http
  "hostname", "http_port", "url", "http_user_agent", "http_content_type", "http_method", "http_refer", "protocol",
  "status", "length", "redirect", "request_headers", "response_headers", "value", "org_src_ip", "content_range",
  "http_request_body", "http_response_body", "true_client_ip",
  // fileinfo
  "filename", "sid", "magic", "gaps", "state", "md5", "sha1", "sha256", "stored", "file_id", "size", "start", "end",
  // flow / netflow / tcp
  "pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient", "pkts", "bytes", "age", "reason", "alerted",
  "bypass", "bypassed", "emergency", "wrong_thread", "exception", "tx_cnt", "elephant", "tcp_flags", "tcp_flags_ts",
  "tcp_flags_tc", "syn", "fin", "rst", "psh", "ack", "urg", "ecn", "cwr", "ts_max_regions", "tc_max_regions",
  "src_mac", "dest_mac", "src_macs", "dest_macs",
  // anomaly
  "event", "layer", "code",
  // ssh, smtp, email, smb, dhcp, krb5, ftp, ...
  "proto_version", "software_version", "helo", "mail_from", "rcpt_to", "from", "to", "cc", "attachment",
  "x_mailer", "message_id", "command", "dialect", "share", "share_type", "client_guid", "server_guid", "ntlmssp",
  "domain", "user", "host", "request", "response", "named_pipe", "status_code", "assigned_ip", "client_ip",
  "client_mac", "lease_time", "dhcp_type", "requested_ip", "hostname", "msg_type", "cname", "realm", "sname",
  "encryption", "weak_encryption", "error_code", "command_data", "reply", "completion_code", "dynamic_port", "mode",
  "file", "method", "uri", "code", "sip",
  // stats (the main blocks; counters below them are many and version-dependent)
  "uptime", "capture", "kernel_packets", "kernel_drops", "decoder", "detect", "app_layer", "flow_mgr", "defrag",
  "tcp", "memuse", "memcap", "engines", "alerts_suppressed", "alert_queue_overflow", "rules_loaded", "rules_failed",
  "last_reload",
  // metadata / vars
  "flowbits", "flowints", "flowvars", "pktvars", "hostbits",
];

/** Every field name of any EVE event type, at any depth (the top-level names included). */
export const EVE_FIELD_NAMES: ReadonlySet<string> = new Set([...EVE_TOP_LEVEL_FIELDS, ...NESTED_FIELDS]);

/**
 * Fields whose values are words (`event_type == 'dns'`, `app_proto == 'tls'`, `dns.rcode == 'NXDOMAIN'`): a bare
 * word compared with one of them was meant as text even when it happens to be a field name too.
 */
export const WORD_VALUED_FIELDS: ReadonlySet<string> = new Set([
  "event_type", "app_proto", "app_proto_ts", "app_proto_tc", "app_proto_orig", "app_proto_expected", "proto",
  "type", "rrtype", "rcode", "action", "state", "reason", "direction", "http_method", "category", "pkt_src",
]);

/** Edits (insert, delete, change, swap two neighbours) from a to b, or limit + 1 once it is sure to exceed limit. */
function editsBetween(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The event types a word not among them was likely meant to be (`dsn` → dns; `htp` → ftp, http), or none. Custom
 * event types exist, so this only suggests: a live tail of a misspelt type would otherwise wait for ever without a word.
 */
export function likelyEventTypes(word: string): string[] {
  if (EVE_EVENT_TYPES.has(word)) return [];
  const w = word.toLowerCase();
  if (EVE_EVENT_TYPES.has(w)) return [w]; // subjects are case-sensitive: DNS is not dns
  const limit = w.length >= 6 ? 2 : 1;
  let best: string[] = [];
  let bestEdits = limit + 1;
  for (const type of EVE_EVENT_TYPES) {
    const edits = editsBetween(w, type, limit);
    if (edits < bestEdits) {
      best = [type];
      bestEdits = edits;
    } else if (edits === bestEdits && edits <= limit) best.push(type);
  }
  return best;
}

/**
 * `tail dsn` or `tui dsn` would wait for ever on suricata.dsn without a word: a note per word that looks like a
 * misspelt event type, naming the likely one. Only a note: sensors may write types of their own.
 */
export function misspeltTypeNotes(words: readonly string[], prefix: string): string[] {
  const notes: string[] = [];
  for (const word of words) {
    if (word.includes(".") || /[*>]/.test(word)) continue;
    const likely = likelyEventTypes(word);
    if (likely.length > 0) notes.push(`'${word}' is not an event type Suricata writes: did you mean ${likely.join(" or ")}? (reading ${prefix}.${word} as asked)`);
  }
  return notes;
}
