// Writing the generated files: all or nothing about overwriting (every existing file is named before anything
// is written), secrets with mode 0600, and a dry run that writes nothing.
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { makeDirectories } from "../directories.js";
import { dirname } from "node:path";
import { RuntimeError } from "../errors.js";
import type { GeneratedFile } from "./config-files.js";

export interface WriteOutcome {
  file: GeneratedFile;
  /** "written", "overwritten", or "planned" for a dry run. */
  action: "written" | "overwritten" | "planned";
}

export function writeGeneratedFiles(files: GeneratedFile[], opts: { force?: boolean; dryRun?: boolean; command: string }): WriteOutcome[] {
  const existing = files.filter((f) => existsSync(f.path));
  if (opts.dryRun) return files.map((file) => ({ file, action: "planned" }));
  if (existing.length > 0 && !opts.force) {
    throw new RuntimeError(
      `${existing.map((f) => f.path).join(", ")} already exist${existing.length === 1 ? "s" : ""}; nothing was written ` +
        `(add --force to overwrite, or --dry-run to see what '${opts.command}' would write)`,
    );
  }
  return files.map((file) => {
    const action = existsSync(file.path) ? "overwritten" : "written";
    try {
      makeDirectories(dirname(file.path));
      writeFileSync(file.path, file.text, { mode: file.secret ? 0o600 : 0o644 });
      // writeFile's mode applies only to a new file; an overwritten secret must lose wider permissions too.
      if (file.secret) chmodSync(file.path, 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      const hint = code === "EACCES" || code === "EPERM" ? ": run it with sudo, or choose another --dir" : "";
      throw new RuntimeError(`cannot write ${file.path} (${code})${hint}`);
    }
    return { file, action };
  });
}
