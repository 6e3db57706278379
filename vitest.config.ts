import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import type { Reporter } from "vitest/reporters";
import { testServerPlan, type PlannedServer } from "./scripts/test-servers.mjs";

const plan = testServerPlan();

const TEST_FILE = /\.test\.tsx?$/;
/** A file talks to a server when it starts one through the helpers (or through `demo`, which starts its own). */
const TALKS_TO_SERVER = /helpers\/(nats-server|natscli)|stream-helpers|local-server|\bdemo\b/;
/** Version-dependent files (guards, multi-filter consumers, config round trips, info rendering) run on every
 *  server of the matrix; name them *.versions.test.ts. */
const VERSION_DEPENDENT = /\.versions\.test\.tsx?$/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return TEST_FILE.test(entry.name) ? [relative(import.meta.dirname, path)] : [];
  });
}

const allTests = testFiles(join(import.meta.dirname, "test"));
const serverTests = allTests.filter((file) => VERSION_DEPENDENT.test(file) || TALKS_TO_SERVER.test(readFileSync(file, "utf8")));
const versionTests = allTests.filter((file) => VERSION_DEPENDENT.test(file));

const serverEnv = (server: PlannedServer | undefined): Record<string, string> =>
  server ? { NSM4HOME_NATS_SERVER: server.path, NSM4HOME_NATS_SERVER_VERSION: server.version } : {};

function serverProject(server: PlannedServer | undefined, include: string[]): TestProjectInlineConfiguration {
  return { extends: true, test: { name: `nats-server ${server?.version ?? "(none found)"}`, include, env: serverEnv(server) } };
}

if (process.env.NSM4HOME_TEST_MATRIX === "required" && plan.untested.length > 0) {
  throw new Error(`NSM4HOME_TEST_MATRIX=required but missing: ${plan.untested.join(", ")} (run 'node scripts/test-servers.mjs')`);
}

/** One line at the end of the run naming what this machine could not test, and how to get it. */
const untestedReporter: Reporter = {
  onTestRunEnd() {
    if (plan.untested.length === 0) return;
    const how = plan.single ? "(one server chosen by NSM4HOME_NATS_SERVER / NSM4HOME_TEST_MATRIX=off)" : "(build them with 'node scripts/test-servers.mjs', needs Go)";
    process.stderr.write(`nsm4home tests: not tested on ${plan.untested.join(", ")} ${how}\n`);
  },
};

export default defineConfig({
  test: {
    // Tests that start nats-server processes are slow to boot; keep two workers on a 2-core machine.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["test/helpers/global-setup.ts"],
    setupFiles: ["test/helpers/cleanup.ts"],
    reporters: ["default", untestedReporter],
    projects: [
      serverProject(plan.primary, ["test/**/*.test.ts", "test/**/*.test.tsx"]),
      ...plan.extra.map((server) => serverProject(server, server.role === "newest" ? serverTests : versionTests)),
    ].filter((project) => (project.test?.include?.length ?? 0) > 0),
  },
});
