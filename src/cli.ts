// The entry point bin/nsm4home.js calls. `--version` alone is answered from the version constant; everything else
// loads the commander program (program.ts), whose command modules and flags are most of the start-up time.
import { VERSION } from "./version.js";

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-v" || args[0] === "-V")) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const program = await import("./program.js");
  await program.main(argv);
}
