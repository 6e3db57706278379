// Placeholder registration until the ingest command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("ingest")
    .description("(ingest: not built yet)")
    .action(() => {
      throw new RuntimeError("'ingest' is not built yet");
    });
}
