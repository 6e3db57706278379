// A user who may subscribe to events but not call the JetStream API: live tail works, and everything that needs
// the API (replay, stream commands) says in one line that the API is what is denied and what to allow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

const AUTH = `authorization {
  users = [
    { user: admin, password: admin }
    { user: viewer, password: viewer, permissions: { publish: { allow: ["_INBOX.>"] }, subscribe: { allow: ["suricata.>", "_INBOX.>"] } } }
  ]
}`;

let server: NatsServer;
const env = isolatedEnv();
const as = (user: string, args: string[]) => runCli(["-s", `nats://${user}:${user}@127.0.0.1:${server.port}`, "--no-context", ...args], { env });

beforeAll(async () => {
  server = await startNatsServer({ config: AUTH });
  expect((await as("admin", ["stream", "add", "--defaults"])).code).toBe(0);
});
afterAll(async () => {
  await server?.dispose();
});

describe("a user without the JetStream API", () => {
  it("replay: one line naming the denied API, what to allow, and that live tail works", async () => {
    const r = await as("viewer", ["tail", "--since", "1h", "--no-follow"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'nsm4home: JetStream: this user may not use the JetStream API (Permissions Violation for Publish to "$JS.API.INFO"): allow it to publish to $JS.API.>; replaying needs it, live tail (without --since, --last, --seq, --all or --new) does not\n',
    );
    const ls = await as("viewer", ["stream", "ls"]);
    expect(ls.code).toBe(1);
    expect(ls.stderr.trim().split("\n")).toHaveLength(1);
    expect(ls.stderr).toMatch(/may not use the JetStream API .*allow it to publish to \$JS\.API\.>$/m);
  });

  it("live tail of a subject it may not subscribe to fails with the server's reason, exit 1 (it ended as if done, exit 0)", async () => {
    const r = await as("viewer", ["--timeout", "10s", "tail", "other.dns"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^nsm4home: subscription to other\.dns failed: Permissions Violation for Subscription to "other\.dns"$/m);
  });

  it("live tail works with subscribe permission alone", async () => {
    const tail = runCli(["-s", `nats://viewer:viewer@127.0.0.1:${server.port}`, "--no-context", "--timeout", "3s", "tail", "dns", "--count", "1", "--json"], { env });
    // Published until the subscription is there: live tail shows only what arrives after it starts.
    const { connect } = await import("@nats-io/transport-node");
    const admin = await connect({ servers: server.url, user: "admin", pass: "admin" });
    let done = false;
    void tail.then(() => (done = true));
    for (let i = 0; i < 50 && !done; i++) {
      admin.publish("suricata.dns", JSON.stringify({ event_type: "dns", i }));
      await new Promise((r) => setTimeout(r, 100));
    }
    await admin.close();
    const r = await tail;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).event_type).toBe("dns");
  });
});
