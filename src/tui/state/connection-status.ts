// The status bar's connection state, driven by nats.js status events (connectNats' onStatusEvent).
import type { ConnectionState } from "./snapshot.js";

/** The state after one nats.js status event; events that say nothing about the connection keep it. */
export function connectionAfter(current: ConnectionState, statusType: string): ConnectionState {
  switch (statusType) {
    case "disconnect":
      return { kind: "disconnected" };
    case "reconnecting":
      return { kind: "reconnecting", attempts: current.kind === "reconnecting" ? current.attempts + 1 : 1 };
    case "reconnect":
      return { kind: "connected" };
    case "close":
      return { kind: "closed" };
    default:
      return current;
  }
}
