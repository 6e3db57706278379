// Placeholder registration until the demo command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("demo")
    .description("(demo: not built yet)")
    .action(() => {
      throw new RuntimeError("'demo' is not built yet");
    });
}
