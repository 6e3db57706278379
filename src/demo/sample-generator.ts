// Synthetic Suricata 7 EVE events from a plausible home network, for the demo, the benchmarks and tests.
// Deterministic for a given seed (and start time): every random choice comes from one seeded PRNG.

import { createHash } from "node:crypto";
import type { EveEvent } from "../eve/event.js";

export const EVENT_KINDS = ["dns", "flow", "tls", "http", "alert", "fileinfo", "anomaly", "ssh", "stats"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Default share of each kind (they need not sum to 1); stats only when a mix asks for them. */
export const DEFAULT_EVENT_MIX: Readonly<Record<EventKind, number>> = Object.freeze({
  dns: 0.4,
  flow: 0.35,
  tls: 0.15,
  http: 0.04,
  alert: 0.02,
  fileinfo: 0.02,
  anomaly: 0.01,
  ssh: 0.01,
  stats: 0,
});

/** A generated event: always has event_type and timestamp. */
export type SampleEvent = EveEvent & { event_type: EventKind; timestamp: string };

export interface EventGeneratorOptions {
  /** PRNG seed; the same seed and startTime give the same sequence. Default 1. */
  seed?: number;
  /** Time of the first event; later events follow on a virtual clock. Default: now. */
  startTime?: Date;
  /** Suricata's sensor-name, written as `host` on every event when given. */
  host?: string;
  /** Weights per kind, merged over DEFAULT_EVENT_MIX (set a kind to 0 to leave it out). */
  mix?: Partial<Record<EventKind, number>>;
  /** Average pace of the virtual clock between events. Default 200/s. */
  eventsPerSecond?: number;
}

export interface EventGenerator {
  /** The next event; `at` stamps it with that time instead of the virtual clock (the demo publishes live). */
  next(at?: Date): SampleEvent;
  nextBatch(n: number): SampleEvent[];
  /** A cumulative stats event for `now`; counters only grow between calls, so rates between two are plausible. */
  statsEvent(now: Date): SampleEvent;
}

/** One way to put an event on the wire. */
export function serializeEvent(event: EveEvent): string {
  return JSON.stringify(event);
}

/** Suricata's timestamp format in UTC: 2026-11-28T08:20:55.123456+0000. */
export function formatSuricataTimestamp(epochMs: number, micros = 0): string {
  const ms = Math.floor(epochMs);
  const second = Math.floor(ms / 1000);
  // Events come in time order: most share their second with the previous one, so its text is reused.
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedSecondText = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const fraction = (ms - second * 1000) * 1000 + (micros % 1000);
  return `${cachedSecondText}.${String(fraction).padStart(6, "0")}+0000`;
}
let cachedSecond = Number.NaN;
let cachedSecondText = "";

// ---------------------------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast, good enough for test data; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  /** Heavy-tailed positive number around `median` (log-normal): flow sizes, durations. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const v = this.next();
    const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * gaussian);
  }
  /** Exponential gap with the given mean (Poisson arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  hex(bytes: number, separator = ""): string {
    const parts: string[] = [];
    for (let i = 0; i < bytes; i++) parts.push(this.int(0, 255).toString(16).padStart(2, "0"));
    return parts.join(separator);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The home network and the internet it talks to

interface Device {
  ip: string;
  ip6?: string;
  mac: string;
  /** TLS client fingerprint and HTTP user agent of its usual software. */
  client: ClientSoftware;
}

interface ClientSoftware {
  ja3: string;
  userAgent: string;
}

const IFACE = "eth0";
const RESOLVER = { ip: "192.168.1.1", ip6: "fd00:1::1", mac: "f4:92:bf:1a:2c:01" };
const NAS = { ip: "192.168.1.20", mac: "00:11:32:8a:4e:b7" };

const CHROME: ClientSoftware = {
  ja3: "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,0-23-65281-10-11-35-16-5-13-18-51-45-43-27-17513-21,29-23-24,0",
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};
const FIREFOX: ClientSoftware = {
  ja3: "771,4865-4867-4866-49195-49199-52393-52392-49196-49200-49162-49161-49171-49172-156-157-47-53,0-23-65281-10-11-16-5-34-51-43-13-45-28-27-65037,4588-29-23-24-25-256-257,0",
  userAgent: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
};
const SAFARI_IOS: ClientSoftware = {
  ja3: "771,4865-4866-4867-49196-49195-52393-49200-49199-52392-49162-49161-49172-49171-157-156-53-47-49160-49170-10,0-23-65281-10-11-16-5-13-18-51-45-43-27-21,29-23-24-25,0",
  userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
};
const ANDROID_TV: ClientSoftware = {
  ja3: "771,4865-4866-4867-49195-49196-52393-49199-49200-52392-49171-49172-156-157-47-53,0-23-65281-10-11-35-16-5-13-51-45-43-21,29-23-24,0",
  userAgent: "Dalvik/2.1.0 (Linux; U; Android 12; BRAVIA 4K VH2 Build/STT1.211025.001.Z4)",
};
const CURL: ClientSoftware = {
  ja3: "771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-13172-16-22-23-49-13-43-45-51-21,29-23-30-25-24,0-1-2",
  userAgent: "curl/8.5.0",
};

const DEVICES: readonly Device[] = [
  { ip: "192.168.1.10", ip6: "2a01:e0a:1f3:4b50:8d2e:11ff:fe3a:10", mac: "3c:22:fb:9e:41:0a", client: CHROME },
  { ip: "192.168.1.11", ip6: "2a01:e0a:1f3:4b50:a4c1:38ff:fe62:11", mac: "a4:c1:38:62:7d:11", client: SAFARI_IOS },
  { ip: "192.168.1.23", mac: "f0:b4:29:53:8c:23", client: ANDROID_TV },
  { ip: "192.168.1.42", ip6: "2a01:e0a:1f3:4b50:2e0:4cff:fe68:42", mac: "00:e0:4c:68:1b:42", client: FIREFOX },
  { ip: "192.168.1.57", mac: "dc:a6:32:0f:5e:57", client: CURL },
  { ip: "192.168.1.64", mac: "8c:85:90:c4:2a:64", client: SAFARI_IOS },
];

interface Site {
  name: string;
  ipv4: readonly string[];
  ipv6?: readonly string[];
  /** CNAME chain the resolver returns before the addresses. */
  cname?: readonly string[];
  issuer: string;
  subject: string;
  weight: number;
  /** Serves plain HTTP too (connectivity checks, package mirrors). */
  http?: { url: string; contentType: string; status: number; length: number };
}

const GTS = "C=US, O=Google Trust Services, CN=WR2";
const LETS_ENCRYPT = "C=US, O=Let's Encrypt, CN=R11";
const DIGICERT = "C=US, O=DigiCert Inc, CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1";
const MICROSOFT = "C=US, O=Microsoft Corporation, CN=Microsoft Azure RSA TLS Issuing CA 04";
const AMAZON = "C=US, O=Amazon, CN=Amazon RSA 2048 M02";
const SECTIGO = "C=GB, ST=Greater Manchester, L=Salford, O=Sectigo Limited, CN=Sectigo RSA Domain Validation Secure Server CA";
const APPLE = "C=US, O=Apple Inc., CN=Apple Public Server RSA CA 12 - G1";

const SITES: readonly Site[] = [
  { name: "www.google.com", ipv4: ["142.250.185.68", "142.250.186.36"], ipv6: ["2a00:1450:4007:80e::2004"], issuer: GTS, subject: "CN=www.google.com", weight: 10 },
  { name: "www.youtube.com", ipv4: ["142.250.74.238", "172.217.20.174"], ipv6: ["2a00:1450:4007:818::200e"], cname: ["youtube-ui.l.google.com"], issuer: GTS, subject: "CN=*.google.com", weight: 8 },
  { name: "i.ytimg.com", ipv4: ["142.250.179.86", "142.250.201.182"], issuer: GTS, subject: "CN=*.google.com", weight: 5 },
  { name: "fonts.gstatic.com", ipv4: ["142.250.201.163"], ipv6: ["2a00:1450:4007:80b::2003"], issuer: GTS, subject: "CN=*.gstatic.com", weight: 4 },
  { name: "update.googleapis.com", ipv4: ["142.250.185.99"], issuer: GTS, subject: "CN=*.googleapis.com", weight: 2 },
  { name: "github.com", ipv4: ["140.82.121.4", "140.82.121.3"], issuer: SECTIGO, subject: "CN=github.com", weight: 4 },
  { name: "api.github.com", ipv4: ["140.82.121.6"], issuer: SECTIGO, subject: "CN=*.github.com", weight: 3 },
  { name: "en.wikipedia.org", ipv4: ["185.15.59.224"], ipv6: ["2a02:ec80:600:ed1a::1"], cname: ["dyna.wikimedia.org"], issuer: DIGICERT, subject: "CN=*.wikipedia.org", weight: 3 },
  { name: "www.netflix.com", ipv4: ["54.155.178.5", "52.31.42.121"], cname: ["www.dradis.netflix.com", "www.eu-west-1.internal.dradis.netflix.com"], issuer: DIGICERT, subject: "C=US, ST=California, L=Los Gatos, O=Netflix, Inc., CN=www.netflix.com", weight: 4 },
  { name: "occ-0-56-55.1.nflxso.net", ipv4: ["45.57.90.1", "45.57.91.1"], issuer: DIGICERT, subject: "C=US, ST=California, L=Los Gatos, O=Netflix, Inc., CN=*.1.nflxso.net", weight: 3 },
  { name: "m.media-amazon.com", ipv4: ["108.138.7.88", "108.138.7.14"], cname: ["m.media-amazon.com.cdn.cloudflare.net"], issuer: AMAZON, subject: "CN=*.media-amazon.com", weight: 3 },
  { name: "www.amazon.fr", ipv4: ["18.155.134.200"], cname: ["tp.c95e7e602-frontier.amazon.fr", "d3ag4hukkh62yn.cloudfront.net"], issuer: DIGICERT, subject: "CN=www.amazon.fr", weight: 2 },
  { name: "graph.facebook.com", ipv4: ["157.240.221.16"], ipv6: ["2a03:2880:f11c:8183:face:b00c:0:25de"], cname: ["star.c10r.facebook.com"], issuer: DIGICERT, subject: "C=US, ST=California, L=Menlo Park, O=Meta Platforms, Inc., CN=*.facebook.com", weight: 3 },
  { name: "www.instagram.com", ipv4: ["157.240.221.174"], cname: ["z-p42-instagram.c10r.instagram.com"], issuer: DIGICERT, subject: "C=US, ST=California, L=Menlo Park, O=Meta Platforms, Inc., CN=*.instagram.com", weight: 3 },
  { name: "api.spotify.com", ipv4: ["35.186.224.24"], cname: ["edge-web.dual-gslb.spotify.com"], issuer: DIGICERT, subject: "C=SE, L=Stockholm, O=Spotify AB, CN=*.spotify.com", weight: 3 },
  { name: "outlook.office365.com", ipv4: ["52.97.146.162", "52.98.151.66"], cname: ["outlook.ha.office365.com", "outlook.ms-acdc.office.com"], issuer: MICROSOFT, subject: "C=US, ST=Washington, L=Redmond, O=Microsoft Corporation, CN=outlook.com", weight: 2 },
  { name: "login.microsoftonline.com", ipv4: ["20.190.159.4", "40.126.31.67"], cname: ["login.mso.msidentity.com", "ak.privatelink.msidentity.com"], issuer: MICROSOFT, subject: "C=US, ST=WA, L=Redmond, O=Microsoft Corporation, CN=stamp2.login.microsoftonline.com", weight: 2 },
  { name: "mobile.events.data.microsoft.com", ipv4: ["51.105.71.136"], issuer: MICROSOFT, subject: "C=US, ST=WA, L=Redmond, O=Microsoft Corporation, CN=*.events.data.microsoft.com", weight: 2 },
  { name: "gateway.icloud.com", ipv4: ["17.248.190.72", "17.248.190.8"], issuer: APPLE, subject: "C=US, ST=California, O=Apple Inc., CN=gateway.icloud.com", weight: 3 },
  { name: "registry.npmjs.org", ipv4: ["104.16.30.34", "104.16.27.34"], issuer: GTS, subject: "CN=npmjs.org", weight: 1 },
  { name: "pypi.org", ipv4: ["151.101.0.223", "151.101.64.223"], issuer: GTS, subject: "CN=pypi.org", weight: 1 },
  { name: "cdn.jsdelivr.net", ipv4: ["151.101.1.229"], issuer: GTS, subject: "CN=jsdelivr.net", weight: 2 },
  { name: "www.lemonde.fr", ipv4: ["151.101.122.217"], issuer: LETS_ENCRYPT, subject: "CN=www.lemonde.fr", weight: 2 },
  { name: "s3.eu-west-3.amazonaws.com", ipv4: ["52.95.156.20"], issuer: AMAZON, subject: "CN=s3.eu-west-3.amazonaws.com", weight: 1 },
  { name: "connectivity-check.ubuntu.com", ipv4: ["185.125.190.17", "185.125.190.48"], issuer: LETS_ENCRYPT, subject: "CN=connectivity-check.ubuntu.com", weight: 1, http: { url: "/", contentType: "text/plain", status: 204, length: 0 } },
  { name: "detectportal.firefox.com", ipv4: ["34.107.221.82"], cname: ["detectportal.prod.mozaws.net", "prod.detectportal.prod.cloudops.mozgcp.net"], issuer: DIGICERT, subject: "CN=detectportal.firefox.com", weight: 1, http: { url: "/canonical.html", contentType: "text/html", status: 200, length: 90 } },
  { name: "deb.debian.org", ipv4: ["151.101.122.132"], cname: ["debian.map.fastlydns.net"], issuer: GTS, subject: "CN=deb.debian.org", weight: 1, http: { url: "/debian/dists/bookworm/InRelease", contentType: "application/octet-stream", status: 200, length: 151_218 } },
  { name: "ctldl.windowsupdate.com", ipv4: ["93.184.221.240"], cname: ["audownload.windowsupdate.nsatc.net", "wu-b-net.trafficmanager.net"], issuer: MICROSOFT, subject: "CN=*.windowsupdate.com", weight: 1, http: { url: "/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab?8a2f0c1e4b3d9a77", contentType: "application/vnd.ms-cab-compressed", status: 200, length: 7_651 } },
];
const SITE_WEIGHTS = SITES.map((s) => [s, s.weight] as const);
const HTTP_SITES = SITES.filter((s) => s.http !== undefined).map((s) => [s, 1] as const);

/** Local names nobody answers: the NXDOMAIN background noise of a home network. */
const NXDOMAIN_NAMES = ["wpad.lan", "_dns.resolver.arpa", "printer.local.lan", "fritz.box", "isatap.lan", "time.local"];

// ---------------------------------------------------------------------------------------------------------------
// Signatures and anomalies

interface Signature {
  sid: number;
  rev: number;
  signature: string;
  category: string;
  severity: 1 | 2 | 3;
  /** Which app-layer object the alert embeds. */
  app?: "http" | "tls" | "dns";
}

const SIGNATURES: readonly (readonly [Signature, number])[] = [
  [{ sid: 2013028, rev: 7, signature: "ET POLICY curl User-Agent Outbound", category: "Attempted Information Leak", severity: 2, app: "http" }, 5],
  [{ sid: 2027865, rev: 5, signature: "ET INFO Observed DNS Query to .cloud TLD", category: "Potentially Bad Traffic", severity: 2, app: "dns" }, 3],
  [{ sid: 2221010, rev: 1, signature: "SURICATA HTTP unable to match response to request", category: "Generic Protocol Command Decode", severity: 3, app: "http" }, 4],
  [{ sid: 2210045, rev: 2, signature: "SURICATA STREAM Packet with invalid ack", category: "Generic Protocol Command Decode", severity: 3 }, 4],
  [{ sid: 2001219, rev: 20, signature: "ET SCAN Potential SSH Scan", category: "Attempted Information Leak", severity: 2 }, 2],
  [{ sid: 2402000, rev: 7211, signature: "ET DROP Dshield Block Listed Source group 1", category: "Misc Attack", severity: 2 }, 2],
  [{ sid: 2008581, rev: 3, signature: "ET P2P BitTorrent DHT ping request", category: "Potential Corporate Privacy Violation", severity: 3 }, 1],
  [{ sid: 2033966, rev: 2, signature: "ET INFO Observed Let's Encrypt Certificate for Suspicious TLD (.xyz)", category: "Misc activity", severity: 3, app: "tls" }, 1],
  [{ sid: 2024364, rev: 4, signature: "ET MALWARE Possible Cobalt Strike Beacon Observed", category: "A Network Trojan was detected", severity: 1, app: "http" }, 1],
];

const SCANNERS = ["45.148.10.242", "185.224.128.17", "193.32.162.29", "80.94.95.112", "141.98.11.54"];

const ANOMALIES: readonly (readonly [Record<string, string>, number])[] = [
  [{ type: "stream", event: "stream.pkt_invalid_ack" }, 4],
  [{ type: "stream", event: "stream.est_packet_out_of_window" }, 3],
  [{ type: "decode", event: "decoder.ipv4.trunc_pkt" }, 1],
  [{ type: "applayer", event: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION", layer: "proto_detect" }, 3],
  [{ app_proto: "tls", type: "applayer", event: "INVALID_RECORD_TYPE", layer: "proto_parser" }, 2],
  [{ app_proto: "dns", type: "applayer", event: "MALFORMED_DATA", layer: "proto_parser" }, 1],
];

const SSH_CLIENTS = ["OpenSSH_9.6p1 Ubuntu-3ubuntu13.5", "OpenSSH_9.9", "PuTTY_Release_0.81", "libssh2_1.11.0"];
const SSH_SERVERS = ["OpenSSH_9.2p1 Debian-2+deb12u3", "OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", "babeld-9a0d5b5f"];

const FILE_DOWNLOADS = [
  { url: "/debian/pool/main/o/openssl/libssl3_3.0.15-1~deb12u1_amd64.deb", type: "application/vnd.debian.binary-package", magic: "Debian binary package (format 2.0), with control.tar.xz, data compression xz" },
  { url: "/releases/download/v1.4.2/tool-linux-amd64.tar.gz", type: "application/gzip", magic: "gzip compressed data, original size modulo 2^32 10240" },
  { url: "/images/logo.png", type: "image/png", magic: "PNG image data, 512 x 512, 8-bit/color RGBA, non-interlaced" },
  { url: "/static/app.js", type: "application/javascript", magic: "ASCII text, with very long lines (65536), with no line terminators" },
  { url: "/downloads/invoice_2026.pdf", type: "application/pdf", magic: "PDF document, version 1.7, 2 pages" },
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Helpers that derive one value from others

const md5Cache = new Map<string, string>();
function md5(text: string): string {
  let hash = md5Cache.get(text);
  if (hash === undefined) {
    hash = createHash("md5").update(text).digest("hex");
    md5Cache.set(text, hash);
  }
  return hash;
}

const ipBytesCache = new Map<string, Buffer>();
function ipBytes(ip: string): Buffer {
  let bytes = ipBytesCache.get(ip);
  if (bytes === undefined) {
    bytes = parseIpBytes(ip);
    if (ipBytesCache.size < 4096) ipBytesCache.set(ip, bytes);
  }
  return bytes;
}

function parseIpBytes(ip: string): Buffer {
  if (!ip.includes(":")) return Buffer.from(ip.split(".").map(Number));
  const [head = "", tail = ""] = ip.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === "" ? [] : tail.split(":");
  const groups = [...headGroups, ...new Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), i * 2));
  return bytes;
}

const PROTOCOL_NUMBERS: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1 };

/** Community ID v1 (seed 0), as Suricata writes it with community-id: yes. */
export function communityId(srcIp: string, srcPort: number, destIp: string, destPort: number, proto: string): string {
  let a = ipBytes(srcIp);
  let b = ipBytes(destIp);
  let pa = srcPort;
  let pb = destPort;
  const order = Buffer.compare(a, b);
  if (order > 0 || (order === 0 && pa > pb)) {
    [a, b] = [b, a];
    [pa, pb] = [pb, pa];
  }
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(pa, 0);
  ports.writeUInt16BE(pb, 2);
  const header = Buffer.from([0, 0]);
  const protocol = Buffer.from([PROTOCOL_NUMBERS[proto] ?? 0, 0]);
  const digest = createHash("sha1").update(header).update(a).update(b).update(protocol).update(ports).digest("base64");
  return `1:${digest}`;
}

/** Suricata's certificate dates: "2026-10-06T08:37:54", no zone. */
function certificateDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

// ---------------------------------------------------------------------------------------------------------------
// The generator

interface Connection {
  device: Device;
  srcIp: string;
  srcPort: number;
  destIp: string;
  destPort: number;
  proto: "TCP" | "UDP";
  flowId: number;
  ipv6: boolean;
}

const DAY_MS = 86_400_000;

class SuricataEventGenerator implements EventGenerator {
  private readonly random: Random;
  private readonly mix: (readonly [EventKind, number])[];
  private readonly meanGapMs: number;
  private readonly host: string | undefined;
  private clock: number;
  /** DNS answers waiting to follow their query. */
  private readonly pendingAnswers: { connection: Connection; query: Record<string, unknown> }[] = [];
  private readonly stats: StatsCounters;

  constructor(options: EventGeneratorOptions) {
    this.random = new Random(options.seed ?? 1);
    this.clock = (options.startTime ?? new Date()).getTime();
    this.host = options.host;
    this.meanGapMs = 1000 / (options.eventsPerSecond ?? 200);
    const weights = { ...DEFAULT_EVENT_MIX, ...options.mix };
    this.mix = EVENT_KINDS.filter((k) => (weights[k] ?? 0) > 0).map((k) => [k, weights[k]!] as const);
    if (this.mix.length === 0) throw new RangeError("event mix gives every kind a weight of 0");
    // Suricata has been running for a while when we start watching it.
    this.stats = new StatsCounters(this.clock - this.random.int(3_600, 86_400) * 1000, this.random);
  }

  next(at?: Date): SampleEvent {
    const now = at === undefined ? this.tick() : at.getTime();
    const kind = this.random.weighted(this.mix);
    switch (kind) {
      case "dns":
        return this.dns(now);
      case "flow":
        return this.flow(now);
      case "tls":
        return this.tls(now);
      case "http":
        return this.http(now);
      case "alert":
        return this.alert(now);
      case "fileinfo":
        return this.fileinfo(now);
      case "anomaly":
        return this.anomaly(now);
      case "ssh":
        return this.ssh(now);
      case "stats":
        return this.statsEvent(new Date(now));
    }
  }

  nextBatch(n: number): SampleEvent[] {
    const events: SampleEvent[] = [];
    for (let i = 0; i < n; i++) events.push(this.next());
    return events;
  }

  statsEvent(now: Date): SampleEvent {
    const stats = this.stats.advance(now.getTime());
    return { timestamp: this.timestamp(now.getTime()), event_type: "stats", ...(this.host ? { host: this.host } : {}), stats };
  }

  private tick(): number {
    this.clock += this.random.exponential(this.meanGapMs);
    return this.clock;
  }

  private timestamp(epochMs: number): string {
    return formatSuricataTimestamp(epochMs, this.random.int(0, 999));
  }

  /** The fields every packet/flow event starts with, in Suricata's order. */
  private header(now: number, eventType: EventKind, c: Connection): SampleEvent {
    const event: SampleEvent = {
      timestamp: this.timestamp(now),
      flow_id: c.flowId,
      in_iface: IFACE,
      event_type: eventType,
      src_ip: c.srcIp,
      src_port: c.srcPort,
      dest_ip: c.destIp,
      dest_port: c.destPort,
      proto: c.proto,
    };
    if (this.host !== undefined) event.host = this.host;
    return event;
  }

  private ether(c: Connection, reply = false): Record<string, string> {
    const [src, dest] = reply ? [RESOLVER.mac, c.device.mac] : [c.device.mac, RESOLVER.mac];
    return { src_mac: src, dest_mac: dest };
  }

  private flowId(): number {
    // Suricata's flow ids are hashes below 2^51.
    return this.random.int(1e14, 2.2e15);
  }

  private ephemeralPort(): number {
    return this.random.int(32_768, 60_999);
  }

  private connection(destIp: string, destPort: number, proto: "TCP" | "UDP", device = this.random.pick(DEVICES)): Connection {
    const ipv6 = destIp.includes(":");
    return {
      device,
      srcIp: ipv6 ? (device.ip6 ?? device.ip) : device.ip,
      srcPort: this.ephemeralPort(),
      destIp,
      destPort,
      proto,
      flowId: this.flowId(),
      ipv6,
    };
  }

  private siteAddress(site: Site, device: Device): string {
    const ipv6 = device.ip6 !== undefined && site.ipv6 !== undefined && this.random.chance(0.3);
    return this.random.pick(ipv6 ? site.ipv6! : site.ipv4);
  }

  private dns(now: number): SampleEvent {
    const pending = this.pendingAnswers.shift();
    if (pending !== undefined) return this.dnsAnswer(now, pending.connection, pending.query);
    const device = this.random.pick(DEVICES);
    const resolver = device.ip6 !== undefined && this.random.chance(0.15) ? RESOLVER.ip6 : RESOLVER.ip;
    const c = this.connection(resolver, 53, "UDP", device);
    const nx = this.random.chance(0.06);
    const rrname = nx ? this.random.pick(NXDOMAIN_NAMES) : this.random.weighted(SITE_WEIGHTS).name;
    const rrtype = this.random.weighted([["A", 6], ["AAAA", 3], ["HTTPS", 2]] as const);
    const query = { type: "query", id: this.random.int(1, 65_535), rrname, rrtype, tx_id: 0 };
    this.pendingAnswers.push({ connection: c, query });
    return Object.assign(this.header(now, "dns", c), { ether: this.ether(c), dns: query });
  }

  private dnsAnswer(now: number, c: Connection, query: Record<string, unknown>): SampleEvent {
    const rrname = query.rrname as string;
    const rrtype = query.rrtype as string;
    const site = SITES.find((s) => s.name === rrname);
    const dns: Record<string, unknown> = {
      version: 2,
      type: "answer",
      id: query.id,
      flags: site === undefined ? "8183" : "8180",
      qr: true,
      rd: true,
      ra: true,
      rrname,
      rrtype,
      rcode: site === undefined ? "NXDOMAIN" : "NOERROR",
    };
    if (site !== undefined) {
      const answers: Record<string, unknown>[] = [];
      const grouped: Record<string, string[]> = {};
      const add = (name: string, type: string, rdata: string, ttl: number) => {
        answers.push({ rrname: name, rrtype: type, ttl, rdata });
        (grouped[type] ??= []).push(rdata);
      };
      let owner = rrname;
      for (const alias of site.cname ?? []) {
        add(owner, "CNAME", alias, this.random.int(30, 3600));
        owner = alias;
      }
      const ttl = this.random.int(20, 300);
      if (rrtype === "A") for (const ip of site.ipv4) add(owner, "A", ip, ttl);
      if (rrtype === "AAAA") for (const ip of site.ipv6 ?? []) add(owner, "AAAA", ip, ttl);
      if (answers.length > 0) {
        dns.answers = answers;
        dns.grouped = grouped;
      }
    } else {
      dns.authorities = [{ rrname: ".", rrtype: "SOA", ttl: 86_400, soa: { mname: "a.root-servers.net", rname: "nstld.verisign-grs.com", serial: 2026112800, refresh: 1800, retry: 900, expire: 604_800, minimum: 86_400 } }];
    }
    return Object.assign(this.header(now, "dns", c), { ether: this.ether(c, true), dns });
  }

  private flow(now: number): SampleEvent {
    const service = this.random.weighted([["tls", 50], ["dns", 20], ["quic", 10], ["http", 5], ["ntp", 4], ["ssh", 2], ["failed", 9]] as const);
    const site = this.random.weighted(SITE_WEIGHTS);
    const device = this.random.pick(DEVICES);
    let c: Connection;
    let appProto: string | undefined = service;
    switch (service) {
      case "dns":
        c = this.connection(RESOLVER.ip, 53, "UDP", device);
        break;
      case "quic":
        c = this.connection(this.siteAddress(site, device), 443, "UDP", device);
        break;
      case "ntp":
        c = this.connection(this.random.pick(["185.125.190.58", "162.159.200.1", "216.239.35.0"]), 123, "UDP", device);
        break;
      case "http":
        c = this.connection(this.random.weighted(HTTP_SITES).ipv4[0]!, 80, "TCP", device);
        break;
      case "ssh":
        c = this.connection(NAS.ip, 22, "TCP", device);
        break;
      case "failed":
        c = this.connection(this.random.pick(["17.57.146.20", "3.33.152.147", "23.215.0.136"]), this.random.pick([5223, 8883, 4070]), "TCP", device);
        appProto = this.random.chance(0.5) ? "failed" : undefined;
        break;
      default:
        c = this.connection(this.siteAddress(site, device), 443, "TCP", device);
    }
    const udp = c.proto === "UDP";
    const pktsToServer = udp ? this.random.int(1, 4) : Math.max(3, Math.round(this.random.logNormal(14, 1.3)));
    const pktsToClient = udp ? this.random.int(1, 4) : Math.max(2, Math.round(pktsToServer * this.random.logNormal(1.6, 0.8)));
    const bytesToServer = Math.round(pktsToServer * (udp ? this.random.int(60, 120) : this.random.int(70, 260)));
    const bytesToClient = Math.round(pktsToClient * (udp ? this.random.int(90, 480) : this.random.int(300, 1450)));
    const ageSeconds = udp ? this.random.int(0, 2) : Math.round(this.random.logNormal(8, 1.5));
    const timeout = udp ? 30_000 : this.random.pick([0, 0, 60_000, 120_000]);
    const end = now - timeout - this.random.int(0, 2000);
    const start = end - ageSeconds * 1000 - this.random.int(0, 999);
    const closed = !udp && this.random.chance(0.75);
    const event: SampleEvent = this.header(now, "flow", c);
    if (appProto !== undefined) event.app_proto = appProto;
    event.flow = {
      pkts_toserver: pktsToServer,
      pkts_toclient: pktsToClient,
      bytes_toserver: bytesToServer,
      bytes_toclient: bytesToClient,
      start: this.timestamp(start),
      end: this.timestamp(end),
      age: Math.round((end - start) / 1000),
      state: udp ? "established" : closed ? "closed" : this.random.pick(["established", "new"]),
      reason: this.random.weighted([["timeout", 8], ["shutdown", 1], ["forced", 1]] as const),
      alerted: this.random.chance(0.01),
    };
    event.ether = { dest_macs: [RESOLVER.mac], src_macs: [c.device.mac] };
    event.community_id = communityId(c.srcIp, c.srcPort, c.destIp, c.destPort, c.proto);
    if (!udp) {
      const flags = closed ? "1b" : "1a";
      const tcp: Record<string, unknown> = { tcp_flags: flags, tcp_flags_ts: flags, tcp_flags_tc: closed ? "1b" : "12", syn: true };
      if (closed) tcp.fin = true;
      Object.assign(tcp, { psh: true, ack: true, state: closed ? "closed" : "established" });
      event.tcp = tcp;
    }
    return event;
  }

  private tlsObject(site: Site, device: Device, now: number): Record<string, unknown> {
    const tls13 = this.random.chance(0.55);
    const tls: Record<string, unknown> = {};
    // TLS 1.3 encrypts the certificate, so Suricata sees it only for TLS 1.2.
    if (!tls13) {
      const notBefore = now - this.random.int(5, 80) * DAY_MS - this.random.int(0, DAY_MS);
      tls.subject = site.subject;
      tls.issuerdn = site.issuer;
      tls.serial = this.random.hex(16, ":").toUpperCase();
      tls.fingerprint = this.random.hex(20, ":");
      tls.sni = site.name;
      tls.version = "TLS 1.2";
      tls.notbefore = certificateDate(notBefore);
      tls.notafter = certificateDate(notBefore + (site.issuer === LETS_ENCRYPT || site.issuer === GTS ? 90 : 365) * DAY_MS);
    } else {
      tls.sni = site.name;
      tls.version = "TLS 1.3";
    }
    tls.ja3 = { hash: md5(device.client.ja3), string: device.client.ja3 };
    const ja3s = tls13 ? "771,4865,51-43" : "771,49199,65281-0-11-35-16-23";
    tls.ja3s = { hash: md5(ja3s), string: ja3s };
    return tls;
  }

  private tls(now: number): SampleEvent {
    const site = this.random.weighted(SITE_WEIGHTS);
    const device = this.random.pick(DEVICES);
    const c = this.connection(this.siteAddress(site, device), 443, "TCP", device);
    return Object.assign(this.header(now, "tls", c), { ether: this.ether(c), tls: this.tlsObject(site, device, now) });
  }

  private httpObject(site: Site, device: Device, url?: string, contentType?: string, length?: number): Record<string, unknown> {
    const page = site.http!;
    return {
      hostname: site.name,
      url: url ?? page.url,
      http_user_agent: device.client.userAgent,
      http_content_type: contentType ?? page.contentType,
      http_method: "GET",
      protocol: "HTTP/1.1",
      status: url === undefined ? page.status : 200,
      length: length ?? page.length,
    };
  }

  private http(now: number): SampleEvent {
    const site = this.random.weighted(HTTP_SITES);
    const device = this.random.pick(DEVICES);
    const c = this.connection(this.random.pick(site.ipv4), 80, "TCP", device);
    return Object.assign(this.header(now, "http", c), { tx_id: this.random.int(0, 3), ether: this.ether(c), http: this.httpObject(site, device) });
  }

  private fileinfo(now: number): SampleEvent {
    const site = this.random.weighted(HTTP_SITES);
    const device = this.random.pick(DEVICES);
    const download = this.random.pick(FILE_DOWNLOADS);
    const size = Math.round(this.random.logNormal(40_000, 1.8));
    const c = this.connection(this.random.pick(site.ipv4), 80, "TCP", device);
    // Files flow server -> client: Suricata logs fileinfo in the file's direction.
    const event = Object.assign(this.header(now, "fileinfo", c), {
      src_ip: c.destIp,
      src_port: c.destPort,
      dest_ip: c.srcIp,
      dest_port: c.srcPort,
      http: this.httpObject(site, device, download.url, download.type, size),
      app_proto: "http",
      fileinfo: {
        filename: download.url,
        magic: download.magic,
        gaps: false,
        state: "CLOSED",
        sha256: this.random.hex(32),
        stored: false,
        size,
        tx_id: 0,
      },
    });
    return event;
  }

  private alert(now: number): SampleEvent {
    const signature = this.random.weighted(SIGNATURES);
    this.stats.noteAlert();
    const device = this.random.pick(DEVICES);
    const site = this.random.weighted(signature.app === "http" ? HTTP_SITES : SITE_WEIGHTS);
    const inbound = signature.sid === 2001219 || signature.sid === 2402000 || signature.app === undefined && this.random.chance(0.3);
    let c: Connection;
    if (inbound) {
      // A scanner on the internet knocking on the port-forwarded NAS.
      const destPort = signature.sid === 2001219 ? 22 : this.random.pick([22, 445, 3389, 8080]);
      c = { device, srcIp: this.random.pick(SCANNERS), srcPort: this.ephemeralPort(), destIp: NAS.ip, destPort, proto: "TCP", flowId: this.flowId(), ipv6: false };
    } else if (signature.app === "dns") {
      c = this.connection(RESOLVER.ip, 53, "UDP", device);
    } else {
      c = this.connection(this.random.pick(site.ipv4), signature.app === "http" ? 80 : 443, "TCP", device);
    }
    const event = this.header(now, "alert", c);
    event.ether = this.ether(c);
    if (signature.app === "dns") event.tx_id = 0;
    event.alert = {
      action: "allowed",
      gid: 1,
      signature_id: signature.sid,
      rev: signature.rev,
      signature: signature.signature,
      category: signature.category,
      severity: signature.severity,
      metadata: {
        created_at: ["2019_07_26"],
        signature_severity: [signature.severity === 1 ? "Major" : signature.severity === 2 ? "Minor" : "Informational"],
        updated_at: ["2025_10_14"],
      },
    };
    if (signature.app === "http") {
      const ua = signature.sid === 2013028 ? CURL : device.client;
      event.http = this.httpObject(site, { ...device, client: ua });
    } else if (signature.app === "tls") {
      event.tls = this.tlsObject({ ...site, name: "cdn-update.example.xyz", issuer: LETS_ENCRYPT, subject: "CN=cdn-update.example.xyz" }, device, now);
    } else if (signature.app === "dns") {
      event.dns = { query: [{ type: "query", id: this.random.int(1, 65_535), rrname: "files.storage-eu.cloud", rrtype: "A", tx_id: 0, opcode: 0 }] };
    }
    if (signature.app !== undefined) event.app_proto = signature.app;
    event.direction = "to_server";
    event.flow = {
      pkts_toserver: this.random.int(1, 12),
      pkts_toclient: this.random.int(0, 12),
      bytes_toserver: this.random.int(60, 4000),
      bytes_toclient: this.random.int(0, 12_000),
      start: this.timestamp(now - this.random.int(0, 5000)),
      src_ip: c.srcIp,
      dest_ip: c.destIp,
      src_port: c.srcPort,
      dest_port: c.destPort,
    };
    event.community_id = communityId(c.srcIp, c.srcPort, c.destIp, c.destPort, c.proto);
    event.pkt_src = "wire/pcap";
    return event;
  }

  private anomaly(now: number): SampleEvent {
    const anomaly = this.random.weighted(ANOMALIES);
    const site = this.random.weighted(SITE_WEIGHTS);
    const device = this.random.pick(DEVICES);
    const c = this.connection(this.random.pick(site.ipv4), 443, "TCP", device);
    const event = this.header(now, "anomaly", c);
    if (anomaly.type === "decode") {
      // Decoder anomalies come from a packet Suricata could not attach to a flow.
      delete event.flow_id;
      delete event.src_port;
      delete event.dest_port;
    }
    if (anomaly.app_proto !== undefined) event.app_proto = anomaly.app_proto;
    event.ether = this.ether(c);
    event.anomaly = { ...anomaly };
    event.pkt_src = "wire/pcap";
    return event;
  }

  private ssh(now: number): SampleEvent {
    const device = this.random.pick(DEVICES);
    const toGithub = this.random.chance(0.4);
    const c = this.connection(toGithub ? "140.82.121.4" : NAS.ip, 22, "TCP", device);
    return Object.assign(this.header(now, "ssh", c), {
      ether: this.ether(c),
      ssh: {
        client: { proto_version: "2.0", software_version: this.random.pick(SSH_CLIENTS) },
        server: { proto_version: "2.0", software_version: toGithub ? "babeld-9a0d5b5f" : this.random.pick(SSH_SERVERS.slice(0, 2)) },
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cumulative stats

const APP_FLOW_SHARES: readonly (readonly [string, number])[] = [
  ["dns_udp", 0.36], ["tls", 0.3], ["quic", 0.08], ["http", 0.03], ["ntp", 0.02], ["ssh", 0.005], ["dhcp", 0.005],
  ["mdns", 0.02], ["failed_tcp", 0.04], ["failed_udp", 0.05], ["dns_tcp", 0.001], ["smb", 0.002],
];

/** Suricata's counters since it started; each call to advance() adds what happened since the previous one. */
class StatsCounters {
  private last: number;
  private pkts = 0;
  private bytes = 0;
  private drops = 0;
  private tcp = 0;
  private udp = 0;
  private flows = 0;
  private alerts = 0;
  /** Fractional background alerts carried between calls, so slow rates still add up. */
  private alertCarry = 0;
  private active = 0;
  private readonly appFlows = new Map<string, number>();

  constructor(
    private readonly bootTime: number,
    private readonly random: Random,
  ) {
    this.last = bootTime;
    this.active = random.int(180, 420);
  }

  /** Alert events the generator emitted also count in detect.alert, so the stream and the stats agree. */
  noteAlert(): void {
    this.alerts++;
  }

  advance(now: number): Record<string, unknown> {
    const seconds = Math.max(0, now - this.last) / 1000;
    if (now > this.last) this.last = now;
    // A home uplink: a few hundred to a few thousand packets a second, bursty.
    const pktRate = this.random.logNormal(900, 0.5);
    const newPkts = Math.round(seconds * pktRate);
    const avgSize = this.random.int(550, 900);
    this.pkts += newPkts;
    this.bytes += newPkts * avgSize;
    if (this.random.chance(0.1)) this.drops += Math.round(newPkts * this.random.float() * 0.002);
    const newTcp = Math.round(newPkts * 0.82);
    this.tcp += newTcp;
    this.udp += newPkts - newTcp;
    const newFlows = Math.round(seconds * this.random.logNormal(12, 0.4));
    this.flows += newFlows;
    for (const [proto, share] of APP_FLOW_SHARES) {
      this.appFlows.set(proto, (this.appFlows.get(proto) ?? 0) + Math.round(newFlows * share * (0.8 + this.random.float() * 0.4)));
    }
    this.alertCarry += seconds * this.random.float() * 0.05;
    this.alerts += Math.floor(this.alertCarry);
    this.alertCarry -= Math.floor(this.alertCarry);
    const appFlow = Object.fromEntries(APP_FLOW_SHARES.map(([proto]) => [proto, this.appFlows.get(proto) ?? 0]));
    const appTx = Object.fromEntries(
      APP_FLOW_SHARES.filter(([proto]) => !proto.startsWith("failed")).map(([proto]) => [proto, Math.round((this.appFlows.get(proto) ?? 0) * (proto.startsWith("dns") ? 2 : 1.4))]),
    );
    // A gauge that wanders rather than jumps between snapshots.
    this.active = Math.min(900, Math.max(60, Math.round(this.active * (0.9 + this.random.float() * 0.2))));
    const active = this.active;
    return {
      uptime: Math.floor((this.last - this.bootTime) / 1000),
      capture: { kernel_packets: this.pkts + this.drops, kernel_drops: this.drops, errors: 0 },
      decoder: {
        pkts: this.pkts,
        bytes: this.bytes,
        invalid: Math.floor(this.pkts / 250_000),
        ipv4: Math.round(this.pkts * 0.93),
        ipv6: Math.round(this.pkts * 0.07),
        ethernet: this.pkts,
        tcp: this.tcp,
        udp: this.udp,
        icmpv4: Math.floor(this.pkts / 5000),
        icmpv6: Math.floor(this.pkts / 4000),
        avg_pkt_size: avgSize,
        max_pkt_size: 1514,
      },
      flow: {
        memcap: 0,
        total: this.flows,
        active,
        tcp: Math.round(this.flows * 0.45),
        udp: Math.round(this.flows * 0.54),
        icmpv4: Math.round(this.flows * 0.004),
        icmpv6: Math.round(this.flows * 0.006),
        spare: 9_800 - Math.min(active, 9_800),
        emerg_mode_entered: 0,
        emerg_mode_over: 0,
        memuse: 7_474_304 + active * 320,
      },
      tcp: {
        sessions: Math.round(this.flows * 0.43),
        syn: Math.round(this.flows * 0.45),
        synack: Math.round(this.flows * 0.44),
        rst: Math.round(this.flows * 0.03),
        midstream_pickups: 0,
        reassembly_gap: Math.floor(this.pkts / 400_000),
        memuse: 2_424_832,
        reassembly_memuse: 393_216 + active * 1024,
      },
      detect: { engines: [{ id: 0, last_reload: formatSuricataTimestamp(this.bootTime + 1500, 87), rules_loaded: 48_213, rules_failed: 0, rules_skipped: 112 }], alert: this.alerts, alert_queue_overflow: 0, alerts_suppressed: 0 },
      app_layer: { flow: appFlow, tx: appTx, expectations: 0 },
      flow_bypassed: { local_pkts: 0, local_bytes: 0, closed: 0, pkts: 0, bytes: 0 },
      http: { memuse: 61_440, memcap: 0 },
      file_store: { open_files: 0 },
    };
  }
}

/** A deterministic source of realistic Suricata 7 events (see EventGeneratorOptions). */
export function createEventGenerator(options: EventGeneratorOptions = {}): EventGenerator {
  return new SuricataEventGenerator(options);
}
