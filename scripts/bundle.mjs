// Bundles tsc's output (dist/) into dist/bundle/, which bin/nsm4home.js runs. Node 20 loads ES modules one file at
// a time (resolve, read, compile each): the ~110 files of ours and ~60 of nats.js and commander that `tail` or
// `stream ls` load cost 0.1-0.2 s of CPU per start, a third of `stream ls`, and more on a Raspberry Pi's cores.
// Bundled, a command loads a few chunks. Code splitting keeps the lazy imports lazy: `--version` and `tail` still
// load no command they do not run, and no Ink or React.
// External: Ink and React (the dashboard's ink-caches.ts reaches into ink's own files, which must be the instance
// Ink uses) and ioredis (CommonJS, loaded only by `ingest --redis`).
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleMetaPath } from "./bundle-meta.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE_DIR = join(root, "dist", "bundle");

/**
 * `await import("@nats-io/transport-node")` of a CommonJS package: Node gives it named exports (it reads them off
 * the source), an esbuild chunk only a default. This stands an ES module with the same names in its place; static
 * imports of CommonJS esbuild handles itself.
 */
const commonJsNamedExports = {
  name: "commonjs-dynamic-import",
  setup(build) {
    const names = new Map();
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== "dynamic-import" || args.path.startsWith("node:")) return undefined;
      const key = `${args.resolveDir}\0${args.path}`;
      if (!names.has(key)) {
        let exported;
        try {
          exported = Object.keys(createRequire(join(args.resolveDir, "bundle.js"))(args.path));
        } catch {
          exported = undefined; // an ES module (require() refuses it), or external: esbuild's own handling is right
        }
        names.set(key, exported?.filter((n) => n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n)));
      }
      return names.get(key) === undefined ? undefined : { path: args.path, namespace: "commonjs-named", pluginData: { resolveDir: args.resolveDir, names: names.get(key) } };
    });
    build.onLoad({ filter: /.*/, namespace: "commonjs-named" }, (args) => ({
      resolveDir: args.pluginData.resolveDir,
      contents: [
        `import * as commonJs from ${JSON.stringify(args.path)};`,
        ...args.pluginData.names.map((n) => `export const ${n} = commonJs.${n};`),
      ].join("\n"),
    }));
  },
};

export async function bundle() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(root, "dist", "cli.js")],
    outdir: BUNDLE_DIR,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunks/[name]-[hash]",
    external: ["ink", "ink/*", "react", "react/*", "ioredis"],
    // Some bundled packages are CommonJS and call require() for Node's own modules.
    banner: { js: 'import { createRequire as __nsm4homeRequire } from "node:module"; const require = __nsm4homeRequire(import.meta.url);' },
    plugins: [commonJsNamedExports],
    logLevel: "warning",
    metafile: true,
  });
  writeFileSync(bundleMetaPath(root), JSON.stringify(result.metafile));
}

// Compared as paths: a file: URL escapes what a path holds as it is (a space in the clone's path, say).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await bundle();
