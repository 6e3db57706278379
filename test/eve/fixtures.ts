// Shared by the eve tests: where the sample files are, and what "safe on a terminal" means as an assertion.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FormatOptions } from "../../src/eve/format.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/eve/", import.meta.url));
/**
 * The GPL sample is not copied into the project; it is read where the environment provides it: shared/ beside the
 * checkout (as CI lays it out), or the workplace's copy.
 */
export const SHARED_SAMPLES =
  process.env.NSM4HOME_EVE_SAMPLES ??
  [fileURLToPath(new URL("../../../shared/eve-samples", import.meta.url)), "/work/shared/eve-samples"].find((dir) =>
    existsSync(dir),
  ) ??
  "/work/shared/eve-samples";
export const DACHOA = `${SHARED_SAMPLES}/dachoa-live-2023.eve.json`;
export const hasDachoa = existsSync(DACHOA);

export function readLines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "");
}

export function readEvents(path: string): Record<string, unknown>[] {
  return readLines(path).map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const PLAIN: FormatOptions = { color: false, timestamps: "none" };
export const PLAIN_UTC: FormatOptions = { color: false, timestamps: "utc" };
export const COLOR: FormatOptions = { color: true, timestamps: "utc" };

/** Characters that must never reach a terminal raw (ESC is checked separately: colour may use it). */
// eslint-disable-next-line no-control-regex
export const RAW_UNSAFE = /[\x00-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** No raw control/bidi/invisible character, no lone surrogate, and ESC only inside our own SGR colour codes. */
export function assertTerminalSafe(line: string): void {
  const withoutColour = line.replace(SGR, "");
  if (withoutColour.includes("\x1b")) throw new Error(`raw ESC in ${JSON.stringify(line)}`);
  const m = RAW_UNSAFE.exec(withoutColour);
  if (m !== null) throw new Error(`raw U+${m[0].codePointAt(0)!.toString(16)} in ${JSON.stringify(line)}`);
  if (hasLoneSurrogate(withoutColour)) throw new Error(`lone surrogate in ${JSON.stringify(line)}`);
}

/** In `u` mode a surrogate class matches only unpaired halves. */
export function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDFFF]/u.test(s);
}

export function stripColour(line: string): string {
  return line.replace(SGR, "");
}
