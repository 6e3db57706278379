// `context add|edit|rm|validate`: the files natscli writes, in the same place, read back by natscli v0.5.0 when the
// machine has it (and natscli's own files read by nsm4home); secrets never printed; validate against real servers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

const PASSWORD = "mng-pw-Zx81-secret";
const TOKEN = "mng-token-Qq4-secret";
const NATSCLI = process.env.NSM4HOME_NATSCLI ?? "/root/.cache/nsm4home-tools/natscli-v0.5.0/nats";
const haveNatscli = existsSync(NATSCLI);

const contextFile = (env: NodeJS.ProcessEnv, name: string) => join(env.XDG_CONFIG_HOME!, "nats", "context", `${name}.json`);
const selected = (env: NodeJS.ProcessEnv) => {
  const f = join(env.XDG_CONFIG_HOME!, "nats", "context.txt");
  return existsSync(f) ? readFileSync(f, "utf8").trim() : undefined;
};
const natscli = (env: NodeJS.ProcessEnv, args: string[]) => execFileSync(NATSCLI, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let server: NatsServer;
let plain: NatsServer;

beforeAll(async () => {
  server = await startNatsServer({ config: `authorization { users: [ { user: alice, password: "${PASSWORD}" } ] }` });
  plain = await startNatsServer({ jetstream: false });
});

afterAll(async () => {
  await server?.dispose();
  await plain?.dispose();
});

describe("context add, edit, rm", () => {
  it("writes natscli's file (every field, 0600), selects it, masks secrets, and refuses to overwrite", async () => {
    const env = isolatedEnv();
    writeFileSync(join(env.HOME!, "pi.creds"), "not read here");
    const r = await runCli(
      ["context", "add", "pi", "-s", `nats://bob:${PASSWORD}@pi.lan:4222`, "--user", "alice", "--password", PASSWORD, "--token", TOKEN,
        "--creds", "pi.creds", "--js-domain", "hub", "--inbox-prefix", "_I.pi", "--description", "sensor on the Pi", "--select"],
      { env, cwd: env.HOME },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created and selected context 'pi'\n/);
    expect(r.stdout).toMatch(/password: \*{5}/);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(TOKEN);
    }
    const file = contextFile(env, "pi");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const body = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(Object.keys(body).slice(0, 6)).toEqual(["description", "url", "socks_proxy", "token", "user", "password"]);
    expect(body).toMatchObject({
      description: "sensor on the Pi", url: `nats://bob:${PASSWORD}@pi.lan:4222`, user: "alice", password: PASSWORD, token: TOKEN,
      creds: join(env.HOME!, "pi.creds"), jetstream_domain: "hub", inbox_prefix: "_I.pi", tls_first: false, nkey: "", windows_ca_certs_match: null,
    });
    expect(selected(env)).toBe("pi");

    const again = await runCli(["context", "add", "pi", "-s", "nats://other:4222"], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`nsm4home: context 'pi' already exists (${file}): change it with 'nsm4home context edit pi ...'\n`);

    // edit changes what is given, clears what is given empty, keeps the rest (a field natscli added later too).
    writeFileSync(file, JSON.stringify({ ...body, future_field: "kept" }, null, 2));
    const edited = await runCli(["context", "edit", "pi", "--token", "", "--js-domain", "spoke"], { env });
    expect(edited.code, edited.stderr).toBe(0);
    const after = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(after).toMatchObject({ token: "", jetstream_domain: "spoke", password: PASSWORD, future_field: "kept", inbox_prefix: "_I.pi" });
    const nothing = await runCli(["context", "edit", "pi"], { env });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);

    const refused = await runCli(["context", "rm", "pi"], { env });
    expect(refused.code).toBe(2);
    expect(existsSync(file)).toBe(true);
    const removed = await runCli(["context", "rm", "pi", "-f"], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe("removed context 'pi' (it was selected: no context is selected now)\n");
    expect(existsSync(file)).toBe(false);
    expect(selected(env)).toBeUndefined();
    const unknown = await runCli(["context", "rm", "pi", "-f"], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown context 'pi'/);
    const badName = await runCli(["context", "add", "../x", "-s", "nats://a:4222"], { env });
    expect(badName.code).toBe(2);
  });

  it.skipIf(!haveNatscli)("natscli v0.5.0 reads what nsm4home wrote, and nsm4home reads and edits what natscli wrote", async () => {
    const env = isolatedEnv();
    expect((await runCli(["context", "add", "mine", "-s", server.url, "--user", "alice", "--password", PASSWORD, "--js-domain", "dom", "--description", "made by nsm4home"], { env })).code).toBe(0);
    const info = natscli(env, ["context", "info", "mine"]);
    expect(info).toMatch(/Description: made by nsm4home/);
    expect(info).toContain(`Server URLs: ${server.url}`);
    expect(info).toMatch(/Username: alice/);
    expect(info).toMatch(/JS Domain: dom/);

    natscli(env, ["context", "add", "theirs", "--server", server.url, "--user", "alice", "--password", PASSWORD, "--description", "made by natscli"]);
    const ls = await runCli(["context", "ls"], { env });
    expect(ls.stdout).toMatch(/^theirs\s+\S+\s+made by natscli$/m);
    expect((await runCli(["context", "edit", "theirs", "--description", "edited by nsm4home", "--select"], { env })).code).toBe(0);
    expect(natscli(env, ["context", "info", "theirs"])).toMatch(/Description: edited by nsm4home/);
    expect(natscli(env, ["context", "ls"])).toMatch(/theirs\*/);
    // natscli connects with the context nsm4home edited.
    expect(natscli(env, ["--context", "theirs", "account", "info"])).toMatch(/JetStream Account Information|Account Information/);
  });
});

describe("context add: names natscli could not list", () => {
  it("refuses a name with control characters or too long for a file name, in one line, writing nothing", async () => {
    const env = isolatedEnv();
    for (const name of ["nl\nx", "esc\u001b]0;t\u0007", "bidi\u202eevil", "l".repeat(300)]) {
      const r = await runCli(["context", "add", name, "-s", plain.url], { env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^nsm4home: invalid context name '.*': (no control characters|at most 200 bytes)/);
      expect(r.stderr).not.toMatch(/ENAMETOOLONG|NSM4HOME_DEBUG/);
    }
    expect(existsSync(join(env.XDG_CONFIG_HOME!, "nats", "context"))).toBe(false);
    const fine = await runCli(["context", "add", "ünï b;c", "-s", plain.url], { env });
    expect(fine.code, fine.stderr).toBe(0);
  });
});

describe("context validate", () => {
  it("says what works: the connection and JetStream, a domain nobody answers, wrong credentials, a missing file", async () => {
    const env = isolatedEnv({ NATS_URL: "nats://127.0.0.1:1" });
    const add = (name: string, ...args: string[]) => runCli(["context", "add", name, ...args], { env });
    expect((await add("good", "-s", server.url, "--user", "alice", "--password", PASSWORD, "--select")).code).toBe(0);
    // NATS_URL is ignored: the question is whether the context works.
    const good = await runCli(["context", "validate"], { env });
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^context 'good' works\n/);
    expect(good.stdout).toMatch(/ok\s+connect\s+.*version \d+\.\d+/);
    expect(good.stdout).toMatch(/ok\s+JetStream\s+\d+ streams, \d+ consumers/);
    expect(good.stdout + good.stderr).not.toContain(PASSWORD);
    // --no-context: nothing to validate, not the selected context validated anyway.
    for (const args of [["--no-context", "context", "validate"], ["--no-context", "context", "validate", "good"]]) {
      const none = await runCli(args, { env });
      expect(none.code, none.stdout + none.stderr).toBe(2);
      expect(none.stdout).toBe("");
      expect(none.stderr.trim().split("\n")).toHaveLength(1);
      expect(none.stderr).toMatch(/^nsm4home: --no-context: there is no context to validate/);
    }

    expect((await add("domain", "-s", server.url, "--user", "alice", "--password", PASSWORD, "--js-domain", "nowhere")).code).toBe(0);
    const domain = await runCli(["context", "validate", "domain"], { env });
    expect(domain.code).toBe(1);
    expect(domain.stdout).toMatch(/FAILED\s+JetStream \(domain nowhere\)\s+JetStream: nothing answers for domain 'nowhere'/);
    expect(domain.stdout).toMatch(/ok\s+connect/);

    expect((await add("nojs", "-s", plain.url)).code).toBe(0);
    const nojs = await runCli(["context", "validate", "nojs", "--json"], { env });
    expect(nojs.code).toBe(1);
    const parsed = JSON.parse(nojs.stdout) as { ok: boolean; checks: Array<{ check: string; ok: boolean; detail: string }> };
    expect(parsed.ok).toBe(false);
    expect(parsed.checks.map((c) => [c.check, c.ok])).toEqual([["file", true], ["connect", true], ["JetStream", false]]);
    expect(parsed.checks[2]!.detail).toMatch(/JetStream is not enabled/);

    expect((await add("badpw", "-s", server.url, "--user", "alice", "--password", "wrong")).code).toBe(0);
    const badpw = await runCli(["context", "validate", "badpw"], { env });
    expect(badpw.code).toBe(1);
    expect(badpw.stdout).toMatch(/FAILED\s+connect\s+.*authorization/i);

    expect((await add("nocreds", "-s", server.url, "--creds", "/nonexistent/x.creds")).code).toBe(0);
    const nocreds = await runCli(["context", "validate", "nocreds"], { env });
    expect(nocreds.code).toBe(1);
    expect(nocreds.stdout).toMatch(/FAILED\s+creds\s+\/nonexistent\/x\.creds does not exist/);
  });
});
