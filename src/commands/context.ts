// `context ls|info|select`: natscli's contexts, read and selected in place (same files, same format).
import type { Command } from "commander";
import { connectionFlagsOf, printJson } from "./shared.js";
import type { ContextSummary } from "../nats/context.js";
import type { EffectiveSetting } from "../nats/connection/index.js";
import { renderSections, type KvRow } from "../render/kv.js";
import { renderTable, tableLayout, type TableOptions } from "../render/table.js";
import { sanitizeText } from "../text/sanitize.js";

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

export function renderContextInfo(view: ContextInfoView): string {
  const ctxRows: KvRow[] = view.context
    ? Object.entries(view.context).map(([k, v]) => [k, v === true ? "yes" : String(v)])
    : [["name", "none (no --context, NATS_CONTEXT or selected context)"]];
  const effRows: KvRow[] = view.effective.map((s) => [s.setting, `${s.value}  (${s.origin})`]);
  return renderSections([
    { title: "Context", rows: ctxRows },
    { title: "Effective settings (flag > env > context > default)", rows: effRows },
  ]);
}

export function register(program: Command): void {
  const context = program
    .command("context")
    .alias("ctx")
    .description("natscli contexts: list, show (secrets masked), select");

  context
    .command("ls")
    .alias("list")
    .description("list the natscli contexts; * marks the selected one")
    .option("--json", "print the list as JSON")
    .action(async (opts: { json?: boolean }) => {
      const { listContexts, contextDirectory } = await import("../nats/context.js");
      const { redactUrl } = await import("../nats/connection/index.js");
      const contexts = listContexts().map((c) => ({
        ...c,
        url: c.url === undefined ? undefined : c.url.split(",").map((u) => redactUrl(u.trim())).join(","),
      }));
      if (opts.json) printJson(contexts);
      else process.stdout.write(renderContextTable(contexts, contextDirectory(), tableLayout()));
    });

  context
    .command("info")
    .alias("show")
    .argument("[name]", "context to show (default: --context, NATS_CONTEXT or the selected one)")
    .description("a context's settings and the effective connection settings with their sources; secrets masked")
    .option("--json", "print as JSON")
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const { maskedContext } = await import("../nats/context.js");
      const { effectiveSettings, redactUrl, resolveConnectionOptions } = await import("../nats/connection/index.js");
      const flags = connectionFlagsOf(cmd);
      const resolved = resolveConnectionOptions(name === undefined ? flags : { ...flags, context: name });
      const view: ContextInfoView = {
        context: resolved.context ? maskedContext(resolved.context, redactUrl) : undefined,
        effective: effectiveSettings(resolved),
      };
      if (opts.json) printJson(view);
      else process.stdout.write(renderContextInfo(view));
    });

  context
    .command("select")
    .argument("<name>", "context to make the default (written to context.txt, shared with natscli)")
    .description("select the default context, as 'nats context select' does")
    .action(async (name: string) => {
      const { selectContext } = await import("../nats/context.js");
      selectContext(name);
      process.stdout.write(`selected context '${sanitizeText(name)}'\n`);
    });
}
