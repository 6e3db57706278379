// --js-domain, --js-api-prefix and --inbox-prefix: resolved with the same precedence as every connection setting,
// and used for real: a server with a JetStream domain, a user who may only receive on its own inbox prefix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { effectiveSettings, resolveConnectionOptions } from "../../src/nats/connection/index.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startNatsServer, waitForJetStreamReady, type NatsServer } from "../helpers/nats-server.js";
import { trackDir } from "../helpers/processes.js";

function writeContext(env: NodeJS.ProcessEnv, name: string, body: object): void {
  const dir = join(env.XDG_CONFIG_HOME!, "nats", "context");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(body));
  writeFileSync(join(env.XDG_CONFIG_HOME!, "nats", "context.txt"), name);
}

describe("resolving the JetStream domain, API prefix and inbox prefix", () => {
  it("takes flag over env over context, and says where each came from", () => {
    const env = isolatedEnv();
    writeContext(env, "pi", { url: "nats://ctx:4222", jetstream_domain: "ctxdomain", inbox_prefix: "_CTX" });
    let r = resolveConnectionOptions({}, env);
    expect([r.jetstreamDomain, r.inboxPrefix, r.sources.jetstream_domain]).toEqual(["ctxdomain", "_CTX", "context"]);
    env.NATS_JS_DOMAIN = "envdomain";
    env.NATS_INBOX_PREFIX = "_ENV";
    r = resolveConnectionOptions({}, env);
    expect([r.jetstreamDomain, r.inboxPrefix, r.sources.jetstream_domain]).toEqual(["envdomain", "_ENV", "env"]);
    r = resolveConnectionOptions({ jsDomain: "hub", inboxPrefix: "_FLAG" }, env);
    expect([r.jetstreamDomain, r.inboxPrefix, r.sources.inbox_prefix]).toEqual(["hub", "_FLAG", "flag"]);
    const rows = effectiveSettings(r);
    expect(rows.find((s) => s.setting === "jetstream_domain")?.origin).toBe("--js-domain");
    expect(rows.find((s) => s.setting === "inbox_prefix")?.origin).toBe("--inbox-prefix");
    expect(effectiveSettings(resolveConnectionOptions({}, env)).find((s) => s.setting === "jetstream_domain")?.origin).toBe("NATS_JS_DOMAIN");
  });

  it("lets a domain and an API prefix from different levels be decided by precedence, refuses both from one", () => {
    const env = isolatedEnv();
    writeContext(env, "pi", { jetstream_api_prefix: "$JS.ctx.API" });
    let r = resolveConnectionOptions({ jsDomain: "hub" }, env);
    expect([r.jetstreamDomain, r.jetstreamApiPrefix]).toEqual(["hub", undefined]);
    env.NATS_JS_DOMAIN = "envhub";
    r = resolveConnectionOptions({ jsApiPrefix: "$JS.flag.API" }, env);
    expect([r.jetstreamDomain, r.jetstreamApiPrefix]).toEqual([undefined, "$JS.flag.API"]);
    expect(() => resolveConnectionOptions({ jsDomain: "a", jsApiPrefix: "$JS.b.API" }, env)).toThrow(
      /JetStream domain \(--js-domain\) and an API prefix \(--js-api-prefix\) both given: give one/,
    );
  });

  it("refuses a domain or prefix that is not a subject token, naming where it came from", () => {
    const env = isolatedEnv({ NATS_JS_DOMAIN: "a.b" });
    expect(() => resolveConnectionOptions({}, env)).toThrow(/invalid JetStream domain 'a.b' \(from NATS_JS_DOMAIN\)/);
    expect(() => resolveConnectionOptions({ inboxPrefix: "_IN.>" }, isolatedEnv())).toThrow(/invalid inbox prefix '_IN.>' \(from --inbox-prefix\)/);
  });
});

describe("against real servers", () => {
  let hub: NatsServer;
  let restricted: NatsServer;
  beforeAll(async () => {
    const store = mkdtempSync(join(tmpdir(), "nsm4home-jsaccess-"));
    trackDir(store);
    [hub, restricted] = await Promise.all([
      startNatsServer({ jetstream: false, config: `jetstream { store_dir: "${join(store, "hub")}", domain: hub }` }),
      // Alice may receive replies only under _ALICE: JetStream requests work only with --inbox-prefix _ALICE.
      startNatsServer({
        jetstream: false,
        config: `jetstream { store_dir: "${join(store, "r")}" }
authorization { users: [ { user: alice, password: pw, permissions: { publish: ["$JS.API.>"], subscribe: ["_ALICE.>"] } } ] }`,
      }),
    ]);
    await waitForJetStreamReady(hub.url);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([hub?.dispose(), restricted?.dispose()]);
  });

  it("reaches the JetStream API of the named domain (--js-domain, NATS_JS_DOMAIN); a wrong one fails in one line", async () => {
    const env = isolatedEnv();
    const add = await runCli(["-s", hub.url, "--js-domain", "hub", "stream", "add", "viadomain", "--defaults", "--subjects", "d.>"], { env });
    expect(add.code, add.stderr).toBe(0);
    const ls = await runCli(["-s", hub.url, "stream", "ls", "--json"], { env: { ...env, NATS_JS_DOMAIN: "hub" } });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain("viadomain");
    const viaPrefix = await runCli(["-s", hub.url, "--js-api-prefix", "$JS.hub.API", "stream", "info", "viadomain"], { env });
    expect(viaPrefix.code, viaPrefix.stderr).toBe(0);
    const wrong = await runCli(["-s", hub.url, "--js-domain", "nowhere", "--timeout", "1s", "stream", "ls"], { env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toMatch(/^nsm4home: JetStream: nothing answers for domain 'nowhere' \(from --js-domain\): check the name/);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("uses --inbox-prefix for replies, where the account allows only that prefix", async () => {
    const env = isolatedEnv();
    const args = ["-s", restricted.url, "--user", "alice", "--password", "pw", "--timeout", "2s"];
    const ok = await runCli([...args, "--inbox-prefix", "_ALICE", "stream", "add", "inboxed", "--defaults", "--subjects", "i.>"], { env });
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await runCli([...args, "stream", "ls"], { env });
    expect(refused.code).toBe(1);
    const viaEnv = await runCli([...args, "stream", "ls"], { env: { ...env, NATS_INBOX_PREFIX: "_ALICE" } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.stdout).toContain("inboxed");
  });
});
