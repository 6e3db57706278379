// `completion bash|zsh|fish`: prints the script that makes Tab complete nsm4home's commands, flags, their values,
// and stream, consumer and context names (from the server when it answers quickly).
import type { Command } from "commander";
import { UsageError } from "../errors.js";

export function register(program: Command): void {
  program
    .command("completion")
    .argument("<shell>", "bash, zsh or fish")
    .description("print the shell completion script (commands, flags, values, stream/consumer/context names)")
    .addHelpText(
      "after",
      `
Install:
  bash   nsm4home completion bash > ~/.local/share/bash-completion/completions/nsm4home
  zsh    nsm4home completion zsh > "\${fpath[1]}/_nsm4home"     (then: autoload -U compinit && compinit)
  fish   nsm4home completion fish > ~/.config/fish/completions/nsm4home.fish
Or for this shell only: source <(nsm4home completion bash)
`,
    )
    .action(async (shell: string) => {
      const { SHELLS, completionScript } = await import("../completion/scripts.js");
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`invalid shell '${shell}': use bash, zsh or fish`);
      process.stdout.write(completionScript(shell as (typeof SHELLS)[number]));
    });
}
