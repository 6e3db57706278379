// `context ls|info|select` through the real CLI on natscli's files, and the precedence flag > env > context > default
// as a user meets it: which server a command actually reaches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

const PASSWORD = "ctx-pw-8Jq1-secret";
const TOKEN = "ctx-token-Vb5-secret";

function contextDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME!, "nats", "context");
}

function writeContext(env: NodeJS.ProcessEnv, name: string, body: object): void {
  mkdirSync(contextDir(env), { recursive: true });
  writeFileSync(join(contextDir(env), `${name}.json`), JSON.stringify(body, null, 2));
}

function select(env: NodeJS.ProcessEnv, name: string): void {
  writeFileSync(join(env.XDG_CONFIG_HOME!, "nats", "context.txt"), name);
}

function expectNoSecrets(...outputs: string[]): void {
  for (const out of outputs) {
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(TOKEN);
  }
}

describe("context ls", () => {
  it("lists natscli's contexts, marks the selected one, masks URL credentials", async () => {
    const env = isolatedEnv();
    writeContext(env, "pi", { description: "sensor on the Pi", url: `nats://alice:${PASSWORD}@pi.lan:4222` });
    writeContext(env, "lab", { url: "nats://lab:4222" });
    writeFileSync(join(contextDir(env), "broken.json"), "{ not json");
    writeFileSync(join(contextDir(env), "typed.json"), JSON.stringify({ url: 4222, password: PASSWORD }));
    writeFileSync(join(contextDir(env), "leaky.json"), `${PASSWORD}{"password":"${PASSWORD}"}`);
    select(env, "pi");
    const r = await runCli(["context", "ls"], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+URL\s+DESCRIPTION$/);
    // A pipe gets plain columns: no rule row.
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^broken\s+\(broken: not valid JSON\)$/),
      expect.stringMatching(/^lab\s+nats:\/\/lab:4222$/),
      expect.stringMatching(/^leaky\s+\(broken: not valid JSON\)$/),
      expect.stringMatching(/^pi\*\s+nats:\/\/\*\*\*@pi\.lan:4222\s+sensor on the Pi$/),
      expect.stringMatching(/^typed\s+\(broken: url is not a string\)$/),
    ]);
    expectNoSecrets(r.stdout, r.stderr);
    // Used, the broken ones fail in one line: never a default server instead, never the file's text.
    const [leaky, typed, broken] = await Promise.all(["leaky", "typed", "broken"].map((c) => runCli(["--context", c, "server", "info"], { env })));
    expect(leaky!.stderr).toMatch(/^nsm4home: context 'leaky' is not valid JSON( at line 1, column 1)? \(.*leaky\.json\): fix or remove the file\n$/);
    expect(typed!.stderr).toMatch(/^nsm4home: context 'typed' \(.*typed\.json\): url is not a string; fix the file\n$/);
    expect(broken!.stderr).toMatch(/^nsm4home: context 'broken' is not valid JSON at line 1, column 3 \(.*broken\.json\): fix or remove the file\n$/);
    for (const x of [leaky!, typed!, broken!]) {
      expect(x.code).toBe(1);
      expectNoSecrets(x.stdout, x.stderr);
    }

    const json = await runCli(["context", "ls", "--json"], { env });
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as Array<{ name: string; selected: boolean; url?: string; error?: string }>;
    expect(list.map((c) => [c.name, c.selected])).toEqual([
      ["broken", false],
      ["lab", false],
      ["leaky", false],
      ["pi", true],
      ["typed", false],
    ]);
    expect(list[3]!.url).toBe("nats://***@pi.lan:4222");
    expectNoSecrets(json.stdout);
  });

  it("says where contexts would be when there are none", async () => {
    const env = isolatedEnv();
    const r = await runCli(["context", "ls"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`No contexts in ${contextDir(env)}`);
    expect(JSON.parse((await runCli(["context", "ls", "--json"], { env })).stdout)).toEqual([]);
  });
});

describe("context info", () => {
  it("shows the fields with secrets masked and files as paths, never their contents", async () => {
    const env = isolatedEnv();
    const credsFile = join(env.HOME!, "pi.creds");
    writeFileSync(credsFile, "-----BEGIN NATS USER JWT-----\nSECRET-JWT-CONTENT\n");
    writeContext(env, "pi", {
      url: "nats://pi:4222",
      user: "alice",
      password: PASSWORD,
      token: TOKEN,
      creds: credsFile,
      nkey: "~/keys/pi.nk",
      ca: "/etc/ssl/pi-ca.pem",
      jetstream_domain: "hub",
    });
    for (const args of [["context", "info", "pi"], ["context", "info", "pi", "--json"]]) {
      const r = await runCli(args, { env });
      expect(r.code, r.stderr).toBe(0);
      expectNoSecrets(r.stdout, r.stderr);
      expect(r.stdout).not.toContain("SECRET-JWT-CONTENT");
      expect(r.stdout).toContain(credsFile);
      // natscli expands ~ in file settings
      expect(r.stdout).toContain(join(env.HOME!, "keys", "pi.nk"));
    }
    const human = (await runCli(["context", "info", "pi"], { env })).stdout;
    expect(human).toMatch(/^\s+password: \*\*\*\*\*$/m);
    expect(human).toMatch(/^\s+token: \*\*\*\*\*$/m);
    expect(human).toMatch(/^\s+jetstream_domain: hub$/m);
    const json = JSON.parse((await runCli(["context", "info", "pi", "--json"], { env })).stdout);
    expect(json.context).toMatchObject({ name: "pi", user: "alice", password: "*****", token: "*****", creds: credsFile });
  });

  it("tells where each effective setting comes from: flag > env > context > default", async () => {
    const env = isolatedEnv({ NATS_USER: "env-user", NATS_TIMEOUT: "3s" });
    writeContext(env, "pi", { url: "nats://pi:4222", user: "ctx-user", password: PASSWORD });
    select(env, "pi");
    const r = await runCli(["context", "info", "--json", "--server", "nats://flag:4222"], { env });
    expect(r.code, r.stderr).toBe(0);
    const rows = Object.fromEntries(
      (JSON.parse(r.stdout).effective as Array<{ setting: string; value: string; origin: string }>).map((s) => [s.setting, [s.value, s.origin]]),
    );
    expect(rows).toEqual({
      server: ["nats://flag:4222", "--server"],
      user: ["env-user", "NATS_USER"],
      password: ["*****", "context 'pi'"],
      timeout: ["3s", "NATS_TIMEOUT"],
    });
    const none = await runCli(["--no-context", "context", "info"], { env: isolatedEnv() });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/name: none/);
    expect(none.stdout).toMatch(/server: nats:\/\/127\.0\.0\.1:4222\s+\(default\)/);
  });

  it("fails in one line for an unknown context", async () => {
    const r = await runCli(["context", "info", "nope"], { env: isolatedEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^nsm4home: unknown context 'nope': .*nope\.json does not exist \(see 'nsm4home context ls'\)$/m);
  });
});

describe("a context that signs in with fields nsm4home does not read", () => {
  it("says so in one line, the seed never shown, instead of a misleading authorization error; --creds still works", async () => {
    const env = isolatedEnv();
    const seed = "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTBM";
    writeContext(env, "seeded", { url: "nats://127.0.0.1:1", user_seed: seed, user_jwt: "eyJ0eXAiOiJKV1QifQ.e30.sig" });
    select(env, "seeded");
    const r = await runCli(["stream", "ls"], { env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      "nsm4home: context 'seeded' signs in with user_jwt and user_seed, which nsm4home does not read: give the user's creds file with --creds (or set \"creds\" in the context: nats context edit seeded)\n",
    );
    expect(r.stderr + r.stdout).not.toContain(seed);
    // Another way to sign in, given as a flag, is used instead (here it fails later, at the unreachable server).
    const withToken = await runCli(["--token", TOKEN, "--timeout", "1s", "stream", "ls"], { env });
    expect(withToken.stderr).not.toContain("does not read");
    expectNoSecrets(withToken.stderr, withToken.stdout);
  });
});

describe("context select", () => {
  it("writes context.txt as natscli does, and refuses unknown or unsafe names", async () => {
    const env = isolatedEnv();
    writeContext(env, "lab", { url: "nats://lab:4222" });
    const r = await runCli(["context", "select", "lab"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(env.XDG_CONFIG_HOME!, "nats", "context.txt"), "utf8").trim()).toBe("lab");

    const unknown = await runCli(["context", "select", "nope"], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toMatch(/unknown context 'nope'/);
    expect(readFileSync(join(env.XDG_CONFIG_HOME!, "nats", "context.txt"), "utf8").trim()).toBe("lab");

    const unsafe = await runCli(["context", "select", "../etc"], { env });
    expect(unsafe.code).toBe(2);
    const missing = await runCli(["context", "select"], { env });
    expect(missing.code).toBe(2);
  });

  it("does not create context.txt for a failed select", async () => {
    const env = isolatedEnv();
    await runCli(["context", "select", "nope"], { env });
    expect(existsSync(join(env.XDG_CONFIG_HOME!, "nats", "context.txt"))).toBe(false);
  });
});

describe("precedence against a real server", () => {
  let server: NatsServer;
  let refusedUrl: string;
  beforeAll(async () => {
    server = await startNatsServer({ jetstream: false, config: `authorization { users: [ { user: alice, password: "${PASSWORD}" } ] }` });
    const gone = await startNatsServer({ jetstream: false });
    refusedUrl = gone.url;
    await gone.dispose();
  });
  afterAll(() => server?.dispose());

  it("connects with the selected context's URL and credentials", async () => {
    const env = isolatedEnv();
    writeContext(env, "home", { url: server.url, user: "alice", password: PASSWORD });
    select(env, "home");
    const r = await runCli(["server", "info", "--json"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).server.port).toBe(server.port);
    expectNoSecrets(r.stdout, r.stderr);
  });

  it("env beats the context, a flag beats env, --no-context drops the context", async () => {
    const env = isolatedEnv({ NATS_URL: refusedUrl });
    writeContext(env, "home", { url: server.url, user: "alice", password: PASSWORD });
    select(env, "home");
    const viaEnv = await runCli(["server", "info"], { env });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr).toContain(`cannot connect to ${refusedUrl}: connection refused`);

    const viaFlag = await runCli(["server", "info", "-s", server.url], { env });
    expect(viaFlag.code, viaFlag.stderr).toBe(0);

    // the flag placed before the subcommand works the same
    const before = await runCli(["-s", server.url, "server", "info"], { env });
    expect(before.code, before.stderr).toBe(0);

    const wrongEnvPassword = await runCli(["server", "info", "-s", server.url], { env: { ...env, NATS_PASSWORD: `x${PASSWORD}` } });
    expect(wrongEnvPassword.code).toBe(1);
    expect(wrongEnvPassword.stderr).toMatch(/refused user 'alice' \(from context 'home'\) and its password \(from NATS_PASSWORD\)/);
    expectNoSecrets(wrongEnvPassword.stdout, wrongEnvPassword.stderr);

    const noContext = await runCli(["server", "info", "--no-context", "-s", server.url], { env });
    expect(noContext.code).toBe(1);
    expect(noContext.stderr).toMatch(/the server requires authentication/);
  });

  it("NATS_CONTEXT names a context (or a .json path) over the selected one", async () => {
    const env = isolatedEnv();
    writeContext(env, "home", { url: server.url, user: "alice", password: PASSWORD });
    writeContext(env, "dead", { url: refusedUrl });
    select(env, "dead");
    const byName = await runCli(["server", "info"], { env: { ...env, NATS_CONTEXT: "home" } });
    expect(byName.code, byName.stderr).toBe(0);
    const byPath = await runCli(["server", "info"], { env: { ...env, NATS_CONTEXT: join(contextDir(env), "home.json") } });
    expect(byPath.code, byPath.stderr).toBe(0);
    const byFlag = await runCli(["server", "info", "--context", "dead"], { env: { ...env, NATS_CONTEXT: "home" } });
    expect(byFlag.code).toBe(1);
    expect(byFlag.stderr).toContain(refusedUrl);
  });
});
