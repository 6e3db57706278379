// Suricata's periodic counters. With a StatsRateTracker in the options the line shows rates since the previous
// stats event of the same sensor; without one it shows the cumulative counters.
import type { EveEvent } from "../event.js";
import { formatBytes, formatCompact, formatCount, formatDuration } from "../../text/units.js";
import { StatsRateTracker, type StatsSnapshot } from "../stats.js";
import { joinParts, labelled, type FormatContext } from "./common.js";

// Without a caller's tracker, a throwaway one reads the snapshot (no rates: it has seen no previous event).
function snapshotOf(event: EveEvent, ctx: FormatContext): StatsSnapshot {
  return (ctx.opts.stats ?? new StatsRateTracker()).update(event);
}

export function formatPercent(pct: number): string {
  if (pct === 0) return "0%";
  if (pct < 0.01) return "<0.01%";
  return `${pct < 10 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

function dropText(s: StatsSnapshot, ctx: FormatContext): string | undefined {
  const pct = s.kernelDropPct ?? s.kernelDropPctTotal;
  if (pct === undefined) return undefined;
  const text = formatPercent(pct);
  const painted = pct >= 1 ? ctx.p.bad(text) : pct > 0 ? ctx.p.warn(text) : text;
  // Interval % when there is one; the since-start figure alongside when they differ.
  const total =
    s.kernelDropPct !== undefined && s.kernelDropPctTotal !== undefined && s.kernelDropPctTotal !== s.kernelDropPct
      ? ctx.p.muted(` (${formatPercent(s.kernelDropPctTotal)} total)`)
      : "";
  return `${painted}${total}`;
}

/** With rates: `up 1m36s 12.3k pkt/s 1.2 MiB/s drop 0% flows 12 alerts 0.5/s`; else cumulative totals. */
export function formatStatsEvent(event: EveEvent, ctx: FormatContext): string {
  const s = snapshotOf(event, ctx);
  const hasRates = s.packetsPerSec !== undefined || s.bytesPerSec !== undefined;
  const sensor = s.host !== "default" ? ctx.p.muted(s.host) : undefined;
  const common = [
    sensor,
    labelled(ctx, "up", formatDuration(s.uptime * 1000)),
    s.restarted ? ctx.p.warn("RESTARTED") : undefined,
  ];
  if (hasRates) {
    return joinParts([
      ...common,
      s.packetsPerSec !== undefined ? `${formatCompact(s.packetsPerSec)} pkt/s` : undefined,
      s.bytesPerSec !== undefined ? `${formatBytes(Math.round(s.bytesPerSec))}/s` : undefined,
      labelled(ctx, "drop", dropText(s, ctx)),
      labelled(ctx, "flows", s.activeFlows === undefined ? undefined : formatCount(s.activeFlows)),
      labelled(ctx, "alerts", s.alertsPerSec === undefined ? undefined : `${formatCompact(s.alertsPerSec)}/s`),
    ]);
  }
  const packets = s.totals.kernelPackets ?? s.totals.packets;
  return joinParts([
    ...common,
    labelled(ctx, "pkts", formatCount(packets)),
    labelled(ctx, "bytes", formatBytes(s.totals.bytes)),
    labelled(ctx, "drop", dropText(s, ctx)),
    labelled(ctx, "flows", s.activeFlows === undefined ? undefined : formatCount(s.activeFlows)),
    labelled(ctx, "alerts", formatCount(s.totals.alerts)),
  ]);
}
