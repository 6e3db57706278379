// `host IP` below the command: one scan of the window for events naming the address (a byte search for `"IP"`
// before decoding), summarised as the dashboard's top-N for that one host: names it asked DNS for, TLS SNIs,
// peers by bytes, alerts by signature, flows by app protocol. Keys are raw event text: renderers escape them.
import type { NatsConnection } from "@nats-io/nats-core";
import type { EveEvent } from "../eve/event.js";
import { topKeysOf } from "../eve/top.js";
import { asNumber, asObject, asRawString, path } from "../eve/types.js";
import type { ResolvedConnection } from "../nats/connection/index.js";
import { TopCounter, type TopEntry } from "../tui/state/top-counter.js";
import { addressNeedles, suricataAddress } from "./ip-address.js";
import { scanWindow, type TimeWindow } from "./scan.js";

export interface HostQuery {
  ip: string;
  window: TimeWindow;
  prefix: string;
  streamName?: string;
  /** Entries per list. */
  top: number;
  onStatus?(line: string): void;
}

export interface AlertEntry extends TopEntry {
  /** The most severe (lowest) severity seen with this signature. */
  severity?: number;
}

export interface HostSummary {
  ip: string;
  window: TimeWindow;
  stream: string;
  /** Messages read in the window. */
  read: number;
  /** Events naming the host as source or destination, per event type. */
  eventsByType: Record<string, number>;
  dnsNames: TopEntry[];
  tlsSnis: TopEntry[];
  /** Weight: bytes both ways of the flows between the host and the peer. */
  peers: TopEntry[];
  alerts: AlertEntry[];
  /** Weight: bytes; count: flows. */
  appProtos: TopEntry[];
  /** Some list forgot rare keys on the way (more distinct names than it keeps): its figures are lower bounds. */
  approximate: boolean;
}

/** Accumulates one host's events; fed by the scan, or by tests with sample events. */
export class HostAggregator {
  private readonly dns = new TopCounter();
  private readonly sni = new TopCounter();
  private readonly peers = new TopCounter();
  private readonly alerts = new TopCounter();
  private readonly protos = new TopCounter();
  private readonly severities = new Map<string, number>();
  readonly eventsByType = new Map<string, number>();

  private readonly isIpv6: boolean;

  /** `ip` in the form Suricata writes (suricataAddress). */
  constructor(readonly ip: string) {
    this.isIpv6 = ip.includes(":");
  }

  /**
   * Whether an event's address field names the host: IPv6 in any spelling. Suricata's own expanded form (as long
   * as `ip`) is compared as it is; only other spellings are parsed, so a scan does not parse every IPv6 address.
   */
  private isHost(value: unknown): boolean {
    if (typeof value !== "string") return false;
    if (value === this.ip) return true;
    return this.isIpv6 && value.length !== this.ip.length && value.includes(":") && suricataAddress(value) === this.ip;
  }

  /** Counts the event when the host is its source or destination; false when it is not about the host. */
  add(event: EveEvent): boolean {
    const isSource = this.isHost(event.src_ip);
    const isDestination = this.isHost(event.dest_ip);
    if (!isSource && !isDestination) return false;
    const type = typeof event.event_type === "string" ? event.event_type : "(none)";
    this.eventsByType.set(type, (this.eventsByType.get(type) ?? 0) + 1);
    switch (type) {
      case "dns":
        // Names the host asked for (the query's source); v1 answers logged from the server side are not asks.
        if (isSource) for (const { key } of topKeysOf(event)) this.dns.add(key);
        break;
      case "tls":
        for (const { key } of topKeysOf(event)) this.sni.add(key);
        break;
      case "flow": {
        const flow = asObject(event["flow"]);
        const bytes = (asNumber(flow?.["bytes_toserver"]) ?? 0) + (asNumber(flow?.["bytes_toclient"]) ?? 0);
        const peer = asRawString(isSource ? event.dest_ip : event.src_ip);
        if (peer !== undefined && peer !== "") this.peers.add(peer, bytes);
        const proto = asRawString(event.app_proto) ?? asRawString(event.proto)?.toLowerCase() ?? "unknown";
        this.protos.add(proto, bytes);
        break;
      }
      case "alert": {
        const signature = asRawString(path(event, "alert", "signature"));
        if (signature === undefined || signature === "") break;
        this.alerts.add(signature);
        const severity = asNumber(path(event, "alert", "severity"));
        const known = this.severities.get(signature);
        if (severity !== undefined && (known === undefined || severity < known) && this.severities.size < 10_000) this.severities.set(signature, severity);
        break;
      }
    }
    return true;
  }

  summary(top: number, scan: { window: TimeWindow; stream: string; read: number }): HostSummary {
    const alerts: AlertEntry[] = this.alerts.top(top).map((e) => {
      const severity = this.severities.get(e.key);
      return severity === undefined ? e : { ...e, severity };
    });
    return {
      ip: this.ip,
      ...scan,
      eventsByType: Object.fromEntries(this.eventsByType),
      dnsNames: this.dns.top(top),
      tlsSnis: this.sni.top(top),
      peers: this.peers.top(top),
      alerts,
      appProtos: this.protos.top(top),
      approximate: [this.dns, this.sni, this.peers, this.alerts, this.protos].some((c) => c.approximate),
    };
  }
}

export async function investigateHost(nc: NatsConnection, resolved: ResolvedConnection, query: HostQuery): Promise<HostSummary> {
  const ip = suricataAddress(query.ip);
  const aggregator = new HostAggregator(ip);
  const counts = await scanWindow(nc, resolved, {
    subjects: [`${query.prefix}.>`],
    window: query.window,
    // Addresses are JSON strings: the quotes keep 10.0.0.1 from matching 10.0.0.10.
    needles: addressNeedles(ip),
    ...(query.streamName !== undefined ? { streamName: query.streamName } : {}),
    ...(query.onStatus !== undefined ? { onStatus: query.onStatus } : {}),
    onEvent: (e) => void aggregator.add(e.event),
  });
  return aggregator.summary(query.top, { window: query.window, stream: counts.stream, read: counts.read });
}
