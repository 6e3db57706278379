// Rates from Suricata `stats` events. Counters in a stats event are cumulative since Suricata started, so a rate
// is the difference from the previous stats event of the same sensor divided by the time between them.
import type { EveEvent } from "./event.js";
import { sanitizeText } from "../text/sanitize.js";
import { asNumber, asObject, clip, counter, parseEveTimestamp, path, type Fields } from "./types.js";

export interface StatsTotals {
  /** decoder.pkts: packets Suricata decoded */
  packets: number;
  /** decoder.bytes */
  bytes: number;
  /** decoder.invalid */
  invalid: number;
  /** capture.kernel_packets (live capture only) */
  kernelPackets?: number;
  /** capture.kernel_drops (live capture only) */
  kernelDrops?: number;
  /** detect.alert */
  alerts: number;
}

export interface StatsSnapshot {
  /** Sensor: event.host, else in_iface, else "default"; sanitised for display. */
  host: string;
  /** Seconds since Suricata started (stats.uptime). */
  uptime: number;
  /** Event time in epoch ms when the timestamp parses. */
  timestampMs?: number;
  /** Seconds between this stats event and the previous one of the same host (absent on the first). */
  intervalSeconds?: number;
  /** capture.kernel_packets rate on live capture, decoder.pkts rate otherwise (pcap). */
  packetsPerSec?: number;
  bytesPerSec?: number;
  /** drops / (packets + drops) over the interval, in percent. */
  kernelDropPct?: number;
  /** The same since Suricata started. */
  kernelDropPctTotal?: number;
  activeFlows?: number;
  alertsPerSec?: number;
  /** New flows per second by app-layer protocol, from stats.app_layer.flow.* */
  appLayerFlowsPerSec?: Record<string, number>;
  /** True when uptime went down: Suricata restarted, rates start again from this event. */
  restarted: boolean;
  /** Whether packet counts come from the capture (live) or only the decoder (pcap). */
  packetSource: "capture" | "decoder";
  totals: StatsTotals;
}

interface Sample {
  uptime: number;
  timestampMs: number | undefined;
  totals: StatsTotals;
  appLayerFlows: Record<string, number>;
  snapshot: StatsSnapshot;
}

const MAX_HOST_CHARS = 128;

/** Sensors remembered; more are unlikely, and a bound keeps odd input from growing memory without end. */
const MAX_HOSTS = 1024;

function sensorKey(event: EveEvent): string {
  if (typeof event.host === "string" && event.host !== "") return event.host;
  const iface = event["in_iface"];
  if (typeof iface === "string" && iface !== "") return iface;
  return "default";
}

function readTotals(stats: Fields): StatsTotals {
  const decoder = asObject(stats["decoder"]);
  const capture = asObject(stats["capture"]);
  const totals: StatsTotals = {
    packets: counter(decoder?.["pkts"]),
    bytes: counter(decoder?.["bytes"]),
    invalid: counter(decoder?.["invalid"]),
    alerts: counter(path(stats, "detect", "alert")),
  };
  if (capture !== undefined) {
    totals.kernelPackets = counter(capture["kernel_packets"]);
    totals.kernelDrops = counter(capture["kernel_drops"]);
  }
  return totals;
}

function readAppLayerFlows(stats: Fields): Record<string, number> {
  const flows = asObject(path(stats, "app_layer", "flow"));
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  if (flows === undefined) return out;
  for (const key of Object.keys(flows)) {
    const n = asNumber(flows[key]);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

/** Active flows: stats.flow.active (Suricata 7+), else the flow manager's count on older versions. */
function readActiveFlows(stats: Fields): number | undefined {
  return (
    asNumber(path(stats, "flow", "active")) ??
    asNumber(path(stats, "flow_mgr", "flows_active")) ??
    asNumber(path(stats, "flow", "mgr", "flows_active"))
  );
}

function dropPct(drops: number, packets: number): number | undefined {
  const seen = packets + drops;
  return seen > 0 ? (drops / seen) * 100 : drops === 0 ? 0 : undefined;
}

/** A per-second rate, or undefined when the counter went backwards (reset) or there is no interval. */
function rate(current: number, previous: number, seconds: number): number | undefined {
  const delta = current - previous;
  return delta < 0 ? undefined : delta / seconds;
}

export class StatsRateTracker {
  private readonly previous = new Map<string, Sample>();

  /**
   * Records a stats event and returns what it says, with rates against the previous one of the same sensor.
   * Calling it again with the same event (same uptime and timestamp) returns the same snapshot unchanged.
   */
  update(event: EveEvent): StatsSnapshot {
    const fields: EveEvent = asObject(event) ?? {};
    const stats = asObject(fields["stats"]) ?? {};
    const host = sensorKey(fields);
    const uptime = counter(stats["uptime"]);
    const timestampMs = parseEveTimestamp(fields.timestamp);
    const totals = readTotals(stats);
    const appLayerFlows = readAppLayerFlows(stats);
    const live = totals.kernelPackets !== undefined;

    const snapshot: StatsSnapshot = {
      host: sanitizeText(clip(host, MAX_HOST_CHARS)),
      uptime,
      restarted: false,
      packetSource: live ? "capture" : "decoder",
      totals,
    };
    if (timestampMs !== undefined) snapshot.timestampMs = timestampMs;
    const activeFlows = readActiveFlows(stats);
    if (activeFlows !== undefined) snapshot.activeFlows = activeFlows;
    if (live) {
      const total = dropPct(totals.kernelDrops ?? 0, totals.kernelPackets ?? 0);
      if (total !== undefined) snapshot.kernelDropPctTotal = total;
    }

    const prev = this.previous.get(host);
    // The same event seen twice (the TUI pane and the formatted line both asking) must not become a zero interval.
    if (prev !== undefined && prev.uptime === uptime && prev.timestampMs === timestampMs) return prev.snapshot;
    if (prev !== undefined && isRestart(prev, uptime, timestampMs)) snapshot.restarted = true;
    if (prev !== undefined && !snapshot.restarted) {
      const seconds = intervalSeconds(prev, uptime, timestampMs);
      if (seconds !== undefined) {
        snapshot.intervalSeconds = seconds;
        const packets = live
          ? rate(totals.kernelPackets ?? 0, prev.totals.kernelPackets ?? 0, seconds)
          : rate(totals.packets, prev.totals.packets, seconds);
        if (packets !== undefined) snapshot.packetsPerSec = packets;
        const bytes = rate(totals.bytes, prev.totals.bytes, seconds);
        if (bytes !== undefined) snapshot.bytesPerSec = bytes;
        const alerts = rate(totals.alerts, prev.totals.alerts, seconds);
        if (alerts !== undefined) snapshot.alertsPerSec = alerts;
        if (live && prev.totals.kernelPackets !== undefined) {
          const dPackets = (totals.kernelPackets ?? 0) - prev.totals.kernelPackets;
          const dDrops = (totals.kernelDrops ?? 0) - (prev.totals.kernelDrops ?? 0);
          if (dPackets >= 0 && dDrops >= 0) {
            const pct = dropPct(dDrops, dPackets);
            if (pct !== undefined) snapshot.kernelDropPct = pct;
          }
        }
        // No prototype: app-layer names are keys from the event and could be "__proto__".
        const appRates: Record<string, number> = Object.create(null) as Record<string, number>;
        for (const key of Object.keys(appLayerFlows)) {
          const r = rate(appLayerFlows[key]!, prev.appLayerFlows[key] ?? 0, seconds);
          if (r !== undefined) appRates[key] = r;
        }
        snapshot.appLayerFlowsPerSec = appRates;
      }
    }

    // Re-insert so the Map's order is least recently updated first, for eviction.
    this.previous.delete(host);
    this.previous.set(host, { uptime, timestampMs, totals, appLayerFlows, snapshot });
    if (this.previous.size > MAX_HOSTS) this.previous.delete(this.previous.keys().next().value!);
    return snapshot;
  }

  /** The most recent snapshot of a sensor (by its raw host / in_iface name), if it has sent a stats event. */
  latest(host: string): StatsSnapshot | undefined {
    return this.previous.get(host)?.snapshot;
  }

  /** Forget every sensor's previous event (e.g. when the user clears the view). */
  reset(): void {
    this.previous.clear();
  }

  /** Sensors seen so far. */
  hosts(): string[] {
    return [...this.previous.keys()];
  }
}

/** Start times further apart than this mean a different Suricata run (uptime is whole seconds; clocks jitter). */
const START_TIME_TOLERANCE_MS = 5_000;

/**
 * Suricata restarted when uptime went down, or when the start time (timestamp - uptime) moved: a restart that
 * ran longer than the previous run before its first stats event would otherwise look like progress.
 */
function isRestart(prev: Sample, uptime: number, timestampMs: number | undefined): boolean {
  if (uptime < prev.uptime) return true;
  if (timestampMs === undefined || prev.timestampMs === undefined) return false;
  const start = timestampMs - uptime * 1000;
  const prevStart = prev.timestampMs - prev.uptime * 1000;
  return Math.abs(start - prevStart) > START_TIME_TOLERANCE_MS;
}

/** Time between two stats events: from timestamps when both parse (sub-second precision), else from uptime. */
function intervalSeconds(prev: Sample, uptime: number, timestampMs: number | undefined): number | undefined {
  if (timestampMs !== undefined && prev.timestampMs !== undefined) {
    const seconds = (timestampMs - prev.timestampMs) / 1000;
    if (seconds > 0) return seconds;
  }
  const byUptime = uptime - prev.uptime;
  return byUptime > 0 ? byUptime : undefined;
}
