// Small pieces every command file uses: the global connection flags, JSON output, stdout writes, confirmations,
// prompts for what flags left open, Ctrl-C as an abort signal, the output flags of stored messages, and the
// preview-confirm-apply half of `stream edit` and `consumer edit`.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { ConfigChange } from "../nats/config-diff.js";
import type { ConnectionFlags } from "../nats/connection/index.js";
import type { PromptField } from "../prompt/fields.js";
import type { MessageOutputFlags } from "../render/message.js";
import { DEFAULT_STREAM_NAME, DEFAULT_SUBJECT_PREFIX } from "../nats/stream-defaults.js";
import { parseDuration } from "../text/units.js";
import { toSafePrettyJson } from "../text/sanitize.js";

/** The global connection flags, wherever on the command line they were given. */
export function connectionFlagsOf(cmd: Command): ConnectionFlags {
  const all = cmd.optsWithGlobals() as Record<string, unknown>;
  return {
    server: all.server as string | undefined,
    user: all.user as string | undefined,
    password: all.password as string | undefined,
    token: all.token as string | undefined,
    creds: all.creds as string | undefined,
    nkey: all.nkey as string | undefined,
    tlscert: all.tlscert as string | undefined,
    tlskey: all.tlskey as string | undefined,
    tlsca: all.tlsca as string | undefined,
    tlsfirst: all.tlsfirst as boolean | undefined,
    timeout: all.timeout as string | undefined,
    jsDomain: all.jsDomain as string | undefined,
    jsApiPrefix: all.jsApiPrefix as string | undefined,
    inboxPrefix: all.inboxPrefix as string | undefined,
    trace: traceSettingsOf(all),
    context: all.context as string | boolean | undefined,
  };
}

/** --trace, --trace-data (implies --trace) and --trace-file (env NSM4HOME_TRACE_FILE). */
function traceSettingsOf(all: Record<string, unknown>): ConnectionFlags["trace"] {
  if (all.trace !== true && all.traceData !== true) return undefined;
  const file = (all.traceFile as string | undefined) ?? (process.env.NSM4HOME_TRACE_FILE || undefined);
  return { data: all.traceData === true, file };
}

/** The TUI draws on the terminal: a trace must go to a file (--trace-file) or a redirected stderr. */
export function refuseTraceOnTerminal(cmd: Command, what: string): void {
  const trace = connectionFlagsOf(cmd).trace;
  if (trace && trace.file === undefined && process.stderr.isTTY) {
    throw new UsageError(`--trace would write over ${what}: give --trace-file FILE (env NSM4HOME_TRACE_FILE), or redirect stderr (2>trace.log)`);
  }
}

/** Pretty JSON for API objects (`--json`), one document. */
export function printJson(value: unknown): void {
  process.stdout.write(toSafePrettyJson(value) + "\n");
}

/** Where `ingest` and `replay` publish: the subject prefix, and the stream --create-stream makes. */
export function addPublishTargetOptions(cmd: Command): Command {
  return cmd
    .option("--prefix <prefix>", "subject prefix: events go to <prefix>.<event_type>", DEFAULT_SUBJECT_PREFIX)
    .option("--stream <name>", "stream to create with --create-stream", DEFAULT_STREAM_NAME)
    .option("--create-stream", "create the stream (as 'stream add --defaults') when none stores <prefix>.>");
}

/** `--progress` of ingest and replay: a duration between progress lines; 0 for the final summary only. */
export function parseProgressFlag(text: string): number {
  return text.trim() === "0" ? 0 : parseDuration(text, "--progress");
}

/** `--json` for JetStream admin: the API object(s), without the response envelope. */
export async function printApiJson(value: object): Promise<void> {
  const { apiJsonText } = await import("../nats/config-diff.js");
  process.stdout.write(apiJsonText(value));
}

/** Asks before destroying on a terminal; refuses without one unless forced (`command` names what to add -f to). */
export async function confirmDestructive(what: string, force: boolean | undefined, command: string): Promise<void> {
  const { confirmOrRefuse } = await import("../prompt/fields.js");
  await confirmOrRefuse(what, force, command);
}

/**
 * Fills in what the flags left open: asks on a terminal (each question names its flag); without one takes the
 * defaults and says which on stderr. `--defaults` takes them quietly and never asks.
 */
export async function askOrApplyDefaults(fields: PromptField[], values: Record<string, unknown>, defaults: boolean | undefined): Promise<void> {
  const { applyDefaults, askMissing } = await import("../prompt/fields.js");
  const { createPrompter, isInteractive } = await import("../prompt/prompter.js");
  if (!defaults && isInteractive()) {
    const prompter = createPrompter();
    try {
      await askMissing(fields, values, prompter);
    } finally {
      prompter.close();
    }
  } else {
    const applied = applyDefaults(fields, values);
    if (!defaults && applied.length > 0) {
      process.stderr.write(`nsm4home: no terminal to ask on; using defaults: ${applied.join(", ")} (--defaults accepts them quietly)\n`);
    }
  }
}

/**
 * Ctrl-C (or SIGTERM) aborts the returned signal, so a command ends its work cleanly instead of being killed
 * mid-write. With `onlyOnce`, the handlers go after the first signal: a second one is left to Node's default
 * (exit) unless something else listens.
 */
export function abortOnSignals(opts: { onlyOnce?: boolean } = {}): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  const listen = opts.onlyOnce ? process.once.bind(process) : process.on.bind(process);
  listen("SIGINT", onSignal);
  listen("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** The --color, --timestamps and --utc flags of every command that prints stored messages. */
export function addMessageStyleOptions(cmd: Command): Command {
  return cmd
    .option("--color <when>", "auto, always or never", "auto")
    .option("--timestamps <mode>", "local, utc or none")
    .option("--utc", "the older spelling of --timestamps utc");
}

/** The note on stderr for the older --utc spelling, where a command takes it. */
export function noteOlderUtc(flags: { utc?: boolean }): void {
  if (flags.utc) process.stderr.write("nsm4home: --utc is now --timestamps utc (--utc still works)\n");
}

/** --raw/--json/--color/--timestamps as rendering settings, with a note on stderr when the older --utc is used. */
export async function messageOutputOf(flags: MessageOutputFlags) {
  const { messageOutput } = await import("../render/message.js");
  noteOlderUtc(flags);
  return messageOutput(flags);
}

export interface ConfigEdit<T extends object> {
  /** How messages name the thing: "stream suricata", "consumer suricata > alerts". */
  what: string;
  /** The command, for the refusal without a terminal: "stream edit". */
  command: string;
  /** The configuration the server holds now. */
  current: object;
  /** What differs; not empty. */
  changes: ConfigChange[];
  /** A value in human units, for the preview. */
  show: (field: string, value: unknown) => string;
  /** Sends the changed fields; resolves with the updated info. */
  update: (changed: Record<string, unknown>) => Promise<T>;
  /** The updated info as `info` shows it. */
  render: (updated: T) => string;
}

/** Shows the changes; stops there with --dry-run; asks on a terminal (unless --force); applies them and shows the result. */
export async function previewAndApply<T extends object>(edit: ConfigEdit<T>, opts: { json?: boolean; dryRun?: boolean; force?: boolean }): Promise<void> {
  const { renderChanges } = await import("../nats/config-diff.js");
  const changed = Object.fromEntries(edit.changes.map((c) => [c.field, c.to]));
  const preview = `Changes to ${edit.what}:\n` + renderChanges(edit.changes, edit.show);
  if (opts.dryRun) {
    // The preview is the output of a dry run; --json shows the configuration that would be sent.
    if (opts.json) await printApiJson({ ...edit.current, ...changed });
    else process.stdout.write(preview + "(dry run: nothing was changed)\n");
    return;
  }
  if (!opts.json) process.stdout.write(preview + "\n");
  const { isInteractive } = await import("../prompt/prompter.js");
  if (isInteractive() && !opts.force) await confirmDestructive(`apply these changes to ${edit.what}`, false, edit.command);
  const updated = await edit.update(changed);
  if (opts.json) await printApiJson(updated);
  else process.stdout.write(`${edit.what[0]!.toUpperCase()}${edit.what.slice(1)} was updated\n\n` + edit.render(updated));
}

/** Collects a repeatable flag (`--subjects a --subjects b,c`) into a list. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return [...(previous ?? []), ...items];
}

/** A repeatable option kept whole (a metadata value may hold commas). */
export function collectRepeat(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Waits until everything written to stdout has been handed to the OS (process.exit on a pipe loses it). */
export function flushStdout(): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.writableLength === 0) resolve();
    else process.stdout.write("", () => resolve());
  });
}
