// natscli-style key/value sections: a heading, then labels right-aligned to the widest label in the section.
import { sanitizeText } from "../text/sanitize.js";

export type KvRow = [label: string, value: string | number | undefined | null];

export interface KvSection {
  title?: string;
  rows: KvRow[];
}

/**
 * Rows with an undefined/null value are skipped, so callers can list optional fields without conditionals.
 * Values are sanitised here (server-supplied names, subjects, peers, tags), so no caller can forget to.
 */
export function renderSections(sections: KvSection[]): string {
  const out: string[] = [];
  for (const section of sections) {
    const rows = section.rows.filter(([, v]) => v !== undefined && v !== null && v !== "");
    if (rows.length === 0) continue;
    if (out.length > 0) out.push("");
    if (section.title) out.push(`${section.title}:`, "");
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) out.push(`${label.padStart(width + 2)}: ${sanitizeText(String(value))}`);
  }
  return out.join("\n") + "\n";
}
