// Serves /metrics over HTTP for Prometheus: `--metrics HOST:PORT` parsed once, listen failures as one line.
import type { Server } from "node:http";
import { RuntimeError, UsageError } from "../errors.js";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.js";

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`, `localhost:9464`; port 0 picks a free one. */
export function parseListenAddress(text: string, flag: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new UsageError(`invalid ${flag} '${text}': give HOST:PORT to listen on, e.g. 127.0.0.1:9464 (or 0.0.0.0:9464 for every interface)`);
  }
  return { host: m[1] ?? m[2]!, port };
}

export function formatListenAddress(a: ListenAddress): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

export interface MetricsServer {
  /** Where it listens (the real port when 0 was asked for). */
  readonly address: ListenAddress;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listens on `address` and answers GET /metrics with what `render` returns at that moment. A render that throws
 * answers 500 with one line; the process goes on. Rejects with a RuntimeError when the address cannot be used.
 */
export async function serveMetrics(address: ListenAddress, render: () => string | Promise<string>, flag = "--metrics"): Promise<MetricsServer> {
  const { createServer } = await import("node:http");
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("method not allowed\n");
      return;
    }
    if (path === "/") {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("nsm4home metrics: see /metrics\n");
      return;
    }
    if (path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found: metrics are at /metrics\n");
      return;
    }
    Promise.resolve()
      .then(render)
      .then(
        (text) => {
          const body = Buffer.from(text, "utf8");
          res.writeHead(200, { "Content-Type": EXPOSITION_CONTENT_TYPE, "Content-Length": body.length, "Cache-Control": "no-store" });
          res.end(req.method === "HEAD" ? undefined : body);
        },
        (err: unknown) => {
          res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end(`could not collect metrics: ${(err as Error)?.message ?? String(err)}\n`);
        },
      );
  });
  // Scrapers keep connections open; an idle one must not hold the process at exit.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const where = formatListenAddress(address);
      const why =
        err.code === "EADDRINUSE"
          ? "the port is taken (another exporter or a second ingest?); choose another port"
          : err.code === "EACCES"
            ? "permission denied (ports below 1024 need privileges); choose a port above 1024"
            : err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND"
              ? "no interface of this machine has that address"
              : (err.message ?? String(err));
      reject(new RuntimeError(`cannot serve ${flag} on ${where}: ${why}`));
    });
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  const actual: ListenAddress = typeof bound === "object" && bound ? { host: address.host, port: bound.port } : address;
  return {
    address: actual,
    url: `http://${formatListenAddress(actual)}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
