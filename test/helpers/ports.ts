import { createServer } from "node:net";

/** Ports this process has handed out: the OS may offer a port again as soon as the probe closes it. */
const handedOut = new Set<number>();

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A port the OS says is free now and this process has not handed out before (for servers that must keep a port
 * across restarts, and cluster routes). Two calls in a row once gave a server the same port for clients and
 * monitoring, and it exited on the second bind.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await probePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port that was not handed out already");
}
