// Placeholder registration until the replay command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("replay")
    .description("(replay: not built yet)")
    .action(() => {
      throw new RuntimeError("'replay' is not built yet");
    });
}
