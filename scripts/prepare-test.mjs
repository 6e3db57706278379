// `npm test` on a fresh machine: dependencies, a build (the CLI tests run bin/nsm4home.js), and the real
// nats-server and redis-server the suite starts. Installs the servers with apt-get when it can (root on Debian).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ensureBuilt, ensureDependencies } from "./ensure-built.mjs";

function findBinary(name, envVar) {
  if (process.env[envVar] && existsSync(process.env[envVar])) return process.env[envVar];
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/usr/local/bin"]) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

const missing = [
  ["nats-server", "NSM4HOME_NATS_SERVER"],
  ["redis-server", "NSM4HOME_REDIS_SERVER"],
].filter(([name, envVar]) => !findBinary(name, envVar)).map(([name]) => name);

if (missing.length > 0) {
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error(`nsm4home tests need ${missing.join(" and ")}: install with 'sudo apt-get install -y ${missing.join(" ")}' (or set NSM4HOME_NATS_SERVER / NSM4HOME_REDIS_SERVER)`);
    process.exit(1);
  }
  console.error(`nsm4home: installing ${missing.join(" ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", process.stderr, process.stderr], env });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: ["ignore", process.stderr, process.stderr], env });
}

ensureDependencies();
ensureBuilt();
