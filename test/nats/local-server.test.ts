import { describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findNatsServer, NATS_SERVER_MISSING, natsServerMissingMessage, startLocalNatsServer } from "../../src/nats/local-server.js";
import { natsServerBinary } from "../helpers/binaries.js";
import { freePort } from "../helpers/ports.js";
import { trackDir } from "../helpers/processes.js";
import { streamCount, testConnection } from "../ingest/stream-helpers.js";

describe("findNatsServer", () => {
  it("prefers NSM4HOME_NATS_SERVER, then PATH; undefined when there is none", () => {
    const dir = mkdtempSync(join(tmpdir(), "nsm4home-bin-"));
    trackDir(dir);
    const fake = join(dir, "nats-server");
    writeFileSync(fake, "#!/bin/sh\n");
    chmodSync(fake, 0o755);
    expect(findNatsServer({ NSM4HOME_NATS_SERVER: fake, PATH: "" })).toBe(fake);
    expect(findNatsServer({ PATH: dir })).toBe(fake);
    expect(findNatsServer({ NSM4HOME_NATS_SERVER: join(dir, "missing"), PATH: dir })).toBeUndefined();
    expect(NATS_SERVER_MISSING).toMatch(/apt-get install nats-server/);
    // Unset: where we looked and how to get one. Set: the variable's own value and what is wrong with it.
    expect(natsServerMissingMessage({})).toBe(NATS_SERVER_MISSING);
    expect(natsServerMissingMessage({ NSM4HOME_NATS_SERVER: join(dir, "missing") })).toBe(
      `NSM4HOME_NATS_SERVER=${join(dir, "missing")} does not exist: point it at a nats-server binary, or unset it to look in PATH and /usr/sbin`,
    );
    expect(natsServerMissingMessage({ NSM4HOME_NATS_SERVER: dir })).toMatch(/^NSM4HOME_NATS_SERVER=.* is not an executable file: /);
  });
});

describe("startLocalNatsServer", () => {
  it("runs JetStream on loopback in a temp dir and removes it on stop", async () => {
    const port = await freePort();
    const server = await startLocalNatsServer({ binary: natsServerBinary(), port });
    expect(server.url).toBe(`nats://127.0.0.1:${port}`);
    expect(existsSync(server.dir)).toBe(true);
    const nc = await testConnection(server.url);
    const info = await nc.request("$JS.API.INFO", undefined, { timeout: 2000 });
    expect(info.json<{ error?: unknown }>().error).toBeUndefined();
    expect(await streamCount(nc, "none")).toBe(-1);
    await nc.close();
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
  });

  it("reports a server that cannot start with its own words", async () => {
    const port = await freePort();
    const first = await startLocalNatsServer({ binary: natsServerBinary(), port });
    try {
      await expect(startLocalNatsServer({ binary: natsServerBinary(), port, readyTimeoutMs: 5000 })).rejects.toThrow(/nats-server exited before it was ready/);
    } finally {
      await first.stop();
    }
  });
});
