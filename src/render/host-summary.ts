// `nsm4home host IP` as text: what the host did in the window, as the dashboard's top-N lists for that one host.
// Keys are attacker-chosen (names, SNIs, signatures): renderTable and renderSections sanitise every cell.
import type { HostSummary } from "../investigate/host.js";
import { formatLocalTime } from "../text/time.js";
import { formatBytes, formatCount } from "../text/units.js";
import { renderSections } from "./kv.js";
import { renderTable, type TableColumn } from "./table.js";

interface List {
  title: string;
  columns: TableColumn[];
  rows: string[][];
}

/** The whole report; `width` fits the tables to a terminal (undefined on a pipe). */
export function renderHostSummary(s: HostSummary, width?: number): string {
  const byType = Object.entries(s.eventsByType)
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${formatCount(n)} ${type}`)
    .join(", ");
  const total = Object.values(s.eventsByType).reduce((a, b) => a + b, 0);
  const head = renderSections([
    {
      title: `Host ${s.ip}`,
      rows: [
        ["events", total === 0 ? "none in the window" : `${formatCount(total)} (${byType})`],
        ["window", `${formatLocalTime(new Date(s.window.sinceMs))} .. ${formatLocalTime(new Date(s.window.untilMs))}, ${formatCount(s.read)} messages read from stream ${s.stream}`],
        ["note", s.approximate ? "more distinct names than kept: counts of rare names are lower bounds" : undefined],
      ],
    },
  ]);
  const name = (header: string): TableColumn => ({ header, shrink: true, minWidth: 16 });
  const number = (header: string): TableColumn => ({ header, align: "right" });
  const lists: List[] = [
    { title: "DNS names asked", columns: [name("name"), number("queries")], rows: s.dnsNames.map((e) => [e.key, formatCount(e.count)]) },
    { title: "TLS SNIs", columns: [name("sni"), number("handshakes")], rows: s.tlsSnis.map((e) => [e.key, formatCount(e.count)]) },
    { title: "Peers by bytes", columns: [name("peer"), number("bytes"), number("flows")], rows: s.peers.map((e) => [e.key, formatBytes(e.weight), formatCount(e.count)]) },
    {
      title: "Alerts by signature",
      columns: [number("sev"), name("signature"), number("alerts")],
      rows: s.alerts.map((e) => [e.severity === undefined ? "-" : String(e.severity), e.key, formatCount(e.count)]),
    },
    { title: "Flows by app protocol", columns: [name("protocol"), number("flows"), number("bytes")], rows: s.appProtos.map((e) => [e.key, formatCount(e.count), formatBytes(e.weight)]) },
  ];
  const parts = lists.map((l) => `${l.title}:\n\n${l.rows.length === 0 ? "  (none)\n" : indent(renderTable(l.columns, l.rows, width === undefined ? {} : { width: width - 2 }))}`);
  return [head, ...parts].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n");
}
