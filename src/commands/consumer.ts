// Placeholder registration until the consumer command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("consumer")
    .description("(consumer: not built yet)")
    .action(() => {
      throw new RuntimeError("'consumer' is not built yet");
    });
}
