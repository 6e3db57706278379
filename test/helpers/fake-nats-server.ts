// A hostile stand-in for nats-server: a loopback TCP server speaking just enough of the NATS client protocol
// (INFO, PONG, -ERR) to say what a test wants it to say. It never answers requests, so JetStream calls time out.
import { createServer, type Socket } from "node:net";

export interface FakeNatsServerOptions {
  /** Fields merged into the INFO the server greets with. */
  info?: Record<string, unknown>;
  /** Sent as `-ERR '<text>'` right after the client's CONNECT. */
  errorText?: string;
  /** Never answers PING: the client's connect times out after the INFO. */
  noPong?: boolean;
}

export interface FakeNatsServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startFakeNatsServer(opts: FakeNatsServerOptions = {}): Promise<FakeNatsServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    const info = { server_id: "FAKE", server_name: "fake", version: "2.10.0", proto: 1, host: "127.0.0.1", port: 4222, max_payload: 1048576, headers: true, jetstream: true, ...opts.info };
    socket.write(`INFO ${JSON.stringify(info)}\r\n`);
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      for (let eol = buffered.indexOf("\r\n"); eol !== -1; eol = buffered.indexOf("\r\n")) {
        const line = buffered.slice(0, eol);
        buffered = buffered.slice(eol + 2);
        if (line.startsWith("PING") && !opts.noPong) socket.write("PONG\r\n");
        if (line.startsWith("CONNECT") && opts.errorText !== undefined) {
          const text = opts.errorText;
          setTimeout(() => socket.writable && socket.write(`-ERR '${text}'\r\n`), 100);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `nats://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
