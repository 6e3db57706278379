// Prompts that fill in missing flags: each question names the flag that answers it, takes the same text the
// flag takes, and is checked by the same parser, so a prompt never accepts what the flag would refuse.
import { RuntimeError, UsageError } from "../errors.js";
import { createPrompter, isInteractive, type Prompter } from "./prompter.js";

export interface PromptField {
  /** The commander option key the answer fills (`maxAge` for --max-age). */
  key: string;
  flag: string;
  label: string;
  /** Accepted values or an example, shown in the question. */
  hint?: string;
  /** What an empty answer means, as the flag would be written; "" leaves the field to the server. */
  defaultText: string;
  /** Repeatable/comma-separated flags (--subjects, --subject) take a list. */
  list?: boolean;
  /** Throws UsageError (naming the flag) when the text is not acceptable. */
  check(text: string): void;
}

export type FlagValues = Record<string, unknown>;

export function missingFields(fields: readonly PromptField[], values: FlagValues): PromptField[] {
  return fields.filter((f) => values[f.key] === undefined);
}

function questionFor(f: PromptField): string {
  const shown = f.defaultText === "" ? "none" : f.defaultText;
  return `${f.label} (${f.flag}${f.hint ? ` ${f.hint}` : ""}) [${shown}]: `;
}

function toValue(f: PromptField, text: string): unknown {
  return f.list ? text.split(/[\s,]+/).filter((s) => s !== "") : text;
}

/** Asks for each missing field in turn; a bad answer is explained and asked again. Mutates `values`. */
export async function askMissing(fields: readonly PromptField[], values: FlagValues, prompter: Prompter): Promise<void> {
  for (const f of missingFields(fields, values)) {
    for (;;) {
      const answer = await prompter.ask(questionFor(f));
      if (answer === null) throw new RuntimeError(`cancelled at the ${f.flag} prompt; nothing was changed`);
      const text = answer.trim() === "" ? f.defaultText : answer.trim();
      if (text === "") break;
      try {
        f.check(text);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        prompter.say(`  ${err.message}`);
        continue;
      }
      values[f.key] = toValue(f, text);
      break;
    }
  }
}

/** Fills every missing field with its default (the no-terminal path); returns "--flag value" for each one. */
export function applyDefaults(fields: readonly PromptField[], values: FlagValues): string[] {
  const applied: string[] = [];
  for (const f of missingFields(fields, values)) {
    if (f.defaultText === "") continue;
    values[f.key] = toValue(f, f.defaultText);
    applied.push(`${f.flag} ${f.defaultText}`);
  }
  return applied;
}

/** A yes/no question; only "y" or "yes" is yes. */
export async function confirm(prompter: Prompter, question: string): Promise<boolean> {
  const answer = await prompter.ask(`${question} [y/N] `);
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}

/**
 * Asks before destroying data. `force` (-f) says yes; without a terminal there is nobody to ask, so the command
 * refuses (exit 2) rather than guess; a "no" changes nothing (exit 1).
 */
export async function confirmOrRefuse(what: string, force: boolean | undefined, command: string): Promise<void> {
  if (force) return;
  if (!isInteractive()) throw new UsageError(`${command}: no terminal to confirm on; pass -f (--force) to ${what}`);
  const prompter = createPrompter();
  try {
    if (!(await confirm(prompter, `Really ${what}?`))) throw new RuntimeError("not confirmed; nothing was changed");
  } finally {
    prompter.close();
  }
}
