// Which source files each file of the bundle holds (esbuild's metafile, written by scripts/bundle.mjs). A chunk's
// name does not say whether NATS or Ink code is in it: the start-up test and bench look it up here.
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export function bundleMetaPath(root) {
  return join(root, "dist", "bundle", "meta.json");
}

/** A function from a loaded file (path or file: URL) to the sources behind it: itself, or what a bundle file holds. */
export function sourcesBehind(root) {
  const outputs = JSON.parse(readFileSync(bundleMetaPath(root), "utf8")).outputs;
  const bundleDir = join(root, "dist", "bundle") + sep;
  return (file) => {
    const path = file.startsWith("file:") ? fileURLToPath(file) : file;
    const held = path.startsWith(bundleDir) ? outputs[relative(root, path)] : undefined;
    return held ? Object.keys(held.inputs).map((input) => join(root, input)) : [path];
  };
}
