// The bottom row: server, connection state, drops, paused, clock and key hints; or the filter being typed.
import { Text } from "ink";
import { formatCount } from "../../text/units.js";
import { truncateToWidth, visibleWidth } from "../../text/width.js";
import { KEPT_STATUS_HINTS, STATUS_HINTS } from "../keymap.js";
import type { ConnectionState, TuiSnapshot } from "../state/snapshot.js";
import type { Theme } from "../theme.js";
import { useTheme } from "./ThemeContext.js";

export function connectionText(c: ConnectionState): string {
  switch (c.kind) {
    case "connecting":
      return "connecting";
    case "connected":
      return "connected";
    case "reconnecting":
      return `reconnecting ${c.attempts}`;
    case "disconnected":
      return "disconnected";
    case "closed":
      return "closed";
  }
}

function connectionColor(c: ConnectionState, theme: Theme): string | undefined {
  if (c.kind === "connected") return theme.good;
  if (c.kind === "reconnecting" || c.kind === "connecting") return theme.warn;
  return theme.bad;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function clockText(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `alerts 12 (sev 1: ET ...)`: the count since start and the newest alert, its signature already sanitised. */
export function alertStatusText(alerts: NonNullable<TuiSnapshot["status"]["alerts"]>): string {
  const newest = alerts.newest;
  if (alerts.count === 0 || newest === undefined) return `alerts ${formatCount(alerts.count)}`;
  const severity = newest.severity === undefined ? "" : `sev ${newest.severity}: `;
  return `alerts ${formatCount(alerts.count)} (${severity}${newest.signature})`;
}

function AlertStatus({ alerts, width }: { alerts: NonNullable<TuiSnapshot["status"]["alerts"]>; width: number }) {
  const theme = useTheme();
  const severe = alerts.newest?.severity !== undefined && alerts.newest.severity <= 2;
  const full = alertStatusText(alerts);
  const count = `alerts ${formatCount(alerts.count)}`;
  return (
    <Text color={alerts.count === 0 ? theme.muted : severe ? theme.bad : theme.warn} bold={alerts.count > 0}>
      {" "}
      │ {visibleWidth(full) <= width ? full : width >= count.length + 8 ? truncateToWidth(full, width) : count}
    </Text>
  );
}

const SEPARATOR = " │ ";

/** The end of `text` that fits in `width` columns (no colour codes in it). */
function tailToWidth(text: string, width: number): string {
  const chars = [...text];
  let start = chars.length;
  let used = 0;
  while (start > 0 && used + visibleWidth(chars[start - 1]!) <= width) used += visibleWidth(chars[--start]!);
  return chars.slice(start).join("");
}
export function StatusBar({ snapshot }: { snapshot: TuiSnapshot }) {
  const theme = useTheme();
  const input = snapshot.filterInput;
  if (input !== undefined) {
    const prompt = `filter ${input.paneSubject}› `;
    // The end being typed stays in sight: a filter longer than the bar shows "…" and its last part.
    const room = snapshot.columns - visibleWidth(prompt) - 2;
    const text = visibleWidth(input.text) <= room ? input.text : `…${tailToWidth(input.text, room - 1)}`;
    return (
      <Text wrap="truncate-end">
        <Text color={theme.accent} bold>
          {prompt}
        </Text>
        {text}
        <Text inverse> </Text>
        {input.problem !== undefined ? <Text color={theme.warn}>  {input.problem}</Text> : <Text color={theme.muted}>  Enter apply · Esc cancel</Text>}
      </Text>
    );
  }
  const { status } = snapshot;
  const drops = `drops ${formatCount(status.drops)}`;
  const clock = clockText(snapshot.nowMs);
  // The state (connection, drops, live or paused, clock) and "? help  q quit" always fit first; a notice and the
  // newest alert's signature (text from the traffic, any length) share what is left, then the other hints.
  const fixed = `${status.server} ● ${connectionText(status.connection)}${SEPARATOR}${drops}${SEPARATOR}${snapshot.paused ? "PAUSED" : "live"}${SEPARATOR}${clock}${SEPARATOR}${KEPT_STATUS_HINTS}`;
  // One column more for the ellipsis where the other hints are cut.
  let room = snapshot.columns - visibleWidth(fixed) - 1;
  const notice = status.notice === undefined ? undefined : truncateToWidth(status.notice, Math.max(8, room - SEPARATOR.length));
  if (notice !== undefined) room -= SEPARATOR.length + visibleWidth(notice);
  return (
    <Text wrap="truncate-end">
      <Text>{status.server} </Text>
      <Text color={connectionColor(status.connection, theme)}>● {connectionText(status.connection)}</Text>
      <Text color={status.drops > 0 ? theme.bad : theme.muted}>
        {SEPARATOR}
        {drops}
      </Text>
      {snapshot.paused ? (
        <Text color={theme.warn} bold>
          {SEPARATOR}PAUSED
        </Text>
      ) : (
        <Text color={theme.muted}>{SEPARATOR}live</Text>
      )}
      <Text>
        {SEPARATOR}
        {clock}
      </Text>
      {notice !== undefined ? (
        <Text color={theme.warn}>
          {SEPARATOR}
          {notice}
        </Text>
      ) : null}
      {status.alerts !== undefined ? <AlertStatus alerts={status.alerts} width={room - SEPARATOR.length} /> : null}
      <Text color={theme.muted}>
        {SEPARATOR}
        {STATUS_HINTS}
      </Text>
    </Text>
  );
}
