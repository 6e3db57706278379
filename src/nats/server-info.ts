// What `server info` shows: the server's INFO, JetStream account info ($JS.API.INFO) and optional /varz.
import type { NatsConnection, ServerInfo } from "@nats-io/nats-core";
import type { JetStreamAccountStats as AccountInfoResponse } from "@nats-io/jetstream";
import { RuntimeError } from "../errors.js";
import type { ResolvedConnection } from "./connection.js";
import { openJetStreamManager } from "./jetstream.js";

export interface ServerReport {
  server: ServerInfo;
  connectedUrl: string;
  rttMs?: number;
  jetstream?: AccountInfoResponse;
  jetstreamError?: string;
  varz?: Record<string, unknown>;
}

export async function fetchVarz(monitorUrl: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const url = new URL("/varz", monitorUrl.includes("://") ? monitorUrl : `http://${monitorUrl}`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new RuntimeError(`monitoring endpoint ${url} answered HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw new RuntimeError(`cannot read ${url}: ${(err as Error).message} (is nats-server started with -m/--http_port?)`);
  }
}

export async function collectServerReport(nc: NatsConnection, resolved: ResolvedConnection, monitorUrl?: string): Promise<ServerReport> {
  const report: ServerReport = { server: nc.info!, connectedUrl: nc.getServer() };
  try {
    report.rttMs = await nc.rtt();
  } catch {
    // rtt is decoration; a slow server still gets its report
  }
  try {
    const jsm = await openJetStreamManager(nc, resolved);
    report.jetstream = await jsm.getAccountInfo();
  } catch (err) {
    report.jetstreamError = (err as Error).message;
  }
  if (monitorUrl) report.varz = await fetchVarz(monitorUrl, resolved.timeoutMs);
  return report;
}
