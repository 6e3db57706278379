// Placeholder registration until the context command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("context")
    .description("(context: not built yet)")
    .action(() => {
      throw new RuntimeError("'context' is not built yet");
    });
}
