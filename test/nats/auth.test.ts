// Each auth method and TLS mode against a real nats-server that requires it, through the CLI as a user runs it:
// success, the one-line failure a user can act on (exit 1), and no secret in any output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { isolatedEnv, runCli, type CliResult } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { makeTlsFiles, operatorSetup, tempDir, userNkey, type TlsFiles } from "./auth-fixtures.js";

const PASSWORD = "pw-Zq7xK2-secret";
const TOKEN = "tok-Hh41vR-secret";

/** One line on stderr, exit 1, no stack trace. */
function expectOneLineFailure(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^nsm4home: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function expectNoSecrets(r: CliResult, ...secrets: string[]): void {
  for (const s of secrets) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
}

const serverInfo = (args: string[], env = isolatedEnv()) => runCli(["server", "info", ...args], { env });

describe("user and password", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer({ config: `authorization { users: [ { user: alice, password: "${PASSWORD}" } ] }` });
  });
  afterAll(() => server?.dispose());

  it("connects with --user/--password and with NATS_USER/NATS_PASSWORD", async () => {
    const byFlag = await serverInfo(["-s", server.url, "--user", "alice", "--password", PASSWORD]);
    expect(byFlag.code, byFlag.stderr).toBe(0);
    expect(byFlag.stdout).toMatch(/Auth required: yes/);
    expectNoSecrets(byFlag, PASSWORD);
    const byEnv = await serverInfo(["-s", server.url, "--json"], isolatedEnv({ NATS_USER: "alice", NATS_PASSWORD: PASSWORD }));
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(JSON.parse(byEnv.stdout).server.auth_required).toBe(true);
    expectNoSecrets(byEnv, PASSWORD);
  });

  it("accepts credentials inside the URL and never prints them", async () => {
    const url = `nats://alice:${PASSWORD}@127.0.0.1:${server.port}`;
    const ok = await serverInfo(["-s", url, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expectNoSecrets(ok, PASSWORD);
    const bad = await serverInfo(["-s", `nats://alice:wrong-${PASSWORD}@127.0.0.1:${server.port}`]);
    expectOneLineFailure(bad, /cannot connect to nats:\/\/127\.0\.0\.1:\d+: authorization violation: the server refused user 'alice' \(from the URL in --server\)/);
    expectNoSecrets(bad, PASSWORD);
  });

  it("names the user and where the password came from when the server refuses them", async () => {
    const r = await serverInfo(["-s", server.url, "--user", "alice", "--password", `not-${PASSWORD}`]);
    expectOneLineFailure(r, /authorization violation: the server refused user 'alice' \(from --user\) and its password \(from --password\)/);
    expectNoSecrets(r, PASSWORD);
    const fromEnv = await serverInfo(["-s", server.url], isolatedEnv({ NATS_USER: "alice", NATS_PASSWORD: `not-${PASSWORD}` }));
    expectOneLineFailure(fromEnv, /refused user 'alice' \(from NATS_USER\) and its password \(from NATS_PASSWORD\)/);
    expectNoSecrets(fromEnv, PASSWORD);
  });

  it("says the server requires authentication when none was given", async () => {
    const r = await serverInfo(["-s", server.url]);
    expectOneLineFailure(r, /authorization violation: the server requires authentication \(give --user\/--password, --token, --creds or --nkey\)/);
  });
});

describe("token", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer({ config: `authorization { token: "${TOKEN}" }` });
  });
  afterAll(() => server?.dispose());

  it("connects with --token and NATS_TOKEN, and refuses a wrong one in one line", async () => {
    const ok = await serverInfo(["-s", server.url, "--token", TOKEN, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expectNoSecrets(ok, TOKEN);
    const env = await serverInfo(["-s", server.url], isolatedEnv({ NATS_TOKEN: TOKEN }));
    expect(env.code, env.stderr).toBe(0);
    const bad = await serverInfo(["-s", server.url, "--token", `x${TOKEN}`]);
    expectOneLineFailure(bad, /authorization violation: the server refused a token \(from --token\)/);
    expectNoSecrets(bad, TOKEN);
  });
});

describe("nkey", () => {
  let server: NatsServer;
  let dir: string;
  const good = userNkey();
  const stranger = userNkey();
  beforeAll(async () => {
    server = await startNatsServer({ config: `authorization { users: [ { nkey: ${good.publicKey} } ] }` });
    dir = tempDir("nsm4home-nkey-");
    writeFileSync(join(dir, "good.nk"), good.seed + "\n");
    writeFileSync(join(dir, "stranger.nk"), stranger.seed + "\n");
    writeFileSync(join(dir, "not-a-seed.nk"), "hello\n");
    writeFileSync(join(dir, "decorated.nk"), `-----BEGIN USER NKEY SEED-----\n${good.seed}\n------END USER NKEY SEED------\n`);
  });
  afterAll(() => server?.dispose());

  it("signs the server's nonce with the seed in --nkey", async () => {
    const r = await serverInfo(["-s", server.url, "--nkey", join(dir, "good.nk"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecrets(r, good.seed);
  });

  it("reads a seed between BEGIN/END USER NKEY SEED lines, as nats.go does", async () => {
    const r = await serverInfo(["-s", server.url, "--nkey", join(dir, "decorated.nk"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecrets(r, good.seed);
  });

  it("names the nkey file the server refused, never the seed", async () => {
    const r = await serverInfo(["-s", server.url, "--nkey", join(dir, "stranger.nk")]);
    expectOneLineFailure(r, /authorization violation: the server refused nkey file .*stranger\.nk \(from --nkey\)/);
    expectNoSecrets(r, stranger.seed);
  });

  it("refuses a seed given in place of its file (flag, NATS_NKEY, context add) without repeating it", async () => {
    const env = isolatedEnv();
    const runs = await Promise.all([
      serverInfo(["-s", server.url, "--nkey", good.seed]),
      serverInfo(["-s", server.url], isolatedEnv({ NATS_NKEY: good.seed })),
      runCli(["context", "info"], { env: isolatedEnv({ NATS_NKEY: good.seed }) }),
      runCli(["context", "add", "k", "-s", server.url, "--nkey", good.seed], { env }),
      runCli(["check", "-s", server.url, "--creds", `-----BEGIN NATS USER JWT-----\nx\n-----BEGIN USER NKEY SEED-----\n${good.seed}`], { env }),
    ]);
    for (const r of runs) expectNoSecrets(r, good.seed);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 3]);
    expect(runs[0]!.stderr.trim()).toBe("nsm4home: --nkey takes the path of a file holding the nkey seed, not the nkey seed as text: put it in a file only you can read and give that file's path");
    expect(runs[1]!.stderr).toMatch(/^nsm4home: NATS_NKEY takes the path of a file holding the nkey seed/);
    expect(runs[4]!.stdout).toMatch(/^NSM4HOME UNKNOWN: --creds takes the path of a file holding the credentials/);
    expect(existsSync(join(env.XDG_CONFIG_HOME!, "nats", "context", "k.json"))).toBe(false);
  });

  it("fails in one line for a missing file or a file without a seed", async () => {
    const missing = await serverInfo(["-s", server.url, "--nkey", join(dir, "nope.nk")]);
    expectOneLineFailure(missing, /cannot read nkey seed file .*nope\.nk \(ENOENT, from --nkey\)/);
    const unreadable = await serverInfo(["-s", server.url], isolatedEnv({ NATS_NKEY: dir }));
    expectOneLineFailure(unreadable, /cannot read nkey seed file .* \(EISDIR, from NATS_NKEY\)/);
    const junk = await serverInfo(["-s", server.url, "--nkey", join(dir, "not-a-seed.nk")]);
    expectOneLineFailure(junk, /does not hold a user nkey seed/);
    writeFileSync(join(dir, "damaged.nk"), good.seed.slice(0, -3) + "AAA\n");
    const damaged = await serverInfo(["-s", server.url, "--nkey", join(dir, "damaged.nk")]);
    expectOneLineFailure(damaged, /^nsm4home: the nkey file .*damaged\.nk \(from --nkey\) holds a damaged seed \(.*\): copy it again whole$/);
    expectNoSecrets(damaged, good.seed.slice(0, -3));
  });
});

describe("creds (operator, account and user JWTs)", () => {
  let server: NatsServer;
  let dir: string;
  const setup = operatorSetup();
  beforeAll(async () => {
    server = await startNatsServer({ jetstream: false, config: setup.serverConfig });
    dir = tempDir("nsm4home-creds-");
    writeFileSync(join(dir, "alice.creds"), setup.creds);
    writeFileSync(join(dir, "mallory.creds"), setup.foreignCreds);
    writeFileSync(join(dir, "junk.creds"), "not a creds file\n");
  });
  afterAll(() => server?.dispose());

  const seedOf = (creds: string) => /SU[A-Z0-9]+/.exec(creds)![0];

  it("connects with a creds file from --creds and NATS_CREDS", async () => {
    const r = await serverInfo(["-s", server.url, "--creds", join(dir, "alice.creds")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Auth required: yes/);
    expectNoSecrets(r, seedOf(setup.creds));
    const env = await serverInfo(["-s", server.url, "--json"], isolatedEnv({ NATS_CREDS: join(dir, "alice.creds") }));
    expect(env.code, env.stderr).toBe(0);
    expectNoSecrets(env, seedOf(setup.creds));
  });

  it("names the creds file a server refuses (user of an unknown account)", async () => {
    const r = await serverInfo(["-s", server.url, "--creds", join(dir, "mallory.creds")]);
    expectOneLineFailure(r, /authorization violation: the server refused creds file .*mallory\.creds \(from --creds\)/);
    expectNoSecrets(r, seedOf(setup.foreignCreds));
  });

  it("fails in one line for an unreadable or malformed creds file", async () => {
    const missing = await serverInfo(["-s", server.url, "--creds", join(dir, "missing.creds")]);
    expectOneLineFailure(missing, /cannot read credentials file .*missing\.creds \(ENOENT, from --creds\): check the path/);
    const directory = await serverInfo(["-s", server.url, "--creds", dir]);
    expectOneLineFailure(directory, /cannot read credentials file .* \(EISDIR, from --creds\)/);
    const junk = await serverInfo(["-s", server.url, "--creds", join(dir, "junk.creds")]);
    expectOneLineFailure(junk, /junk\.creds \(from --creds\) holds no NATS user JWT and seed/);
  });
});

describe("TLS", () => {
  let tls: TlsFiles;
  let server: NatsServer;
  let mutual: NatsServer;
  let plain: NatsServer;
  beforeAll(async () => {
    tls = makeTlsFiles();
    const block = (extra = "") => `tls { cert_file: "${tls.serverCert}", key_file: "${tls.serverKey}" ${extra} }`;
    [server, mutual, plain] = await Promise.all([
      startNatsServer({ jetstream: false, scheme: "tls", config: block() }),
      startNatsServer({ jetstream: false, scheme: "tls", config: block(`, ca_file: "${tls.ca}", verify: true`) }),
      startNatsServer({ jetstream: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.dispose(), mutual?.dispose(), plain?.dispose()]);
  });
  const port = (s: NatsServer) => `127.0.0.1:${s.port}`;

  it("connects with --tlsca (and NATS_CA) to a server whose certificate that CA signed", async () => {
    const r = await serverInfo(["-s", server.url, "--tlsca", tls.ca]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/TLS required: yes/);
    const env = await serverInfo(["-s", port(server)], isolatedEnv({ NATS_CA: tls.ca }));
    expect(env.code, env.stderr).toBe(0);
  });

  it("says TLS is required when a plain client meets a TLS server with a private CA", async () => {
    const r = await serverInfo(["-s", `nats://${port(server)}`]);
    expectOneLineFailure(r, /TLS handshake failed: the server requires TLS and its certificate is not signed by a CA this machine trusts .*give the CA with --tlsca/);
  });

  it("says the handshake failed, not a timeout, with the wrong CA", async () => {
    const r = await serverInfo(["-s", server.url, "--tlsca", tls.otherCa]);
    expectOneLineFailure(r, /TLS handshake failed: the server's certificate is not signed by the CA in .*other-ca\.pem/);
    expect(r.stderr).not.toMatch(/timed out|timeout/i);
  });

  it("refuses plain text when TLS was asked for (tls:// or --tlsca) and the server has no TLS", async () => {
    const scheme = await serverInfo(["-s", `tls://${port(plain)}`]);
    expectOneLineFailure(scheme, /the server does not offer TLS, but the tls:\/\/ URL asks for it/);
    const ca = await serverInfo(["-s", plain.url, "--tlsca", tls.ca]);
    expectOneLineFailure(ca, /the server does not offer TLS, but --tlsca\/--tlscert\/--tlskey asks for it/);
  });

  it("does mutual TLS with --tlscert/--tlskey", async () => {
    const r = await serverInfo(["-s", mutual.url, "--tlsca", tls.ca, "--tlscert", tls.clientCert, "--tlskey", tls.clientKey]);
    expect(r.code, r.stderr).toBe(0);
    const env = await serverInfo(["-s", mutual.url], isolatedEnv({ NATS_CA: tls.ca, NATS_CERT: tls.clientCert, NATS_KEY: tls.clientKey }));
    expect(env.code, env.stderr).toBe(0);
  });

  it("says the server wants a client certificate, or rejected ours, instead of 'timed out'", async () => {
    const none = await serverInfo(["-s", mutual.url, "--tlsca", tls.ca, "--timeout", "1s"]);
    expectOneLineFailure(none, /TLS handshake failed: the server requires a client certificate .*give --tlscert and --tlskey/);
    const stranger = await serverInfo(["-s", mutual.url, "--tlsca", tls.ca, "--tlscert", tls.otherClientCert, "--tlskey", tls.otherClientKey, "--timeout", "1s"]);
    expectOneLineFailure(stranger, /TLS handshake failed: the server rejected the client certificate .*stranger\.pem/);
  });

  it("names unreadable or mismatched TLS files in one line", async () => {
    const missing = await serverInfo(["-s", server.url, "--tlsca", join(tls.dir, "nope.pem")]);
    expectOneLineFailure(missing, /cannot read TLS CA certificate file .*nope\.pem \(ENOENT, from --tlsca\)/);
    const mismatch = await serverInfo(["-s", mutual.url, "--tlsca", tls.ca, "--tlscert", tls.clientCert, "--tlskey", tls.otherClientKey]);
    expectOneLineFailure(mismatch, /cannot use the TLS files \(key values mismatch\)/);
    const keyAsCa = await serverInfo(["-s", server.url, "--tlsca", tls.otherClientKey]);
    expectOneLineFailure(keyAsCa, /the TLS CA certificate file .* \(from --tlsca\) holds no PEM certificate \(-----BEGIN CERTIFICATE-----\): give the certificate, not a key or another file$/);
    expect(keyAsCa.stderr).not.toMatch(/not signed by/);
    const half = await serverInfo(["-s", mutual.url, "--tlscert", tls.clientCert]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--tlscert and --tlskey go together/);
  });
});

describe("other connect failures", () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentPort = 0;
  beforeAll(async () => {
    // Accepts connections and never says a word: what a wrong port or a stuck proxy looks like.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("times out against a listener that never speaks, says so, and exits", async () => {
    const started = Date.now();
    const r = await runCli(["server", "info", "-s", `nats://127.0.0.1:${silentPort}`, "--timeout", "1s"], { env: isolatedEnv(), timeoutMs: 15_000 });
    expectOneLineFailure(r, /timed out after 1000 ms: 127\.0\.0\.1:\d+ accepts connections but sends no NATS greeting/);
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("says the listener closed the connection before any greeting, not nats.js's 'node provided an undefined error'", async () => {
    const closing = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
    try {
      const port = (closing.address() as { port: number }).port;
      const r = await runCli(["server", "info", "-s", `nats://127.0.0.1:${port}`, "--timeout", "2s"], { env: isolatedEnv(), timeoutMs: 15_000 });
      expectOneLineFailure(r, /: the server closed the connection before its NATS greeting \(is this a NATS client port\? a proxy with nothing behind it\?\)$/);
      expect(r.stderr).not.toMatch(/undefined/);
    } finally {
      await new Promise((resolve) => closing.close(resolve));
    }
  });

  it("exits after a --timeout shorter than the handshake with a real server (the late socket is closed too)", async () => {
    const real = await startNatsServer({ jetstream: false });
    try {
      const started = Date.now();
      const [info, check] = await Promise.all([
        runCli(["server", "info", "-s", real.url, "--timeout", "1ms"], { env: isolatedEnv(), timeoutMs: 15_000 }),
        runCli(["check", "-s", real.url, "--timeout", "1ms"], { env: isolatedEnv(), timeoutMs: 15_000 }),
      ]);
      expect(Date.now() - started).toBeLessThan(10_000);
      expectOneLineFailure(info, /timed out after 1 ms/);
      expect(info.signal).toBeNull();
      expect(check.signal).toBeNull();
      expect(check.code).toBe(3);
    } finally {
      await real.dispose();
    }
  });

  it("treats a bad --timeout (flag or NATS_TIMEOUT) as a usage error, exit 2", async () => {
    const flag = await runCli(["server", "info", "--timeout", "soon"], { env: isolatedEnv() });
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim().split("\n")).toHaveLength(1);
    expect(flag.stderr).toMatch(/invalid --timeout 'soon'/);
    const env = await runCli(["server", "info"], { env: isolatedEnv({ NATS_TIMEOUT: "5 parsecs" }) });
    expect(env.code).toBe(2);
  });

  it("reports an unknown host in one line", async () => {
    const r = await runCli(["server", "info", "-s", "nats://no-such-host.invalid:4222"], { env: isolatedEnv() });
    expectOneLineFailure(r, /host not found/);
  });

  it("reports an unknown context in one line, from --context, NATS_CONTEXT or context.txt", async () => {
    const flag = await runCli(["server", "info", "--context", "nope"], { env: isolatedEnv() });
    expectOneLineFailure(flag, /unknown context 'nope'/);
    const env = await runCli(["server", "info"], { env: isolatedEnv({ NATS_CONTEXT: "gone" }) });
    expectOneLineFailure(env, /unknown context 'gone'/);
    const selectedEnv = isolatedEnv();
    mkdirSync(join(selectedEnv.XDG_CONFIG_HOME!, "nats"), { recursive: true });
    writeFileSync(join(selectedEnv.XDG_CONFIG_HOME!, "nats", "context.txt"), "deleted\n");
    const selected = await runCli(["server", "info"], { env: selectedEnv });
    expectOneLineFailure(selected, /unknown context 'deleted'/);
  });
});
