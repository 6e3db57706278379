// Which connection was down while a request waited: down now, back within its timeout, or long since back.
import { afterEach, describe, expect, it } from "vitest";
import { recentOutage, trackConnection, type ConnectionTracker } from "../../src/nats/connection/outage.js";

describe("recentOutage", () => {
  const trackers: ConnectionTracker[] = [];
  afterEach(() => trackers.splice(0).forEach((t) => t.closed()));

  it("names the lost server while down, then for one timeout after it is back, then no longer", () => {
    const t = trackConnection("nats://user:secret@127.0.0.1:4333", 2000);
    trackers.push(t);
    expect(recentOutage()).toBeUndefined();
    t.disconnected("127.0.0.1:4333");
    expect(recentOutage()).toEqual({ server: "127.0.0.1:4333", down: true });
    t.reconnected();
    const back = Date.now();
    expect(recentOutage(back + 2500)).toEqual({ server: "127.0.0.1:4333", down: false });
    expect(recentOutage(back + 3500)).toBeUndefined();
  });

  it("never names credentials, and forgets a closed connection", () => {
    const t = trackConnection("nats://user:secret@127.0.0.1:4333", 2000);
    t.disconnected("nats://tok3n@127.0.0.1:4333\u001b[31m");
    const outage = recentOutage();
    expect(outage?.down).toBe(true);
    expect(outage?.server).not.toMatch(/secret|tok3n|\u001b/);
    t.closed();
    expect(recentOutage()).toBeUndefined();
  });
});
