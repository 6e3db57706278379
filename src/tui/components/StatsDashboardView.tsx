// The stats pane: Suricata's health as figures, not lines. One sensor gets a labelled list; several get a row
// each. Rates need two consecutive stats events of a sensor, so the first one shows "…" until the second comes.
import { Box, Text } from "ink";
import { formatPercent } from "../../eve/formatters/stats.js";
import { sanitizeText } from "../../text/sanitize.js";
import { truncateToWidth, visibleWidth } from "../../text/width.js";
import { formatBytes, formatCompact, formatCount, formatDuration } from "../../text/units.js";
import { sparkline } from "../state/sparkline.js";
import { topAppProtocols, type HostFigures } from "../state/stats-dashboard.js";
import type { Theme } from "../theme.js";
import { useTheme } from "./ThemeContext.js";

const PENDING = "…";

function rateText(value: number | undefined, format: (n: number) => string): string {
  return value === undefined ? PENDING : format(value);
}

export function dropPctOf(f: HostFigures): number | undefined {
  return f.snapshot.kernelDropPct ?? f.snapshot.kernelDropPctTotal;
}

function dropColor(pct: number | undefined, theme: Theme): string | undefined {
  if (pct === undefined || pct === 0) return theme.good;
  return pct >= 1 ? theme.bad : theme.warn;
}

function appProtocolsText(figures: readonly HostFigures[], n: number): string {
  const top = topAppProtocols(figures, n);
  if (top.length === 0) return figures.some((f) => f.snapshot.appLayerFlowsPerSec !== undefined) ? "none" : PENDING;
  return top.map((t) => `${sanitizeText(t.proto)} ${formatCompact(t.perSecond)}/s`).join("  ");
}

const bytesPerSec = (n: number) => `${formatBytes(Math.round(n))}/s`;

function Row({ label, children, theme }: { label: string; children: React.ReactNode; theme: Theme }) {
  return (
    <Text wrap="truncate-end">
      <Text color={theme.muted}>{label.padEnd(13)}</Text>
      {children}
    </Text>
  );
}

function OneSensor({ f, nowMs, width, rows }: { f: HostFigures; nowMs: number; width: number; rows: number }) {
  const theme = useTheme();
  const s = f.snapshot;
  const drop = dropPctOf(f);
  const age = Math.max(0, nowMs - f.receivedAtMs);
  const lines = [
    <Text key="host" wrap="truncate-end">
      <Text bold>{sanitizeText(f.host)}</Text>
      <Text color={theme.muted}> · up </Text>
      {formatDuration(s.uptime * 1000)}
      {s.restarted ? <Text color={theme.warn}> RESTARTED</Text> : null}
      <Text color={theme.muted}> · last stats {formatDuration(Math.floor(age / 1000) * 1000)} ago</Text>
    </Text>,
    <Row key="pkts" label="packets/s" theme={theme}>
      {rateText(s.packetsPerSec, formatCompact).padEnd(8)}
      <Text color={theme.chart}>{sparkline(f.packetsHistory, Math.min(30, Math.max(0, width - 22)))}</Text>
    </Row>,
    <Row key="bytes" label="bytes/s" theme={theme}>
      {rateText(s.bytesPerSec, bytesPerSec)}
    </Row>,
    <Row key="drop" label="kernel drop" theme={theme}>
      <Text color={dropColor(drop, theme)}>{drop === undefined ? "n/a (no capture counters)" : formatPercent(drop)}</Text>
      {s.kernelDropPct !== undefined && s.kernelDropPctTotal !== undefined ? (
        <Text color={theme.muted}> ({formatPercent(s.kernelDropPctTotal)} since start)</Text>
      ) : null}
    </Row>,
    <Row key="flows" label="active flows" theme={theme}>
      {s.activeFlows === undefined ? "n/a" : formatCount(s.activeFlows)}
    </Row>,
    <Row key="alerts" label="alerts/s" theme={theme}>
      {rateText(s.alertsPerSec, formatCompact)}
      <Text color={theme.muted}> ({formatCount(s.totals.alerts)} since start)</Text>
    </Row>,
    <Row key="app" label="app-layer" theme={theme}>
      {appProtocolsText([f], 6)}
    </Row>,
  ];
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, rows))}</Box>;
}

const COLUMNS = [
  ["sensor", 14],
  ["uptime", 10],
  ["pkts/s", 8],
  ["bytes/s", 11],
  ["drop", 7],
  ["flows", 9],
  ["alerts/s", 8],
] as const;

function cell(text: string, width: number, last = false): string {
  if (last) return text;
  // Padded by columns, not string length: a sensor name in CJK or with emoji keeps the columns aligned.
  const cut = truncateToWidth(text, width - 1);
  return cut + " ".repeat(Math.max(0, width - visibleWidth(cut)));
}

function ManySensors({ figures, width, rows }: { figures: HostFigures[]; width: number; rows: number }) {
  const theme = useTheme();
  const header = COLUMNS.map(([name, w], i) => cell(name, w, i === COLUMNS.length - 1)).join("");
  // Sensors first: the app-layer line only gets a row that no sensor needs.
  const shown = figures.slice(0, Math.max(1, rows - 1));
  const showAppLayer = rows >= shown.length + 2;
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} wrap="truncate-end">
        {header}
      </Text>
      {shown.map((f) => {
        const s = f.snapshot;
        const drop = dropPctOf(f);
        return (
          <Text key={f.host} wrap="truncate-end">
            {cell(sanitizeText(f.host), 14)}
            {cell(formatDuration(s.uptime * 1000), 10)}
            {cell(rateText(s.packetsPerSec, formatCompact), 8)}
            {cell(rateText(s.bytesPerSec, bytesPerSec), 11)}
            <Text color={dropColor(drop, theme)}>{cell(drop === undefined ? "n/a" : formatPercent(drop), 7)}</Text>
            {cell(s.activeFlows === undefined ? "n/a" : formatCount(s.activeFlows), 9)}
            {rateText(s.alertsPerSec, formatCompact)}
          </Text>
        );
      })}
      {showAppLayer ? (
        <Text wrap="truncate-end">
          <Text color={theme.muted}>app-layer{figures.length > shown.length ? ` (+${figures.length - shown.length} sensors)` : ""} </Text>
          {appProtocolsText(figures, Math.max(1, Math.floor(width / 14)))}
        </Text>
      ) : null}
    </Box>
  );
}

export function StatsDashboardView({ figures, nowMs, width, rows }: { figures: HostFigures[]; nowMs: number; width: number; rows: number }) {
  const theme = useTheme();
  if (figures.length === 0) {
    return (
      <Text color={theme.muted} wrap="truncate-end">
        waiting for stats events…
      </Text>
    );
  }
  if (figures.length === 1) return <OneSensor f={figures[0]!} nowMs={nowMs} width={width} rows={rows} />;
  return <ManySensors figures={figures} width={width} rows={rows} />;
}
