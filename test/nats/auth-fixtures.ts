// Credentials made at test time: nkeys, operator/account/user JWTs for a creds file, and a CA with server and
// client certificates from openssl. Nothing secret is checked in; every run makes its own.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount, createOperator, createUser, type KeyPair } from "@nats-io/nkeys";
import { trackDir } from "../helpers/processes.js";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  trackDir(dir);
  return dir;
}

/** A user nkey pair: the public key for the server config, the seed for the client's --nkey file. */
export function userNkey(): { publicKey: string; seed: string } {
  const kp = createUser();
  return { publicKey: kp.getPublicKey(), seed: text(kp.getSeed()) };
}

/** A NATS v2 JWT signed by `issuer` (header, claims, ed25519 signature; jti = hash of the claims). */
function encodeJwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" })).toString("base64url");
  const claims: Record<string, unknown> = { iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), name, sub: subject, nats };
  claims.jti = createHash("sha256").update(JSON.stringify(claims)).digest("base64url").toUpperCase();
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = Buffer.from(issuer.sign(new TextEncoder().encode(`${header}.${body}`))).toString("base64url");
  return `${header}.${body}.${signature}`;
}

const UNLIMITED = { subs: -1, data: -1, payload: -1 };

function userCreds(account: KeyPair, name: string): string {
  const user = createUser();
  const jwt = encodeJwt(account, user.getPublicKey(), name, { type: "user", version: 2, pub: {}, sub: {}, ...UNLIMITED });
  return [
    "-----BEGIN NATS USER JWT-----",
    jwt,
    "------END NATS USER JWT------",
    "",
    "************************* IMPORTANT *************************",
    "NKEY Seed printed below can be used to sign and prove identity.",
    "",
    "-----BEGIN USER NKEY SEED-----",
    text(user.getSeed()),
    "------END USER NKEY SEED------",
    "",
  ].join("\n");
}

/**
 * Decentralised auth as nsc sets it up: an operator, one account preloaded into a MEMORY resolver, a user of that
 * account (good creds) and a user of an account the server does not know (refused creds).
 */
export function operatorSetup(): { serverConfig: string; creds: string; foreignCreds: string } {
  const operator = createOperator();
  const account = createAccount();
  // JetStream in operator mode wants a system account (2.15 refuses to start without one).
  const system = createAccount();
  const operatorJwt = encodeJwt(operator, operator.getPublicKey(), "test-operator", { type: "operator", version: 2, system_account: system.getPublicKey() });
  const systemJwt = encodeJwt(operator, system.getPublicKey(), "SYS", { type: "account", version: 2, limits: { ...UNLIMITED, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 } });
  const accountJwt = encodeJwt(operator, account.getPublicKey(), "test-account", {
    type: "account",
    version: 2,
    // JetStream on for the account (storage, streams and consumers without limits), as `nsc edit account --js-*`.
    limits: { ...UNLIMITED, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
  });
  return {
    serverConfig: [
      `operator: ${operatorJwt}`,
      `system_account: ${system.getPublicKey()}`,
      "resolver: MEMORY",
      `resolver_preload: { ${account.getPublicKey()}: ${accountJwt}, ${system.getPublicKey()}: ${systemJwt} }`,
    ].join("\n"),
    creds: userCreds(account, "alice"),
    foreignCreds: userCreds(createAccount(), "mallory"),
  };
}

export interface TlsFiles {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing the server uses, and a client certificate from it. */
  otherCa: string;
  otherClientCert: string;
  otherClientKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=${name}`]);
}

function makeCert(dir: string, name: string, ca: string, extensions: string): void {
  openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`]);
}

/** A CA, a server certificate for 127.0.0.1/localhost, client certificates from it and from a stranger CA. */
export function makeTlsFiles(): TlsFiles {
  const dir = tempDir("nsm4home-tls-");
  makeCa(dir, "ca");
  makeCa(dir, "other-ca");
  makeCert(dir, "server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  makeCert(dir, "client", "ca", "extendedKeyUsage=clientAuth\n");
  makeCert(dir, "stranger", "other-ca", "extendedKeyUsage=clientAuth\n");
  const f = (name: string) => join(dir, name);
  return {
    dir,
    ca: f("ca.pem"),
    serverCert: f("server.pem"),
    serverKey: f("server.key"),
    clientCert: f("client.pem"),
    clientKey: f("client.key"),
    otherCa: f("other-ca.pem"),
    otherClientCert: f("stranger.pem"),
    otherClientKey: f("stranger.key"),
  };
}
