// The entry point bin/nsm4home.js calls. `--version` alone is answered from the version constant; everything else
// loads the commander program (program.ts), whose command modules and flags are most of the start-up time.
import { VERSION } from "./version.js";

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-v" || args[0] === "-V")) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (args[0] === "__complete") {
    // What the completion scripts call on each Tab: candidates on stdout, never an error on the user's prompt.
    const { runComplete } = await import("./completion/run.js");
    await runComplete(args.slice(1)).catch(() => undefined);
    return;
  }
  const program = await import("./program.js");
  await program.main(argv);
}
