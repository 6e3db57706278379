// Placeholder registration until the tui command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("tui")
    .description("(tui: not built yet)")
    .action(() => {
      throw new RuntimeError("'tui' is not built yet");
    });
}
