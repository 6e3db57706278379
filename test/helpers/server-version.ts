// The version of the nats-server binary this run's tests start, for gating: a test of a feature the server lacks
// asserts the refusal line instead (`serverAtLeast("2.10") ? <the feature> : <the one-line refusal>`), and
// `it.skipIf(!serverAtLeast("2.11"))` is kept for tests that have nothing to assert on an older server.
import { execFileSync } from "node:child_process";
import { versionAtLeast } from "../../src/nats/jetstream.js";
import { natsServerBinary } from "./binaries.js";

let cached: string | undefined;

/** "2.9.10": set by vitest.config.ts per server project, else asked of the binary (`nats-server --version`). */
export function natsServerVersion(): string {
  if (cached) return cached;
  const fromEnv = process.env.NSM4HOME_NATS_SERVER_VERSION;
  if (fromEnv) return (cached = fromEnv);
  const out = execFileSync(natsServerBinary(), ["--version"], { encoding: "utf8" });
  const m = /v?(\d+\.\d+\.\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the version of ${natsServerBinary()}: ${out.trim()}`);
  return (cached = m[1]!);
}

/** serverAtLeast("2.11") is true on 2.11.0 and on 2.12.15. */
export function serverAtLeast(minimum: string): boolean {
  return versionAtLeast(natsServerVersion(), minimum.split(".").length === 2 ? `${minimum}.0` : minimum);
}
