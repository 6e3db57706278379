#!/usr/bin/env node
// Runs the bundled build (scripts/bundle.mjs): a few chunks to load at start instead of ~170 modules.
let cli;
try {
  cli = await import("../dist/bundle/cli.js");
} catch (err) {
  if (err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/bundle/cli.js")) {
    process.stderr.write("nsm4home: the build is missing (dist/bundle/cli.js): run 'npm run build'\n");
    process.exit(1);
  }
  throw err;
}
await cli.main(process.argv);
