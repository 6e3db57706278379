// Placeholder registration until the stream command lands; replaced by its real module.
import type { Command } from "commander";
import { RuntimeError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("stream")
    .description("(stream: not built yet)")
    .action(() => {
      throw new RuntimeError("'stream' is not built yet");
    });
}
