// Human output for natscli contexts: the `context ls` table, the `context info` sections (the context's own fields,
// then the effective settings with where each came from), what `add`/`edit` saved, and `validate`'s checks.
import type { EffectiveSetting } from "../nats/connection/index.js";
import type { ContextSummary } from "../nats/context.js";
import type { ContextCheck } from "../nats/context-check.js";
import { sanitizeText } from "../text/sanitize.js";
import { renderSections, type KvRow } from "./kv.js";
import { renderTable, type TableOptions } from "./table.js";

/** The `ls` table: the selected context marked with `*` after its name, as natscli does (renderTable sanitises the cells). */
export function renderContextTable(contexts: ContextSummary[], directory: string, layout: TableOptions = {}): string {
  if (contexts.length === 0) {
    return `No contexts in ${directory}/context (natscli: nats context add NAME --server URL)\n`;
  }
  const rows = contexts.map((c) => [
    c.selected ? `${c.name}*` : c.name,
    c.url ?? "",
    c.error ? `(broken: ${c.error})` : (c.description ?? ""),
  ]);
  return renderTable(
    [{ header: "NAME" }, { header: "URL", shrink: true }, { header: "DESCRIPTION", shrink: true }],
    rows,
    layout,
  );
}

export interface ContextInfoView {
  /** The context's own fields, masked; undefined when no context is in use. */
  context?: Record<string, string | boolean>;
  /** What a command would connect with now, and where each setting comes from. */
  effective: EffectiveSetting[];
}

/** A masked context's fields as rows, true as "yes". */
function contextRows(masked: Record<string, string | boolean>): KvRow[] {
  return Object.entries(masked).map(([k, v]) => [k, v === true ? "yes" : String(v)]);
}

export function renderContextInfo(view: ContextInfoView): string {
  const ctxRows: KvRow[] = view.context ? contextRows(view.context) : [["name", "none (no --context, NATS_CONTEXT or selected context)"]];
  const effRows: KvRow[] = view.effective.map((s) => [s.setting, `${s.value}  (${s.origin})`]);
  return renderSections([
    { title: "Context", rows: ctxRows },
    { title: "Effective settings (flag > env > context > default)", rows: effRows },
  ]);
}

/** What `add` and `edit` print: "created context 'pi'" (the verb given) and the saved fields, masked. */
export function renderSavedContext(name: string, verb: string, masked: Record<string, string | boolean>): string {
  return `${verb} context '${sanitizeText(name)}'\n\n` + renderSections([{ title: "Context", rows: contextRows(masked) }]);
}

/** `validate`'s lines: each check ok or FAILED with what it found (sanitised: server texts and paths). */
export function renderContextChecks(name: string, checks: ContextCheck[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines = checks.map((c) => `  ${c.ok ? "ok    " : "FAILED"}  ${c.check.padEnd(width)}  ${sanitizeText(c.detail)}`);
  const failed = checks.filter((c) => !c.ok).length;
  const verdict = failed === 0 ? `context '${sanitizeText(name)}' works` : `context '${sanitizeText(name)}': ${failed} of ${checks.length} checks failed`;
  return `${verdict}\n${lines.join("\n")}\n`;
}
