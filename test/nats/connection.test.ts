import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveConnectionOptions, redactUrl } from "../../src/nats/connection.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

function writeContext(env: NodeJS.ProcessEnv, name: string, body: object, select = false): void {
  const dir = join(env.XDG_CONFIG_HOME!, "nats", "context");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(body));
  if (select) writeFileSync(join(env.XDG_CONFIG_HOME!, "nats", "context.txt"), name);
}

describe("resolveConnectionOptions precedence", () => {
  it("uses flag over env over context over default", () => {
    const env = isolatedEnv();
    writeContext(env, "pi", { url: "nats://ctx:4222", user: "ctxuser", password: "ctxpass" }, true);
    expect(resolveConnectionOptions({}, env).servers).toEqual(["nats://ctx:4222"]);
    expect(resolveConnectionOptions({}, env).sources.server).toBe("context");
    env.NATS_URL = "nats://env:4222";
    expect(resolveConnectionOptions({}, env).servers).toEqual(["nats://env:4222"]);
    expect(resolveConnectionOptions({ server: "nats://a:1,nats://b:2" }, env).servers).toEqual(["nats://a:1", "nats://b:2"]);
    expect(resolveConnectionOptions({ context: false }, { ...env, NATS_URL: "" }).servers).toEqual(["nats://127.0.0.1:4222"]);
    const r = resolveConnectionOptions({ user: "flaguser" }, env);
    expect(r.user).toBe("flaguser");
    expect(r.password).toBe("ctxpass");
  });

  it("reads NATS_CONTEXT as a name or a path", () => {
    const env = isolatedEnv();
    writeContext(env, "lab", { url: "nats://lab:4222" });
    expect(resolveConnectionOptions({}, { ...env, NATS_CONTEXT: "lab" }).servers).toEqual(["nats://lab:4222"]);
    const path = join(env.XDG_CONFIG_HOME!, "nats", "context", "lab.json");
    expect(resolveConnectionOptions({}, { ...env, NATS_CONTEXT: path }).servers).toEqual(["nats://lab:4222"]);
  });

  it("names an unknown context in the error", () => {
    const env = isolatedEnv();
    expect(() => resolveConnectionOptions({ context: "nope" }, env)).toThrow(/unknown context 'nope'/);
  });

  it("masks credentials in URLs", () => {
    expect(redactUrl("nats://alice:s3cret@host:4222")).toBe("nats://***@host:4222");
    expect(redactUrl("nats://host:4222")).toBe("nats://host:4222");
  });
});

describe("connecting to a real server", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("says connection refused with the URL and a hint, exit 1, no stack", async () => {
    const stopped = await startNatsServer({ jetstream: false });
    const url = stopped.url;
    await stopped.dispose();
    const r = await runCli(["server", "info", "-s", url]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(url);
    expect(r.stderr).toMatch(/connection refused \(is nats-server running there\?\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
