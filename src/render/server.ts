import type { ServerReport } from "../nats/server-info.js";
import { renderSections, type KvRow } from "./kv.js";
import { formatBytes, formatCount } from "./units.js";

const limit = (n: number | undefined, fmt: (n: number) => string): string | undefined =>
  n === undefined ? undefined : n < 0 ? "unlimited" : fmt(n);

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
    ["Cluster", s.cluster],
    ["Max payload", formatBytes(s.max_payload)],
    ["TLS required", s.tls_required ? "yes" : undefined],
    ["Auth required", s.auth_required ? "yes" : undefined],
    ["RTT", r.rttMs !== undefined ? `${r.rttMs.toFixed(2)}ms` : undefined],
  ];
  const jsRows: KvRow[] = js
    ? [
        ["Enabled", "yes"],
        ["Domain", js.domain],
        ["Streams", `${formatCount(js.streams)} of ${limit(js.limits.max_streams, formatCount)}`],
        ["Consumers", `${formatCount(js.consumers)} of ${limit(js.limits.max_consumers, formatCount)}`],
        ["Memory", `${formatBytes(js.memory)} of ${limit(js.limits.max_memory, formatBytes)}`],
        ["Storage", `${formatBytes(js.storage)} of ${limit(js.limits.max_storage, formatBytes)}`],
        ["API requests", `${formatCount(js.api.total)} (${formatCount(js.api.errors)} errors)`],
      ]
    : [["Enabled", `no (${r.jetstreamError ?? "unavailable"})`]];
  const sections = [
    { title: "Server", rows: serverRows },
    { title: "JetStream (this account)", rows: jsRows },
  ];
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
