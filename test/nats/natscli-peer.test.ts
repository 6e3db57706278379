// natscli v0.5.0 as the peer users keep beside nsm4home, against the same throwaway servers and the same HOME:
// contexts natscli saved are used unchanged (URL, user/password, token, nkey, creds, TLS, JetStream domain, inbox
// prefix), `context select` by either is seen by the other, and streams and consumers made by one show the same
// configuration in the other's info; an edit by either keeps what the other set.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { disposeAll, startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { describeWithNatscli, natsOk } from "../helpers/natscli.js";
import { makeTlsFiles, operatorSetup, tempDir, userNkey, type TlsFiles } from "./auth-fixtures.js";

/**
 * natscli's --json writes every field of its Go struct, zero values included (allow_msg_ttl: false, compression:
 * "none", pause_until: year 1); nsm4home prints the server's object, which leaves them out. Same config, compared
 * without the zero values.
 */
function settings(config: Record<string, unknown>): Record<string, unknown> {
  const zero = (v: unknown) =>
    v === false || v === 0 || v === "" || v === "none" || v === "0001-01-01T00:00:00Z" || v === null ||
    (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
  return Object.fromEntries(Object.entries(config).filter(([, v]) => !zero(v)));
}

const PASSWORD = "peer-pw-7Qx2-secret";
const TOKEN = "peer-token-9Lm4-secret";

describeWithNatscli("contexts saved by natscli", () => {
  let users: NatsServer;
  let token: NatsServer;
  let tls: NatsServer;
  let creds: NatsServer;
  let tlsFiles: TlsFiles;
  let files: string;
  let credsFile: string;
  let nkeyFile: string;
  const env = isolatedEnv();
  const nsm = (args: string[]) => runCli(args, { env });

  beforeAll(async () => {
    files = tempDir("nsm4home-peer-");
    const nkey = userNkey();
    nkeyFile = join(files, "user.nk");
    writeFileSync(nkeyFile, nkey.seed + "\n", { mode: 0o600 });
    const op = operatorSetup();
    credsFile = join(files, "alice.creds");
    writeFileSync(credsFile, op.creds, { mode: 0o600 });
    tlsFiles = makeTlsFiles();
    // alice may only receive on her own inbox prefix: a client that ignored the context's inbox prefix gets nothing.
    const store = tempDir("nsm4home-peer-js-");
    [users, token, tls, creds] = await Promise.all([
      startNatsServer({
        jetstream: false,
        config: [
          `jetstream { store_dir: "${join(store, "users")}", domain: hub }`,
          "authorization { users: [",
          `  { user: alice, password: "${PASSWORD}", permissions: { publish: ">", subscribe: "_I_alice.>" } },`,
          `  { nkey: ${nkey.publicKey} }`,
          "] }",
        ].join("\n"),
      }),
      startNatsServer({ config: `authorization { token: "${TOKEN}" }` }),
      startNatsServer({
        scheme: "tls",
        config: `tls { cert_file: "${tlsFiles.serverCert}", key_file: "${tlsFiles.serverKey}", ca_file: "${tlsFiles.ca}", verify: true }`,
      }),
      startNatsServer({ jetstream: false, config: op.serverConfig }),
    ]);
    const save = (name: string, args: string[]) => natsOk(["context", "save", name, ...args], env);
    await save("pw", ["--server", users.url, "--user", "alice", "--password", PASSWORD, "--js-domain", "hub", "--inbox-prefix", "_I_alice"]);
    await save("nk", ["--server", users.url, "--nkey", nkeyFile, "--js-domain", "hub"]);
    // natscli v0.5.0's `context save --token` stores an empty token; `--user` without a password is its token.
    await save("tok", ["--server", token.url, "--user", TOKEN]);
    await save("tls", ["--server", tls.url, "--tlscert", tlsFiles.clientCert, "--tlskey", tlsFiles.clientKey, "--tlsca", tlsFiles.ca]);
    await save("creds", ["--server", creds.url, "--creds", credsFile]);
  }, 90_000);
  afterAll(() => disposeAll([users, token, tls, creds]));

  it("user/password with a JetStream domain and an inbox prefix: nsm4home adds and natscli sees the stream", async () => {
    const add = await nsm(["--context", "pw", "stream", "add", "peerdom", "--subjects", "peerdom.>", "--defaults"]);
    expect(add.code, add.stderr).toBe(0);
    const seen = JSON.parse(await natsOk(["--context", "pw", "stream", "info", "peerdom", "--json"], env));
    expect(seen.config.name).toBe("peerdom");
    const ls = await nsm(["--context", "pw", "stream", "ls", "--json"]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout).map((s: { config: { name: string } }) => s.config.name)).toContain("peerdom");
    for (const out of [add.stdout, add.stderr, ls.stdout, ls.stderr]) expect(out).not.toContain(PASSWORD);
  });

  it("nkey, token, TLS client certificate and creds contexts connect unchanged", async () => {
    for (const ctx of ["nk", "tok", "tls"]) {
      const r = await nsm(["--context", ctx, "stream", "ls"]);
      expect(r.code, `${ctx}: ${r.stderr}`).toBe(0);
    }
    // The operator-mode account has no JetStream: server info says so, having connected with the creds.
    const info = await nsm(["--context", "creds", "server", "info", "--json"]);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).server.port).toBe(creds.port);
    const tokOut = await nsm(["--context", "tok", "context", "info", "tok"]);
    expect(tokOut.stdout + tokOut.stderr).not.toContain(TOKEN);
  });

  it("context select by either is seen by the other", async () => {
    await natsOk(["context", "select", "tok"], env);
    const ls = await nsm(["context", "ls"]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^\s*\*?\s*tok\b.*$/m);
    expect(ls.stdout.split("\n").find((l) => /\btok\b/.test(l))).toContain("*");
    // Without --context, nsm4home connects through natscli's selection (the token server).
    const viaSelected = await nsm(["server", "info", "--json"]);
    expect(viaSelected.code, viaSelected.stderr).toBe(0);
    expect(JSON.parse(viaSelected.stdout).server.port).toBe(token.port);

    const sel = await nsm(["context", "select", "tls"]);
    expect(sel.code, sel.stderr).toBe(0);
    expect(JSON.parse(await natsOk(["context", "info", "--json"], env)).name).toBe("tls");
  });
});

describeWithNatscli("streams and consumers made by one, seen by the other", () => {
  let server: NatsServer;
  const env = isolatedEnv();
  const nsm = (args: string[]) => runCli(["-s", server.url, "--no-context", ...args], { env });
  const nats = (args: string[]) => natsOk(["-s", server.url, "--no-context", ...args], env);
  const nsmJson = async (args: string[]) => {
    const r = await nsm(args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(() => server?.dispose());

  it("a stream natscli made: the same config in nsm4home's --json, the same facts in its info", async () => {
    await nats(["stream", "add", "bycli", "--subjects", "bycli.>", "--storage", "file", "--retention", "limits", "--discard", "old",
      "--max-age", "7d", "--max-bytes", "1GiB", "--max-msgs", "100000", "--max-msgs-per-subject", "500", "--max-msg-size", "64KiB",
      "--dupe-window", "5m", "--replicas", "1", "--description", "made by natscli", "--deny-delete", "--allow-direct", "--defaults"]);
    const theirs = JSON.parse(await nats(["stream", "info", "bycli", "--json"]));
    const ours = await nsmJson(["stream", "info", "bycli", "--json"]);
    expect(settings(ours.config)).toEqual(settings(theirs.config));
    const human = await nsm(["stream", "info", "bycli"]);
    for (const line of [/^\s+Description: made by natscli$/m, /^\s+Maximum Age: 7d$/m, /^\s+Maximum Bytes: 1 GiB$/m,
      /^\s+Maximum Messages: 100,000$/m, /^\s+Maximum Per Subject: 500$/m, /^\s+Maximum Message Size: 64 KiB$/m,
      /^\s+Duplicate Window: 5m$/m, /^\s+Direct Get: yes$/m, /^\s+Allows Msg Delete: no$/m]) {
      expect(human.stdout).toMatch(line);
    }
    // An edit by nsm4home keeps what natscli set.
    const edit = await nsm(["stream", "edit", "bycli", "--max-age", "30d", "-f"]);
    expect(edit.code, edit.stderr).toBe(0);
    const after = JSON.parse(await nats(["stream", "info", "bycli", "--json"]));
    expect(settings(after.config)).toEqual(settings({ ...theirs.config, max_age: 30 * 86_400 * 1e9 }));
  });

  it("a stream nsm4home made: natscli's info shows what nsm4home promised, and natscli's edit keeps the rest", async () => {
    const created = await nsmJson(["stream", "add", "bynsm", "--subjects", "bynsm.>", "--max-age", "90d", "--max-bytes", "10GiB",
      "--dupe-window", "2m", "--description", "made by nsm4home", "--deny-purge", "--defaults", "--json"]);
    const theirs = JSON.parse(await nats(["stream", "info", "bynsm", "--json"]));
    expect(settings(theirs.config)).toEqual(settings(created.config));
    const human = await nats(["stream", "info", "bynsm"]);
    expect(human).toMatch(/Description: made by nsm4home/);
    expect(human).toMatch(/Maximum Age: 90d0h0m0s|Maximum Age: 90d/);
    expect(human).toMatch(/Allows Purge: false/);
    await nats(["stream", "edit", "bynsm", "--max-msgs", "5000", "-f"]);
    const after = await nsmJson(["stream", "info", "bynsm", "--json"]);
    expect(settings(after.config)).toEqual(settings({ ...created.config, max_msgs: 5000 }));
  });

  it("consumers: made by natscli, the same config in nsm4home; made by nsm4home, the same in natscli", async () => {
    await nats(["stream", "add", "cons", "--subjects", "cons.>", "--defaults"]);
    await nats(["consumer", "add", "cons", "cli", "--filter", "cons.dns", "--ack", "explicit", "--deliver", "all", "--replay", "instant",
      "--max-deliver", "5", "--max-pending", "200", "--wait", "45s", "--pull", "--max-waiting", "64", "--description", "by natscli", "--defaults"]);
    const theirs = JSON.parse(await nats(["consumer", "info", "cons", "cli", "--json"]));
    const ours = await nsmJson(["consumer", "info", "cons", "cli", "--json"]);
    expect(settings(ours.config)).toEqual(settings(theirs.config));
    const human = await nsm(["consumer", "info", "cons", "cli"]);
    for (const line of [/^\s+Filter Subject: cons\.dns$/m, /^\s+Maximum Deliveries: 5$/m, /^\s+Max Ack Pending: 200$/m,
      /^\s+Ack Wait: 45s$/m, /^\s+Max Waiting Pulls: 64$/m, /^\s+Description: by natscli$/m]) {
      expect(human.stdout).toMatch(line);
    }

    const made = await nsmJson(["consumer", "add", "cons", "mine", "--subject", "cons.tls", "--max-deliver", "3", "--wait", "1m",
      "--description", "by nsm4home", "--defaults", "--json"]);
    const seen = JSON.parse(await nats(["consumer", "info", "cons", "mine", "--json"]));
    expect(settings(seen.config)).toEqual(settings(made.config));
    const edit = await nsm(["consumer", "edit", "cons", "cli", "--max-deliver", "9", "-f"]);
    expect(edit.code, edit.stderr).toBe(0);
    expect(settings(JSON.parse(await nats(["consumer", "info", "cons", "cli", "--json"])).config)).toEqual(settings({ ...theirs.config, max_deliver: 9 }));
  });

  it("--backoff linear: nsm4home makes the waits and max deliveries natscli's flags make", async () => {
    await nats(["stream", "add", "retry", "--subjects", "retry.>", "--defaults"]);
    const flags = ["--backoff", "linear", "--backoff-steps", "4", "--backoff-min", "10s", "--backoff-max", "1m"];
    await nats(["consumer", "add", "retry", "bycli", "--pull", "--ack", "explicit", "--deliver", "all", ...flags, "--defaults"]);
    const theirs = JSON.parse(await nats(["consumer", "info", "retry", "bycli", "--json"])).config;
    const ours = (await nsmJson(["consumer", "add", "retry", "bynsm", ...flags, "--defaults", "--json"])).config;
    expect(ours.backoff).toEqual(theirs.backoff);
    expect(ours.max_deliver).toBe(theirs.max_deliver);
    const human = await nsm(["consumer", "info", "retry", "bycli"]);
    expect(human.stdout).toMatch(/^\s+Backoff: 10s, 22\.5s, 35s, 47\.5s$/m);
  });

  it("natscli's --json as --config: a new stream and consumer from it, then each add again says unchanged", async () => {
    // natscli writes consumer_limits: {} and pause_until: year 1 for settings never made; on 2.9 they are not features.
    const dir = tempDir("nsm4home-peer-config-");
    await nats(["stream", "add", "round", "--subjects", "round.>", "--defaults"]);
    await nats(["consumer", "add", "round", "pulls", "--pull", "--defaults"]);
    const streamJson = JSON.parse(await nats(["stream", "info", "round", "--json"]));
    const consumerJson = JSON.parse(await nats(["consumer", "info", "round", "pulls", "--json"]));
    const streamFile = join(dir, "round.json");
    const consumerFile = join(dir, "pulls.json");
    writeFileSync(streamFile, JSON.stringify(streamJson));
    writeFileSync(consumerFile, JSON.stringify(consumerJson));
    for (const [words, same] of [
      [["stream", "add", "round"], /Stream round already exists with the same configuration/],
      [["consumer", "add", "round"], /Consumer round > pulls already exists with the same configuration/],
    ] as const) {
      const r = await nsm([...words, "--config", words[0] === "stream" ? streamFile : consumerFile, "--defaults"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(same);
    }
    const edit = await nsm(["consumer", "edit", "round", "pulls", "--config", consumerFile, "-f"]);
    expect(edit.code, edit.stderr).toBe(0);

    // The same files for a stream and a consumer that do not exist yet: created, then unchanged on a second add.
    const copyFile = join(dir, "copy.json");
    writeFileSync(copyFile, JSON.stringify({ config: { ...streamJson.config, name: "copy", subjects: ["copy.>"] } }));
    const newConsumerFile = join(dir, "fresh.json");
    writeFileSync(newConsumerFile, JSON.stringify({ ...consumerJson, name: "fresh", config: { ...consumerJson.config, name: "fresh", durable_name: "fresh" } }));
    for (const args of [["stream", "add", "copy", "--config", copyFile], ["consumer", "add", "round", "--config", newConsumerFile]]) {
      const first = await nsm([...args, "--defaults"]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/was created/);
      const again = await nsm([...args, "--defaults"]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/already exists with the same configuration/);
    }
  });
});
