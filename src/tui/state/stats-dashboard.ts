// The stats pane's figures: the latest rates of every sensor, from consecutive stats events (src/eve/stats.ts
// computes the rates; this keeps the latest per host and a short packets/s history for a sparkline).
import type { EveEvent } from "../../eve/event.js";
import { StatsRateTracker, type StatsSnapshot } from "../../eve/stats.js";

/** Sensors shown; a bound so odd input cannot grow the dashboard without end. */
const MAX_HOSTS = 64;
/** Stats events remembered per host for the packets/s sparkline (Suricata writes one every 8 s by default). */
const HISTORY = 30;

export interface HostFigures {
  host: string;
  snapshot: StatsSnapshot;
  /** The stats event the snapshot came from, for the pane filter. */
  event: EveEvent;
  /** packets/s of the last stats events, oldest first. */
  packetsHistory: number[];
  receivedAtMs: number;
}

export class StatsDashboard {
  private readonly tracker = new StatsRateTracker();
  private readonly hosts = new Map<string, HostFigures>();

  update(event: EveEvent, nowMs: number): void {
    const snapshot = this.tracker.update(event);
    const previous = this.hosts.get(snapshot.host);
    const packetsHistory = snapshot.restarted ? [] : previous?.packetsHistory.slice(-(HISTORY - 1)) ?? [];
    if (snapshot.packetsPerSec !== undefined) packetsHistory.push(snapshot.packetsPerSec);
    this.hosts.delete(snapshot.host);
    this.hosts.set(snapshot.host, { host: snapshot.host, snapshot, event, packetsHistory, receivedAtMs: nowMs });
    if (this.hosts.size > MAX_HOSTS) this.hosts.delete(this.hosts.keys().next().value!);
  }

  /** Sensors by name, so rows do not jump around as their stats events arrive. */
  figures(): HostFigures[] {
    return [...this.hosts.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  clear(): void {
    this.tracker.reset();
    this.hosts.clear();
  }
}

/** App-layer protocols by new flows per second, summed over the given sensors, busiest first. */
export function topAppProtocols(figures: readonly HostFigures[], n: number): Array<{ proto: string; perSecond: number }> {
  const sums = new Map<string, number>();
  for (const f of figures) {
    const rates = f.snapshot.appLayerFlowsPerSec;
    if (rates === undefined) continue;
    for (const proto of Object.keys(rates)) sums.set(proto, (sums.get(proto) ?? 0) + rates[proto]!);
  }
  return [...sums.entries()]
    .filter(([, perSecond]) => perSecond > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([proto, perSecond]) => ({ proto, perSecond }));
}
