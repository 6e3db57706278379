// nats.js 3.3 parses each connect_urls entry of a server's INFO with new URL(); one that does not parse throws
// inside its socket reader, which prints a stack trace on stdout (console.log) and leaves the connection hanging.
// The entries are checked first: an invalid one is replaced by a server already known (so nothing is added)
// and reported.
import { hostPortOf } from "./urls.js";

/** As nats.js reads a host:port: scheme dropped, a bare IPv6 address bracketed, then parsed as a URL. */
function parsesAsServer(entry: string, isIPV4OrHostname: (hp: string) => boolean): boolean {
  let hp = entry.trim().replace(/^.*:\/\//, "");
  if (!isIPV4OrHostname(hp) && !hp.includes("[")) hp = `[${hp}]`;
  try {
    new URL(`http://${hp}`);
    return true;
  } catch {
    return false;
  }
}

function listenOf(server: string): string {
  try {
    const { host, port } = hostPortOf(server);
    return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  } catch {
    return server;
  }
}

export interface GossipGuard {
  /** Replaces the transport nats.js' connect() just installed with the same one plus the check. Synchronous:
   *  call it right after connect() starts, before the server's INFO can arrive. */
  install(): void;
}

export async function gossipGuard(knownServer: string, onInvalid: (entry: string) => void): Promise<GossipGuard> {
  const { setTransportFactory, isIPV4OrHostname } = await import("@nats-io/nats-core/internal");
  const { NodeTransport, nodeResolveHost } = await import("@nats-io/transport-node/lib/node_transport.js");
  const reported = new Set<string>();
  // As host:port, the way nats.js keys its server list: a URL would be added as a new server at each INFO, and a
  // first connect that keeps failing tries every server in the list before it gives up, so it never would.
  const known = listenOf(knownServer);
  return {
    install() {
      setTransportFactory({
        factory: () => new NodeTransport(),
        dnsResolveFn: nodeResolveHost,
        urlParseFn: (entry: string) => {
          if (parsesAsServer(entry, isIPV4OrHostname)) return entry;
          if (!reported.has(entry)) {
            reported.add(entry);
            onInvalid(entry);
          }
          return known;
        },
      });
    },
  };
}
