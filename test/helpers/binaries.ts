// Finds the real server binaries the suite starts; a missing one is one clear line, not a stack of failures.
import { existsSync } from "node:fs";

function findBinary(name: string, envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  throw new Error(`${name} not found: install it with 'apt-get install -y ${name}' or set ${envVar}=/path/to/${name}`);
}

export const natsServerBinary = (): string => findBinary("nats-server", "NSM4HOME_NATS_SERVER");
export const redisServerBinary = (): string => findBinary("redis-server", "NSM4HOME_REDIS_SERVER");
