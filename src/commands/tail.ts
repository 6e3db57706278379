// Placeholder registration until the tail command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("tail")
    .description("(tail: not built yet)")
    .action(() => {
      throw new RuntimeError("'tail' is not built yet");
    });
}
