// Shared by the stream/consumer CLI tests: run the CLI against one server, publish sample events, parse JSON output.
import { afterAll, beforeAll, expect } from "vitest";
import { isolatedEnv, runCli, type CliResult } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

export function cliFor(url: string | (() => string)) {
  const env = isolatedEnv();
  return (args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> =>
    runCli(["-s", typeof url === "string" ? url : url(), "--no-context", ...args], { env, ...opts });
}

/**
 * The file's throwaway nats-server, started before its tests and stopped after them, and a CLI bound to it. Call
 * at the top of a test file; a beforeAll of the file's own runs after the server is up.
 */
export function throwawayServerForFile(): { cli: ReturnType<typeof cliFor>; server: () => NatsServer } {
  let server: NatsServer | undefined;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const current = () => {
    if (server === undefined) throw new Error("the file's nats-server is not started yet");
    return server;
  };
  return { cli: cliFor(() => current().url), server: current };
}

/** Fails with both streams shown, so a failing CLI call says why. */
export function expectExit(r: CliResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

export function parseJson<T = any>(r: CliResult): T {
  expectExit(r, 0);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

export function jsonLines<T = any>(text: string): T[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

const TYPES = ["dns", "flow", "tls"] as const;

/** A small EVE event of the given type; `i` makes each one distinct. */
export function sampleEvent(type: string, i: number): Record<string, unknown> {
  const base = {
    timestamp: new Date(Date.UTC(2024, 4, 1, 12, 0, 0, i)).toISOString().replace("Z", "+0000"),
    event_type: type,
    src_ip: "192.168.1.10",
    src_port: 40000 + (i % 20000),
    dest_ip: "192.168.1.1",
    dest_port: type === "tls" ? 443 : 53,
    proto: type === "dns" ? "UDP" : "TCP",
  };
  if (type === "dns") return { ...base, dns: { type: "query", id: i, rrname: `host${i}.example.com`, rrtype: "A", tx_id: 0 } };
  if (type === "tls") return { ...base, tls: { sni: `site${i}.example.org`, version: "TLS 1.3" } };
  return { ...base, app_proto: "dns", flow: { pkts_toserver: 1, pkts_toclient: 1, bytes_toserver: 80, bytes_toclient: 120, state: "established" } };
}

/** Publishes `count` events cycling dns, flow, tls to `<prefix>.<type>`; returns the payloads in order. */
export async function publishEvents(url: string, prefix: string, count: number, types: readonly string[] = TYPES): Promise<string[]> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstream } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  const payloads: string[] = [];
  try {
    const acks = [];
    for (let i = 0; i < count; i++) {
      const type = types[i % types.length]!;
      const payload = JSON.stringify(sampleEvent(type, i));
      payloads.push(payload);
      acks.push(js.publish(`${prefix}.${type}`, payload));
      if (acks.length >= 200) await Promise.all(acks.splice(0));
    }
    await Promise.all(acks);
  } finally {
    await nc.close();
  }
  return payloads;
}

/** Publishes one payload (any bytes) to a subject through JetStream. */
export async function publishOne(url: string, subject: string, payload: string | Uint8Array): Promise<number> {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstream } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  try {
    return (await jetstream(nc).publish(subject, payload)).seq;
  } finally {
    await nc.close();
  }
}

export function splitCommand(command: string): string[] {
  // Enough of a shell for the commands we print: words, and single-quoted words with '\'' escapes.
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(command)) !== null) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
}

export { expect };
