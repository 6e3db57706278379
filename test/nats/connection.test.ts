import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RuntimeError, UsageError } from "../../src/errors.js";
import {
  buildConnectOptions,
  ConnectError,
  connectNats,
  describeConnectError,
  effectiveSettings,
  redactUrl,
  resolveConnectionOptions,
  splitUrlCredentials,
} from "../../src/nats/connection/index.js";
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

  it("refuses a --timeout of 0 or longer than a timer holds (flag or NATS_TIMEOUT) as a usage error", () => {
    const env = isolatedEnv();
    expect(resolveConnectionOptions({ context: false, timeout: "1ms" }, env).timeoutMs).toBe(1);
    expect(resolveConnectionOptions({ context: false, timeout: "24d" }, env).timeoutMs).toBe(24 * 86_400_000);
    for (const timeout of ["0", "0s", "0ms"]) {
      expect(() => resolveConnectionOptions({ context: false, timeout }, env)).toThrow(new UsageError(`invalid --timeout '${timeout}': give a duration above 0, e.g. 500ms or 5s`));
    }
    expect(() => resolveConnectionOptions({ context: false, timeout: "10000h" }, env)).toThrow(/^invalid --timeout '10000h': at most 24d20h31m23s$/);
    expect(() => resolveConnectionOptions({ context: false }, { ...env, NATS_TIMEOUT: "0" })).toThrow(UsageError);
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

describe("URLs, TLS and what may be shown", () => {
  it("takes credentials out of server URLs as natscli does", () => {
    expect(splitUrlCredentials("nats://alice:p%40ss@host:4222")).toEqual({ url: "nats://host:4222", user: "alice", password: "p@ss" });
    expect(splitUrlCredentials("tls://tok@host")).toEqual({ url: "tls://host", token: "tok" });
    expect(splitUrlCredentials("host:4222")).toEqual({ url: "host:4222" });
    const r = resolveConnectionOptions({ server: "nats://bob:pw@a:1,nats://b:2", context: false }, {});
    expect(r.servers).toEqual(["nats://a:1", "nats://b:2"]);
    expect([r.user, r.password]).toEqual(["bob", "pw"]);
    // an explicit user wins over the URL's
    expect(resolveConnectionOptions({ server: "nats://bob:pw@a:1", user: "carol", context: false }, {}).user).toBe("carol");
  });

  it("requires TLS for tls:// URLs (nats.js alone would fall back to plain text)", async () => {
    const r = resolveConnectionOptions({ server: "tls://a:4222", context: false }, {});
    expect(r.tls).toBeDefined();
    expect((await buildConnectOptions(r)).tls).toEqual({});
    expect(resolveConnectionOptions({ server: "nats://a:4222", context: false }, {}).tls).toBeUndefined();
  });

  it("lists effective settings with their origin, secrets masked", () => {
    const env = isolatedEnv();
    writeContext(env, "pi", { url: "nats://pi:4222", token: "ctx-token", creds: "/etc/pi.creds" }, true);
    const r = resolveConnectionOptions({ password: "flag-pw", user: "u" }, { ...env, NATS_TIMEOUT: "2s" });
    const rows = Object.fromEntries(effectiveSettings(r).map((s) => [s.setting, `${s.value} <${s.origin}>`]));
    expect(rows).toMatchObject({
      server: "nats://pi:4222 <context 'pi'>",
      user: "u <--user>",
      password: "***** <--password>",
      // Credentials of another method from a lower source are shown, and said to be unused (they are not sent).
      token: "***** (not used: user/password from a flag wins) <context 'pi'>",
      creds: "/etc/pi.creds (not used: user/password from a flag wins) <context 'pi'>",
      timeout: "2s <NATS_TIMEOUT>",
    });
    expect(JSON.stringify(effectiveSettings(r))).not.toMatch(/flag-pw|ctx-token/);
  });

  it("never puts secrets into connect error messages", () => {
    const r = resolveConnectionOptions({ server: "nats://alice:hunter2@h:1", context: false }, {});
    const auth = Object.assign(new Error("'Authorization Violation'"), { name: "AuthorizationError" });
    expect(describeConnectError(auth, r).message).toBe(
      "cannot connect to nats://h:1: authorization violation: the server refused user 'alice' (from the URL in --server) and its password (from the URL in --server)",
    );
    const timeout = Object.assign(new Error("timeout"), { name: "TimeoutError" });
    expect(describeConnectError(timeout, r).message).toMatch(/timed out after 5000 ms/);
    const ssl = Object.assign(new Error("80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../x.c:350:\n"), {
      code: "ERR_SSL_WRONG_VERSION_NUMBER",
    });
    expect(describeConnectError(ssl, r).message).toBe("cannot connect to nats://h:1: TLS handshake failed (wrong version number); is this a TLS port?");
  });

  it("gives each described connect error its kind", () => {
    const r = resolveConnectionOptions({ server: "nats://h:1", context: false }, {});
    const kindOf = (err: unknown) => {
      const described = describeConnectError(err, r);
      expect(described).toBeInstanceOf(ConnectError);
      return (described as ConnectError).kind;
    };
    const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
    expect(kindOf(withCode("ECONNREFUSED"))).toBe("refused");
    expect(kindOf(Object.assign(new Error("connection refused"), { name: "ConnectionError" }))).toBe("refused");
    expect(kindOf(Object.assign(new Error("timeout"), { name: "TimeoutError" }))).toBe("timeout");
    expect(kindOf(withCode("ENOTFOUND"))).toBe("host-not-found");
    expect(kindOf(withCode("EAI_AGAIN"))).toBe("host-not-found");
    expect(kindOf(withCode("EHOSTUNREACH"))).toBe("unreachable");
    expect(kindOf(withCode("ECONNRESET"))).toBe("closed");
    expect(kindOf(withCode("EPIPE"))).toBe("closed");
    expect(kindOf(new Error("closed connection"))).toBe("closed");
    expect(kindOf(Object.assign(new Error("'Authorization Violation'"), { name: "AuthorizationError" }))).toBe("auth");
    expect(kindOf(Object.assign(new Error("user authentication expired"), { name: "UserAuthenticationExpiredError" }))).toBe("auth");
    expect(kindOf(new Error("server does not support 'tls'"))).toBe("tls");
    expect(kindOf(withCode("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"))).toBe("tls");
    expect(kindOf(withCode("CERT_HAS_EXPIRED"))).toBe("tls");
    expect(kindOf(withCode("ERR_SSL_WRONG_VERSION_NUMBER", "SSL routines::wrong version number"))).toBe("tls");
    expect(kindOf(new Error("something else"))).toBe("other");
  });

  it("passes errors that are already the user's to act on through unchanged, without a kind", () => {
    const r = resolveConnectionOptions({ server: "nats://h:1", context: false }, {});
    const given = new RuntimeError("already described");
    expect(describeConnectError(given, r)).toBe(given);
  });
});

describe("reconnecting", () => {
  it("reports reconnecting/reconnected through onStatus when the server restarts, and works after", async () => {
    const server = await startNatsServer({ jetstream: false });
    const lines: string[] = [];
    try {
      const resolved = resolveConnectionOptions({ server: server.url, context: false }, {});
      const nc = await connectNats(resolved, { onStatus: (line) => lines.push(line) });
      try {
        const sub = nc.subscribe("echo");
        void (async () => {
          for await (const m of sub) m.respond(m.data);
        })();
        expect((await nc.request("echo", "before", { timeout: 2000 })).string()).toBe("before");
        await server.restart();
        const deadline = Date.now() + 20_000;
        while (!lines.some((l) => l.startsWith("reconnected to")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(lines).toContainEqual(expect.stringMatching(/^disconnected from 127\.0\.0\.1:\d+$/));
        expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^reconnecting to ${server.url.replace(/\./g, "\\.")} \\(attempt 1\\)$`)));
        expect(lines).toContainEqual(expect.stringMatching(/^reconnected to 127\.0\.0\.1:\d+$/));
        // the subscription was re-sent on reconnect: the same responder answers
        expect((await nc.request("echo", "after", { timeout: 5000 })).string()).toBe("after");
      } finally {
        await nc.close();
      }
    } finally {
      await server.dispose();
    }
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

  it("refuses a natscli context that goes through a SOCKS proxy instead of silently connecting around it", async () => {
    const env = isolatedEnv();
    writeContext(env, "sox", { url: server.url, socks_proxy: "socks5://bob:sox-SECRET@127.0.0.1:1080" }, true);
    const [info, check] = await Promise.all([runCli(["server", "info"], { env }), runCli(["check"], { env })]);
    const line = "context 'sox' connects through the SOCKS proxy socks5://***@127.0.0.1:1080, which nsm4home cannot use: run nsm4home where the server is reachable directly, with --no-context or another context";
    expect(info.code).toBe(1);
    expect(info.stderr.trim().split("\n")).toEqual([`nsm4home: ${line}`]);
    expect(check.code).toBe(3);
    expect(check.stdout).toBe(`NSM4HOME UNKNOWN: ${line}\n`);
    expect(info.stdout + info.stderr + check.stdout + check.stderr).not.toContain("sox-SECRET");
    const direct = await runCli(["server", "info", "--no-context", "-s", server.url], { env });
    expect(direct.code, direct.stderr).toBe(0);
  });
});

describe("authentication precedence is per method", () => {
  it("an explicit --token beats a context's user and password (QA F4)", () => {
    const env = isolatedEnv();
    writeContext(env, "sec", { url: "nats://ctx:4222", user: "alice", password: "ctxpass", token: "ctxtoken" }, true);
    const r = resolveConnectionOptions({ token: "flagtoken" }, env);
    expect(r.token).toBe("flagtoken");
    expect(r.user).toBeUndefined();
    expect(r.password).toBeUndefined();
    expect(r.sources.token).toBe("flag");
    expect(r.sources.user).toBeUndefined();
  });

  it("NATS_CREDS beats a context's token; a flag user still takes the context's password", () => {
    const env = isolatedEnv({ NATS_CREDS: "/etc/nats/user.creds" });
    writeContext(env, "mix", { user: "alice", password: "ctxpass", token: "ctxtoken" }, true);
    const fromEnv = resolveConnectionOptions({}, env);
    expect(fromEnv.credsFile).toBe("/etc/nats/user.creds");
    expect(fromEnv.token).toBeUndefined();
    expect(fromEnv.user).toBeUndefined();
    const withUser = resolveConnectionOptions({ user: "bob" }, env);
    expect(withUser.user).toBe("bob");
    expect(withUser.password).toBe("ctxpass");
    expect(withUser.credsFile).toBeUndefined();
  });
});
