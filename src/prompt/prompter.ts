// Questions on a terminal, through node:readline. Only ever used when stdin and stderr are both terminals:
// scripts and pipes never see a prompt. Prompts go to stderr so `stream add --json | jq` stays clean.
import { createInterface, type Interface } from "node:readline";

export interface Prompter {
  /** The answer line (without newline), or null when the user ended input (Ctrl-D) or pressed Ctrl-C. */
  ask(question: string): Promise<string | null>;
  /** Writes a line (a hint, an error about the last answer) where the questions go. */
  say(line: string): void;
  close(): void;
}

/** A person can answer: both the keyboard side and the screen side are terminals. */
export function isInteractive(
  input: { isTTY?: boolean } = process.stdin,
  output: { isTTY?: boolean } = process.stderr,
): boolean {
  return input.isTTY === true && output.isTTY === true;
}

export function createPrompter(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Prompter {
  const rl: Interface = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  // Lines typed (or pasted) ahead of a question are kept, not lost between two questions.
  const queued: string[] = [];
  let waiting: ((line: string | null) => void) | undefined;
  let closed = false;
  const deliver = (line: string | null) => {
    const w = waiting;
    waiting = undefined;
    w?.(line);
  };
  rl.on("line", (line) => {
    if (waiting) deliver(line);
    else queued.push(line);
  });
  rl.on("close", () => {
    closed = true;
    deliver(null);
  });
  // Without a listener readline only pauses on Ctrl-C; treat it as "stop asking".
  rl.on("SIGINT", () => {
    output.write("\n");
    rl.close();
  });
  return {
    ask(question) {
      if (queued.length > 0) {
        output.write(question + queued[0] + "\n");
        return Promise.resolve(queued.shift()!);
      }
      if (closed) return Promise.resolve(null);
      rl.setPrompt(question);
      rl.prompt();
      return new Promise((resolve) => (waiting = resolve));
    },
    say(line) {
      output.write(line + "\n");
    },
    close() {
      if (!closed) rl.close();
    },
  };
}
