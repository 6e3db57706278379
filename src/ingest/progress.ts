// The progress line (every few seconds on stderr) and the final summary of an ingest run. Pure formatting.
import type { IngestCounters } from "./pipeline.js";
import type { Backlog } from "./types.js";
import { formatBytes, formatCompact, formatCount, formatDuration } from "../text/units.js";

export function formatBacklog(backlog: Backlog | undefined): string | undefined {
  if (!backlog) return undefined;
  return backlog.unit === "bytes" ? `backlog ${formatBytes(backlog.count)}` : `backlog ${formatCount(backlog.count)}`;
}

/** `countsDuplicates`: false when publishes carry no Nats-Msg-Id (replay, core), so none can be a duplicate. */
function counterParts(c: IngestCounters, countsDuplicates: boolean): string[] {
  const parts = [`read ${formatCount(c.read)}`, `published ${formatCount(c.published)}`, `acked ${formatCount(c.acked)}`];
  if (countsDuplicates) parts.push(`duplicates ${formatCount(c.duplicates)}`);
  parts.push(`invalid ${formatCount(c.invalid)}`);
  if (c.unknownType > 0) parts.push(`unknown type ${formatCount(c.unknownType)}`);
  if (c.rejected > 0) parts.push(`rejected ${formatCount(c.rejected)}`);
  if (c.retries > 0) parts.push(`retries ${formatCount(c.retries)}`);
  return parts;
}

/** `read 1,200, published 1,200, acked 1,100, duplicates 0, invalid 2, in flight 100, backlog 5,000, 2.4k/s` */
export function formatProgress(c: IngestCounters, inFlight: number, backlog: Backlog | undefined, ratePerSecond: number, countsDuplicates = true): string {
  const parts = counterParts(c, countsDuplicates);
  parts.push(`in flight ${formatCount(inFlight)}`);
  const b = formatBacklog(backlog);
  if (b) parts.push(b);
  parts.push(`${formatCompact(ratePerSecond)}/s`);
  return parts.join(", ");
}

export function formatSummary(c: IngestCounters, elapsedMs: number, backlog: Backlog | undefined, countsDuplicates = true): string {
  const parts = counterParts(c, countsDuplicates);
  const b = formatBacklog(backlog);
  if (b) parts.push(b);
  const rate = elapsedMs > 0 ? (c.acked * 1000) / elapsedMs : 0;
  // Tenths below a minute: "in 1s" for a run of 1.9 s would overstate the rate by half.
  const took = elapsedMs < 60_000 ? `${(elapsedMs / 1000).toFixed(1)}s` : formatDuration(Math.round(elapsedMs));
  parts.push(`in ${took} (${formatCompact(rate)}/s)`);
  return parts.join(", ");
}
