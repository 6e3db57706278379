// Flags renamed so each means one thing across commands. The earlier spelling still works (scripts carry it), is
// hidden from --help and completion, and says once on stderr what it is called now.
import { Option, type Command } from "commander";

const replacements = new WeakMap<Option, { now: string; why: string }>();

/** A hidden option for an earlier spelling of `now`; its value is handed to `now` before the action runs. */
export function oldSpelling(flags: string, now: string, why: string, parse?: (value: string, previous: never) => unknown): Option {
  const option = new Option(flags).hideHelp();
  if (parse) option.argParser(parse as (value: string, previous: unknown) => unknown);
  replacements.set(option, { now, why });
  return option;
}

/**
 * preAction hook: moves each earlier spelling's value to the current flag (lists are joined, a value given both
 * ways keeps the current spelling's) and notes the rename on stderr.
 */
export function applyOldSpellings(command: Command): void {
  for (const option of command.options) {
    const replacement = replacements.get(option);
    if (replacement === undefined) continue;
    const oldKey = option.attributeName();
    const value = command.getOptionValue(oldKey);
    if (value === undefined) continue;
    // The current flag may be a global one (--timeout), defined on the program.
    let owner: Command | null = command;
    let target: Option | undefined;
    while (owner !== null && (target = owner.options.find((o) => o.long === replacement.now)) === undefined) owner = owner.parent;
    if (owner === null || target === undefined) continue;
    const newKey = target.attributeName();
    const current = owner.getOptionValue(newKey) as unknown;
    const given = owner.getOptionValueSource(newKey) === "cli";
    if (Array.isArray(value) && (Array.isArray(current) || current === undefined)) {
      owner.setOptionValueWithSource(newKey, [...((current as unknown[] | undefined) ?? []), ...value], "cli");
    } else if (!given) {
      owner.setOptionValueWithSource(newKey, value, "cli");
    }
    command.setOptionValue(oldKey, undefined);
    process.stderr.write(`nsm4home: ${option.long} is now ${replacement.now} (${replacement.why}); the old spelling still works\n`);
  }
}
