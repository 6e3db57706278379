// Colour only where a person reads it: a TTY, unless NO_COLOR says no or FORCE_COLOR says yes.
import { UsageError } from "../errors.js";

export type ColorChoice = "auto" | "always" | "never";

export function parseColorChoice(text: string): ColorChoice {
  if (text === "auto" || text === "always" || text === "never") return text;
  throw new UsageError(`invalid --color '${text}': use auto, always or never`);
}

export function shouldUseColor(
  choice: ColorChoice,
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (choice === "always") return true;
  if (choice === "never") return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}
