// The nats-server versions and the natscli the test suite runs against. They are Go modules, built by name with
// `go install` into a cache outside the repository (NSM4HOME_TOOLS_CACHE, default ~/.cache/nsm4home-tools):
//   <cache>/nats-server-v2.15.3/nats-server, <cache>/natscli-v0.5.0/nats
// `node scripts/test-servers.mjs` builds what the cache lacks (reusing what is there) and fails when Go is present
// and a build fails; vitest.config.ts reads what is present to decide which server runs which tests.
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Newest patch release of each line users run (checked against the Go module proxy). "newest" runs every
 *  server-talking test; "middle" runs the version-dependent files (*.versions.test.ts). */
export const MATRIX_SERVERS = [
  { version: "2.10.27", role: "middle" },
  { version: "2.12.15", role: "middle" },
  { version: "2.15.3", role: "newest" },
];
/** natscli, the peer the tests compare with (v0.5.1 is not to be used). */
export const NATSCLI_VERSION = "0.5.0";

export const toolsCache = () => process.env.NSM4HOME_TOOLS_CACHE || join(homedir(), ".cache", "nsm4home-tools");
export const matrixServerPath = (version) => join(toolsCache(), `nats-server-v${version}`, "nats-server");
export const natscliCachePath = () => join(toolsCache(), `natscli-v${NATSCLI_VERSION}`, "nats");

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** NSM4HOME_NATSCLI, else the cached v0.5.0 build; undefined when neither exists. */
export function natscliBinary() {
  const fromEnv = process.env.NSM4HOME_NATSCLI;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  const cached = natscliCachePath();
  return isExecutable(cached) ? cached : undefined;
}

/** "nats-server: v2.9.10" → "2.9.10"; undefined when the binary does not run. */
export function natsServerVersionOf(binary) {
  try {
    const out = execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
    return /v?(\d+\.\d+\.\d+\S*)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

/** The server the README's `npm test` finds: NSM4HOME_NATS_SERVER, else nats-server on PATH or in sbin dirs. */
export function defaultNatsServer() {
  const fromEnv = process.env.NSM4HOME_NATS_SERVER;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]) {
    if (dir && isExecutable(join(dir, "nats-server"))) return join(dir, "nats-server");
  }
  return undefined;
}

function hasGo() {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** `go install module@version` into dir, through a temporary GOBIN so a half-built binary is never seen. */
function goInstall(modulePath, version, dir, binaryName, log) {
  const target = join(dir, binaryName);
  if (isExecutable(target)) return target;
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`building ${modulePath}@v${version} into ${dir}`);
  // CGO off: a fresh machine may have Go but no C compiler, and neither tool needs cgo.
  execFileSync("go", ["install", `${modulePath}@v${version}`], {
    stdio: ["ignore", process.stderr, process.stderr],
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: "0", GOFLAGS: `${process.env.GOFLAGS ?? ""} -buildvcs=false`.trim() },
  });
  mkdirSync(dir, { recursive: true });
  renameSync(join(staging, binaryName), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}

/** Builds every matrix server and natscli the cache lacks. Throws when Go is present and a build fails. */
export function buildMatrix(log = (line) => process.stderr.write(`${line}\n`)) {
  const missing = [
    ...MATRIX_SERVERS.filter((s) => !isExecutable(matrixServerPath(s.version))).map((s) => `nats-server ${s.version}`),
    ...(isExecutable(natscliCachePath()) ? [] : [`natscli ${NATSCLI_VERSION}`]),
  ];
  if (missing.length === 0) {
    log(`test servers: all present in ${toolsCache()}`);
    return { built: true };
  }
  if (!hasGo()) {
    log(`test servers: Go is not installed, so ${missing.join(", ")} cannot be built; npm test will name what it did not test`);
    return { built: false };
  }
  for (const { version } of MATRIX_SERVERS) {
    const path = goInstall("github.com/nats-io/nats-server/v2", version, join(toolsCache(), `nats-server-v${version}`), "nats-server", log);
    const reported = natsServerVersionOf(path);
    if (reported !== version) throw new Error(`${path} reports version ${reported ?? "(none)"}, expected ${version}`);
  }
  goInstall("github.com/nats-io/natscli/nats", NATSCLI_VERSION, join(toolsCache(), `natscli-v${NATSCLI_VERSION}`), "nats", log);
  return { built: true };
}

/**
 * Which server runs which tests. The default server (Debian's 2.9.10, or NSM4HOME_NATS_SERVER) runs everything;
 * the cached newest runs every server-talking file; the middle versions run the *.versions.test.ts files.
 * Setting NSM4HOME_NATS_SERVER, or NSM4HOME_TEST_MATRIX=off, runs the suite on that one server only.
 */
export function testServerPlan() {
  const primaryPath = defaultNatsServer();
  const primary = primaryPath ? { path: primaryPath, version: natsServerVersionOf(primaryPath) ?? "unknown" } : undefined;
  const single = Boolean(process.env.NSM4HOME_NATS_SERVER) || process.env.NSM4HOME_TEST_MATRIX === "off";
  const extra = [];
  const untested = [];
  for (const { version, role } of MATRIX_SERVERS) {
    if (primary?.version === version) continue;
    const path = matrixServerPath(version);
    if (!single && isExecutable(path)) extra.push({ path, version, role });
    else untested.push(`nats-server ${version}`);
  }
  if (!natscliBinary()) untested.push(`natscli ${NATSCLI_VERSION} (peer tests)`);
  return { primary, extra, untested, single };
}

// Compared as paths: a file: URL escapes what a path holds as it is (a space in the clone's path, say).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    buildMatrix();
  } catch (err) {
    process.stderr.write(`test servers: build failed: ${err.message}\n`);
    process.exit(1);
  }
}
