// `context ls|info|select|add|edit|rm|validate`: natscli's contexts, read and written in place (same files, same
// format), so `nats context info` reads what nsm4home wrote and the other way round.
// `register` lists the subcommands in the order `--help` shows them; below it, each subcommand's flags
// (`registerLs`, ...) and then its action (`lsAction`, ...).
import type { Command } from "commander";
import { confirmDestructive, connectionFlagsOf, printJson } from "./shared.js";
import { UsageError } from "../errors.js";
import { refuseInlineSecret } from "../nats/connection/resolve.js";
import type { ContextSettings } from "../nats/context.js";
import { renderContextChecks, renderContextInfo, renderContextTable, renderSavedContext, type ContextInfoView } from "../render/context.js";
import { tableLayout } from "../render/table.js";
import { sanitizeText } from "../text/sanitize.js";

export function register(program: Command): void {
  const context = program
    .command("context")
    .alias("ctx")
    .description("natscli contexts: list, show (secrets masked), select");
  registerLs(context);
  registerInfo(context);
  registerSelect(context);
  registerAdd(context);
  registerEdit(context);
  registerRm(context);
  registerValidate(context);
}

// ---------------------------------------------------------------------------------------------------------
// Reading: ls, info.

function registerLs(context: Command): void {
  context
    .command("ls")
    .alias("list")
    .description("list the natscli contexts; * marks the selected one")
    .option("--json", "print the list as JSON")
    .action(lsAction);
}

async function lsAction(opts: { json?: boolean }): Promise<void> {
  const { listContexts, contextDirectory } = await import("../nats/context.js");
  const { redactUrl } = await import("../nats/connection/index.js");
  const contexts = listContexts().map((c) => ({
    ...c,
    url: c.url === undefined ? undefined : c.url.split(",").map((u) => redactUrl(u.trim())).join(","),
  }));
  if (opts.json) printJson(contexts);
  else process.stdout.write(renderContextTable(contexts, contextDirectory(), tableLayout()));
}

function registerInfo(context: Command): void {
  context
    .command("info")
    .alias("show")
    .argument("[name]", "context to show (default: --context, NATS_CONTEXT or the selected one)")
    .description("a context's settings and the effective connection settings with their sources; secrets masked")
    .option("--json", "print as JSON")
    .action(infoAction);
}

async function infoAction(name: string | undefined, opts: { json?: boolean }, cmd: Command): Promise<void> {
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
}

// ---------------------------------------------------------------------------------------------------------
// Writing: select, add, edit, rm (the same files natscli writes). add and edit take the context's settings from
// the global connection flags.

function registerSelect(context: Command): void {
  context
    .command("select")
    .argument("<name>", "context to make the default (written to context.txt, shared with natscli)")
    .description("select the default context, as 'nats context select' does")
    .action(selectAction);
}

async function selectAction(name: string): Promise<void> {
  const { selectContext } = await import("../nats/context.js");
  selectContext(name);
  process.stdout.write(`selected context '${sanitizeText(name)}'\n`);
}

/** The connection flags given on this command line as context fields; file paths made absolute (a context is used from any folder). */
export function contextSettingsOf(cmd: Command, description: string | undefined, resolvePath: (p: string) => string): ContextSettings {
  const f = connectionFlagsOf(cmd);
  refuseInlineSecret(f.creds, "--creds", "credentials");
  refuseInlineSecret(f.nkey, "--nkey", "nkey seed");
  const file = (p: string | undefined) => (p === undefined || p === "" ? p : resolvePath(p));
  const settings: ContextSettings = {
    description,
    url: f.server,
    user: f.user,
    password: f.password,
    token: f.token,
    creds: file(f.creds),
    nkey: file(f.nkey),
    cert: file(f.tlscert),
    key: file(f.tlskey),
    ca: file(f.tlsca),
    jetstream_domain: f.jsDomain,
    jetstream_api_prefix: f.jsApiPrefix,
    inbox_prefix: f.inboxPrefix,
    tls_first: f.tlsfirst,
  };
  for (const k of Object.keys(settings) as Array<keyof ContextSettings>) if (settings[k] === undefined) delete settings[k];
  return settings;
}

const CONTEXT_FLAGS_HELP = `
Connection settings come from the global flags, as in natscli: -s/--server, --user, --password, --token,
--creds, --nkey, --tlscert, --tlskey, --tlsca, --tlsfirst, --js-domain, --js-api-prefix, --inbox-prefix.
File paths are stored absolute. Secrets are masked in everything printed. An empty value (--password '')
clears a field in 'edit'.
`;

interface ContextWriteOpts {
  description?: string;
  select?: boolean;
}

/** Prints a context as saved, secrets masked: what add and edit show after writing. */
async function showSaved(name: string, verb: string): Promise<void> {
  const { loadContext, maskedContext } = await import("../nats/context.js");
  const { redactUrl } = await import("../nats/connection/index.js");
  process.stdout.write(renderSavedContext(name, verb, maskedContext(loadContext(name), redactUrl)));
}

function registerAdd(context: Command): void {
  context
    .command("add")
    .alias("create")
    .argument("<name>", "the new context's name")
    .description("create a natscli context from the connection flags (-s, --creds, --js-domain, ...)")
    .option("--description <text>", "what this context is for, e.g. 'sensor on the Pi'")
    .option("--select", "make it the default context too")
    .addHelpText("after", CONTEXT_FLAGS_HELP + "\nExample:\n  nsm4home context add pi -s nats://pi.lan:4222 --creds ~/pi.creds --js-domain pi --select\n")
    .action(addAction);
}

async function addAction(name: string, opts: ContextWriteOpts, cmd: Command): Promise<void> {
  const { addContext, selectContext } = await import("../nats/context.js");
  const { resolve } = await import("node:path");
  addContext(name, contextSettingsOf(cmd, opts.description, (p) => resolve(p)));
  if (opts.select) selectContext(name);
  await showSaved(name, opts.select ? "created and selected" : "created");
}

function registerEdit(context: Command): void {
  context
    .command("edit")
    .argument("<name>", "context to change")
    .description("change settings of a context from the connection flags; other fields stay as they are")
    .option("--description <text>", "what this context is for")
    .option("--select", "make it the default context too")
    .addHelpText("after", CONTEXT_FLAGS_HELP + "\nExample:\n  nsm4home context edit pi --js-domain hub --password ''\n")
    .action(editAction);
}

async function editAction(name: string, opts: ContextWriteOpts, cmd: Command): Promise<void> {
  const { editContext, selectContext } = await import("../nats/context.js");
  const { resolve } = await import("node:path");
  const settings = contextSettingsOf(cmd, opts.description, (p) => resolve(p));
  if (Object.keys(settings).length === 0 && !opts.select) {
    throw new UsageError(`nothing to change: give the settings to set, e.g. nsm4home context edit ${sanitizeText(name)} -s nats://pi.lan:4222`);
  }
  editContext(name, settings);
  if (opts.select) selectContext(name);
  await showSaved(name, "changed");
}

function registerRm(context: Command): void {
  context
    .command("rm")
    .alias("remove")
    .argument("<name>", "context to remove")
    .description("remove a context (and the selection, when it was the selected one)")
    .option("-f, --force", "do not ask for confirmation on a terminal")
    .action(rmAction);
}

async function rmAction(name: string, opts: { force?: boolean }): Promise<void> {
  const { contextPath, removeContext } = await import("../nats/context.js");
  const { existsSync } = await import("node:fs");
  if (!existsSync(contextPath(name))) removeContext(name); // the one-line "unknown context" error
  await confirmDestructive(`remove context ${name}`, opts.force, "context rm");
  const wasSelected = removeContext(name);
  process.stdout.write(`removed context '${sanitizeText(name)}'${wasSelected ? " (it was selected: no context is selected now)" : ""}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Checking: validate.

function registerValidate(context: Command): void {
  context
    .command("validate")
    .alias("check")
    .argument("[name]", "context to check (default: --context, NATS_CONTEXT or the selected one)")
    .description("connect with the context alone (no NATS_* variables) and say what works: files, connection, JetStream, domain")
    .option("--json", "print the checks as JSON")
    .action(validateAction);
}

async function validateAction(name: string | undefined, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { selectedContextName } = await import("../nats/context.js");
  const { checkContext } = await import("../nats/context-check.js");
  const given = connectionFlagsOf(cmd).context;
  if (given === false) {
    throw new UsageError(
      name === undefined
        ? "--no-context: there is no context to validate; leave out --no-context, or name one (nsm4home context validate NAME)"
        : `--no-context: there is no context to validate, yet '${sanitizeText(name)}' was named; leave out --no-context`,
    );
  }
  const target = name ?? (typeof given === "string" ? given : undefined) ?? (process.env.NATS_CONTEXT || undefined) ?? selectedContextName();
  if (target === undefined) throw new UsageError("no context to validate: name one (nsm4home context validate NAME) or select one (context select NAME)");
  const checks = await checkContext(target);
  if (opts.json) printJson({ context: target, ok: checks.every((c) => c.ok), checks });
  else process.stdout.write(renderContextChecks(target, checks));
  if (!checks.every((c) => c.ok)) process.exitCode = 1;
}
