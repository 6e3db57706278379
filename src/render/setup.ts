// What `sensor init` and `hub init` say: each file written (or, with --dry-run, each file and its text), then
// the steps left to the user. Paths are escaped: they come from the command line and may hold anything.
import { sanitizeText } from "../text/sanitize.js";
import type { WriteOutcome } from "../setup/write-files.js";

export function renderSetupOutcome(outcomes: WriteOutcome[], nextSteps: string[]): string {
  const lines: string[] = [];
  const dryRun = outcomes.some((o) => o.action === "planned");
  if (dryRun) {
    for (const { file } of outcomes) {
      lines.push(`==> ${sanitizeText(file.path)}: ${file.what}`);
      // A secret's text is never shown; its presence and path are.
      const body = file.secret ? "(holds a secret: not shown)\n" : file.text;
      lines.push(...body.trimEnd().split("\n").map(sanitizeText), "");
    }
    lines.push("(dry run: nothing was written)");
  } else {
    const width = Math.max(...outcomes.map((o) => sanitizeText(o.file.path).length));
    for (const { file, action } of outcomes) {
      lines.push(`${action === "overwritten" ? "Overwrote" : "Wrote    "} ${sanitizeText(file.path).padEnd(width)}  ${file.what}`);
    }
  }
  if (nextSteps.length > 0) lines.push("", "Next:", ...nextSteps.map((s) => `  ${sanitizeText(s)}`));
  return lines.join("\n") + "\n";
}
