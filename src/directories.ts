// Making a directory and its parents, without Node's recursive mkdir.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/**
 * `mkdir -p`: returns the first directory it made (undefined when the whole path existed), as mkdirSync's recursive
 * mode does. Node 20's recursive mode loops for ever, at full CPU and deaf to SIGTERM, where mkdir answers ENOENT
 * below a parent that exists (/proc/x): here each missing level is made on its own, and any refusal is thrown.
 */
export function makeDirectories(dir: string, mode?: number): string | undefined {
  const missing: string[] = [];
  for (let at = resolve(dir); ; ) {
    try {
      if (statSync(at).isDirectory()) break;
      throw Object.assign(new Error(`not a directory: ${at}`), { code: "ENOTDIR" });
    } catch (err) {
      if (errnoOf(err) !== "ENOENT") throw err;
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level, mode === undefined ? undefined : { mode });
    } catch (err) {
      // Made by someone else meanwhile: fine, as long as it is a directory (the next level's mkdir says if not).
      if (errnoOf(err) !== "EEXIST") throw err;
    }
  }
  return missing[0];
}
