// `hub status`: one row per sensor. Everything a sensor or server named is escaped by renderTable.
import type { HubStatus } from "../nats/hub.js";
import { formatAgo, isZeroTime } from "../text/time.js";
import { formatCount, formatDuration } from "../text/units.js";
import { renderTable } from "./table.js";

export function renderHubStatus(status: HubStatus, width?: number, now = Date.now()): string {
  const head = `Hub stream ${status.stream}: ${formatCount(status.messages)} messages, ${status.sensors.length} sensor${status.sensors.length === 1 ? "" : "s"}\n\n`;
  if (status.sensors.length === 0) return head + "No sensors: add one with 'nsm4home hub add-sensor NAME'\n";
  const rows = status.sensors.map((s) => [
    s.sensor,
    s.link,
    formatCount(s.lag),
    s.lastSeenMs === undefined ? "-" : s.lastSeenMs < 1000 ? "just now" : `${formatDuration(s.lastSeenMs)} ago`,
    s.lastEventTime === undefined ? "-" : isZeroTime(s.lastEventTime) ? "never" : formatAgo(s.lastEventTime, now),
    s.eventsPerSec === undefined ? "-" : s.eventsPerSec >= 100 ? formatCount(Math.round(s.eventsPerSec)) : s.eventsPerSec.toFixed(1),
    s.stats?.kernelDropPct === undefined ? "-" : `${s.stats.kernelDropPct.toFixed(2)}%`,
    s.stats === undefined ? "-" : s.stats.ageMs < 1000 ? "just now" : `${formatDuration(s.stats.ageMs)} ago`,
    s.error ?? "",
  ]);
  return (
    head +
    renderTable(
      [
        { header: "Sensor", shrink: true, minWidth: 8 },
        { header: "Link" },
        { header: "Lag", align: "right" },
        { header: "Hub heard", align: "right" },
        { header: "Last event", align: "right" },
        { header: "Events/s", align: "right" },
        { header: "Kernel drop", align: "right" },
        { header: "Stats age", align: "right" },
        { header: "Error", shrink: true, minWidth: 10 },
      ],
      rows,
      { width },
    )
  );
}
