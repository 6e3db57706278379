// Whether a connection of ours lost its server: a request that timed out meanwhile was never answered because the
// connection was down, not because JetStream is off or slow. connect.ts feeds it; jetstream.ts asks it.
import { sanitizeText } from "../../text/sanitize.js";
import { redactUrl } from "./urls.js";

interface ConnectionState {
  /** The server connected to, or the one last lost, as host:port (never credentials). */
  server: string;
  down: boolean;
  /** When it was last back after a loss, epoch ms. */
  backMs: number | undefined;
  /** How long a request waits: a loss within that long ago may be why one went unanswered. */
  timeoutMs: number;
}

const connections = new Set<ConnectionState>();

export interface ConnectionTracker {
  disconnected(server: string): void;
  reconnected(): void;
  closed(): void;
}

/** One per connection; the first server is named until a disconnect says which one was lost. */
export function trackConnection(server: string, timeoutMs: number): ConnectionTracker {
  const state: ConnectionState = { server: redactUrl(server), down: false, backMs: undefined, timeoutMs };
  connections.add(state);
  return {
    disconnected(lost) {
      state.server = redactUrl(lost);
      state.down = true;
    },
    reconnected() {
      state.down = false;
      state.backMs = Date.now();
    },
    closed() {
      connections.delete(state);
    },
  };
}

export interface ConnectionOutage {
  server: string;
  /** Still down (nats.js reconnecting), or lost and back since. */
  down: boolean;
}

/** A connection down now, else one down at some moment within its timeout (while a request that just failed was waiting). */
export function recentOutage(nowMs = Date.now()): ConnectionOutage | undefined {
  let recent: ConnectionOutage | undefined;
  for (const c of connections) {
    if (c.down) return { server: sanitizeText(c.server), down: true };
    if (c.backMs !== undefined && nowMs - c.backMs <= c.timeoutMs + 1000) recent = { server: sanitizeText(c.server), down: false };
  }
  return recent;
}
