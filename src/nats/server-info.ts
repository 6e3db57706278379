// What `server info` shows: the server's INFO, JetStream account info ($JS.API.INFO), the cluster it belongs to,
// and optional /varz figures.
import type { NatsConnection, ServerInfo } from "@nats-io/nats-core";
import type { JetStreamAccountStats as AccountInfoResponse } from "@nats-io/jetstream";
import { RuntimeError, UsageError } from "../errors.js";
import { maskUrlCredentials } from "../text/credentials.js";
import type { ResolvedConnection } from "./connection/index.js";
import { openJetStreamManager } from "./jetstream.js";
import { isPlainToken } from "./subjects.js";

export interface ClusterReport {
  name: string;
  /** Client URLs of the servers in the cluster, as the server advertises them (INFO connect_urls). */
  clientUrls: string[];
  /** From /varz: route connections now (2.10+ pools several per peer, and pins some per account). */
  routes?: number;
  /** From /routez: the servers at the other end of those routes. */
  routedServers?: number;
  routeUrls?: string[];
  /** From /varz: the JetStream meta group (which server leads, which follow and whether they are current). */
  metaLeader?: string;
  metaSize?: number;
  metaPeers?: Array<{ name: string; current?: boolean }>;
}

export interface ServerReport {
  server: ServerInfo;
  connectedUrl: string;
  rttMs?: number;
  cluster?: ClusterReport;
  /** The JetStream domain the server runs in (INFO/account info), when it has one. */
  jetstreamDomain?: string;
  jetstream?: AccountInfoResponse;
  jetstreamError?: string;
  varz?: Record<string, unknown>;
  /** From /leafz: the leaf node connections of this server (sensors on a hub, the hub on a sensor). */
  leafNodes?: LeafNodeReport[];
}

export interface LeafNodeReport {
  /** The other side's server name. */
  name: string;
  address: string;
  account: string;
  rttText?: string;
  /** The other side's JetStream domain, when a domain of that name answers through this link (sensor init names them alike). */
  domain?: string;
}

/** The monitoring base URL without its user:password (sent as Basic auth, for a proxy in front; never printed). */
function monitoringTarget(monitorUrl: string, path: string): { url: URL; headers: Record<string, string> } {
  let url: URL | undefined;
  try {
    url = new URL(path, monitorUrl.includes("://") ? monitorUrl : `http://${monitorUrl}`);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`invalid --monitor '${maskUrlCredentials(monitorUrl)}': give the monitoring address, e.g. http://127.0.0.1:8222`);
  }
  const headers: Record<string, string> = {};
  if (url.username !== "" || url.password !== "") {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  return { url, headers };
}

export async function fetchVarz(monitorUrl: string, timeoutMs: number, path = "/varz"): Promise<Record<string, unknown>> {
  const { url, headers } = monitoringTarget(monitorUrl, path);
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new RuntimeError(`monitoring endpoint ${url} answered HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const code = e.cause?.code ?? "";
    // llhttp's parse errors (HPE_INVALID_CONSTANT and kin): something answered, but not in HTTP.
    const why =
      e.name === "TimeoutError"
        ? `no answer in ${timeoutMs} ms`
        : e.name === "SyntaxError"
          ? "it answered, but not with JSON"
        : code.startsWith("HPE_")
          ? "that port does not speak HTTP (a NATS client port?)"
          : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new RuntimeError(`cannot read ${url}: ${why} (is nats-server started with -m/--http_port, and is that its address?)`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Pure: the cluster as INFO (and /varz, when read) describe it; undefined for a standalone server. */
export function clusterReportOf(info: ServerInfo, varz?: Record<string, unknown>, routez?: Record<string, unknown>): ClusterReport | undefined {
  const vCluster = isRecord(varz?.cluster) ? varz.cluster : undefined;
  const name = info.cluster ?? (typeof vCluster?.name === "string" ? vCluster.name : undefined);
  if (name === undefined) return undefined;
  const report: ClusterReport = { name, clientUrls: [...new Set(strings(info.connect_urls))].sort() };
  if (varz) {
    if (typeof varz.routes === "number") report.routes = varz.routes;
    const routes = Array.isArray(routez?.routes) ? routez.routes.filter(isRecord) : undefined;
    if (routes) {
      const peerOf = (r: Record<string, unknown>) => (typeof r.remote_id === "string" ? r.remote_id : typeof r.remote_name === "string" ? r.remote_name : undefined);
      report.routedServers = new Set(routes.map(peerOf).filter((id) => id !== undefined)).size;
    }
    const routeUrls = strings(vCluster?.urls);
    if (routeUrls.length > 0) report.routeUrls = routeUrls;
    const meta = isRecord(varz.jetstream) && isRecord(varz.jetstream.meta) ? varz.jetstream.meta : undefined;
    if (meta && typeof meta.leader === "string") {
      report.metaLeader = meta.leader;
      if (typeof meta.cluster_size === "number") report.metaSize = meta.cluster_size;
      // Only the leader's /varz lists the followers.
      const replicas = Array.isArray(meta.replicas) ? meta.replicas.filter(isRecord) : [];
      if (replicas.length > 0) {
        report.metaPeers = [
          { name: meta.leader, current: true },
          ...replicas.map((r) => ({ name: String(r.name), current: r.current === true })),
        ].sort((a, b) => a.name.localeCompare(b.name));
      }
    }
  }
  return report;
}

// Field names that hold secrets in any NATS JSON we might pass through; `--json` drops them wherever they are.
const SECRET_KEYS = /^(pass|password|token|auth_token|seed|nkey_seed|secret|private_key)$/i;

/** A deep copy without secret-named fields, for JSON output. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v)) as T;
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.test(k)) out[k] = withoutSecrets(v);
  return out as T;
}

export async function collectServerReport(nc: NatsConnection, resolved: ResolvedConnection, monitorUrl?: string): Promise<ServerReport> {
  const report: ServerReport = { server: nc.info!, connectedUrl: nc.getServer() };
  try {
    // nc.rtt() counts whole milliseconds; on a LAN that is always 0.
    const start = performance.now();
    await nc.flush();
    report.rttMs = performance.now() - start;
  } catch {
    // rtt is decoration; a slow server still gets its report
  }
  try {
    const jsm = await openJetStreamManager(nc, resolved);
    report.jetstream = await jsm.getAccountInfo();
  } catch (err) {
    report.jetstreamError = (err as Error).message;
  }
  let routez: Record<string, unknown> | undefined;
  if (monitorUrl) {
    report.varz = await fetchVarz(monitorUrl, resolved.timeoutMs);
    // Only to count the servers behind the routes: --json keeps /varz, not the route list.
    if (report.server.cluster) routez = await fetchVarz(monitorUrl, resolved.timeoutMs, "/routez");
    report.leafNodes = await leafNodesOf(nc, await fetchVarz(monitorUrl, resolved.timeoutMs, "/leafz"), Math.min(1000, resolved.timeoutMs));
  }
  report.cluster = clusterReportOf(report.server, report.varz, routez);
  const infoDomain = (report.server as ServerInfo & { domain?: string }).domain;
  report.jetstreamDomain = report.jetstream?.domain ?? infoDomain ?? undefined;
  return report;
}

/** The leaf connections /leafz lists, each with the JetStream domain of its name when that domain answers. */
async function leafNodesOf(nc: NatsConnection, leafz: Record<string, unknown>, probeMs: number): Promise<LeafNodeReport[]> {
  const leafs = Array.isArray(leafz.leafs) ? leafz.leafs.filter(isRecord) : [];
  return Promise.all(
    leafs.map(async (l) => {
      const name = typeof l.name === "string" ? l.name : "";
      const report: LeafNodeReport = {
        name,
        address: `${String(l.ip ?? "?")}:${String(l.port ?? "?")}`,
        account: typeof l.account === "string" ? l.account : "",
        ...(typeof l.rtt === "string" ? { rttText: l.rtt } : {}),
      };
      if (isPlainToken(name)) {
        try {
          const m = await nc.request(`$JS.${name}.API.INFO`, undefined, { timeout: probeMs });
          const info = m.json<{ domain?: string; error?: unknown }>();
          if (!info.error && info.domain === name) report.domain = name;
        } catch {
          // no domain of that name behind this link: shown without one
        }
      }
      return report;
    }),
  );
}
