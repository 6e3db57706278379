import type { ServerReport } from "../nats/server-info.js";
import { renderSections, type KvRow } from "./kv.js";
import { formatBytes, formatCount } from "../text/units.js";

const limit = (n: number | undefined, fmt: (n: number) => string): string | undefined =>
  n === undefined ? undefined : n < 0 ? "unlimited" : fmt(n);

/** Round trips on loopback are fractions of a millisecond; show enough digits to tell them apart. */
export function formatRtt(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)}µs` : `${ms.toFixed(ms < 10 ? 2 : 0)}ms`;
}

/**
 * How many servers advertise these client URLs. A server lists one URL per address it listens on (IPv4 and IPv6
 * alike), so URLs are not servers: on one host the servers differ by port, across hosts by address within a
 * family. The larger of those counts, never more than the servers there are.
 */
export function serverCountOf(clientUrls: string[]): number {
  const ports = new Set<string>();
  let v4 = 0;
  let v6 = 0;
  for (const url of clientUrls) {
    const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(url.replace(/^[a-z]+:\/\//i, ""));
    if (!m) {
      v4++;
      continue;
    }
    ports.add(m[3]!);
    if (m[1] !== undefined) v6++;
    else v4++;
  }
  return Math.max(ports.size, v4, v6, clientUrls.length > 0 ? 1 : 0);
}

export function renderServerReport(r: ServerReport): string {
  const s = r.server;
  const js = r.jetstream;
  const serverRows: KvRow[] = [
    ["Name", s.server_name],
    ["ID", s.server_id],
    ["Version", s.version],
    ["Go", s.go],
    ["Connected URL", r.connectedUrl],
    ["Host", `${s.host}:${s.port}`],
    ["Max payload", formatBytes(s.max_payload)],
    ["TLS required", s.tls_required ? "yes" : undefined],
    ["Auth required", s.auth_required ? "yes" : undefined],
    ["RTT", r.rttMs !== undefined ? formatRtt(r.rttMs) : undefined],
  ];
  const c = r.cluster;
  const clusterRows: KvRow[] = c
    ? [
        ["Name", c.name],
        ["Servers", c.metaSize !== undefined ? String(c.metaSize) : c.clientUrls.length > 0 ? String(serverCountOf(c.clientUrls)) : undefined],
        ["Client URLs", c.clientUrls.length > 0 ? c.clientUrls.join(", ") : undefined],
        ["Routes", c.routes !== undefined ? `${routesText(c.routes, c.routedServers)}${c.routeUrls ? ` (configured: ${c.routeUrls.join(", ")})` : ""}` : undefined],
        ["Meta leader", c.metaLeader !== undefined ? `${c.metaLeader}${c.metaSize !== undefined ? ` (meta group of ${c.metaSize})` : ""}` : undefined],
        [
          "Meta peers",
          c.metaPeers?.map((p) => `${p.name}${p.name === c.metaLeader ? "*" : ""}${p.current === false ? " (behind)" : ""}`).join(", "),
        ],
      ]
    : [["Name", "none (standalone server)"]];
  const jsRows: KvRow[] = js
    ? [
        ["Enabled", "yes"],
        ["Domain", r.jetstreamDomain],
        ["Streams", `${formatCount(js.streams)} of ${limit(js.limits.max_streams, formatCount)}`],
        ["Consumers", `${formatCount(js.consumers)} of ${limit(js.limits.max_consumers, formatCount)}`],
        ["Memory", `${formatBytes(js.memory)} of ${limit(js.limits.max_memory, formatBytes)}`],
        ["Storage", `${formatBytes(js.storage)} of ${limit(js.limits.max_storage, formatBytes)}`],
        ["API requests", `${formatCount(js.api.total)} (${formatCount(js.api.errors)} errors)`],
      ]
    : [
        ["Enabled", `no (${r.jetstreamError ?? "unavailable"})`],
        ["Domain", r.jetstreamDomain],
      ];
  const sections = [
    { title: "Server", rows: serverRows },
    { title: "Cluster", rows: clusterRows },
    { title: "JetStream (this account)", rows: jsRows },
  ];
  if (r.leafNodes) {
    sections.push({
      title: "Leaf nodes (/leafz)",
      rows:
        r.leafNodes.length === 0
          ? [["Connections", "none"]]
          : // nats-server names the other side in /leafz from 2.10 on.
          r.leafNodes.map((l): KvRow => [l.name || "(unnamed, 2.9)", `${l.address}, account ${l.account}${l.domain ? `, domain ${l.domain}` : ""}${l.rttText ? `, rtt ${l.rttText}` : ""}`]),
    });
  }
  if (r.varz) {
    const v = r.varz as Record<string, number | string>;
    const num = (k: string) => (typeof v[k] === "number" ? (v[k] as number) : undefined);
    sections.push({
      title: "Monitoring (/varz)",
      rows: [
        ["Uptime", typeof v.uptime === "string" ? (v.uptime as string) : undefined],
        ["Connections", num("connections") !== undefined ? formatCount(num("connections")!) : undefined],
        ["Subscriptions", num("subscriptions") !== undefined ? formatCount(num("subscriptions")!) : undefined],
        ["Messages in", num("in_msgs") !== undefined ? formatCount(num("in_msgs")!) : undefined],
        ["Messages out", num("out_msgs") !== undefined ? formatCount(num("out_msgs")!) : undefined],
        ["Bytes in", num("in_bytes") !== undefined ? formatBytes(num("in_bytes")!) : undefined],
        ["Bytes out", num("out_bytes") !== undefined ? formatBytes(num("out_bytes")!) : undefined],
        ["Slow consumers", num("slow_consumers") !== undefined ? formatCount(num("slow_consumers")!) : undefined],
        ["Memory", num("mem") !== undefined ? formatBytes(num("mem")!) : undefined],
        ["CPU", num("cpu") !== undefined ? `${num("cpu")}%` : undefined],
        ["Cores", num("cores")],
      ],
    });
  }
  return renderSections(sections);
}

/** "2 servers over 6 connections" where 2.10+ pools routes, "2 connected" where each server has one. */
function routesText(connections: number, servers: number | undefined): string {
  if (servers === undefined || servers === connections) return `${connections} connected`;
  return `${servers} ${servers === 1 ? "server" : "servers"} over ${connections} connections`;
}
