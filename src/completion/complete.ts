// Shell completion's one engine: given the words typed so far, the candidates for the last one. Commands, flags and
// their value kinds come from the commander program itself (nothing kept by hand beside it); names of streams,
// consumers and contexts come from the caller's sources (a server that answers quickly, the context folder).
import type { Command, Option } from "commander";

/** Printed first when the shell should complete file names instead. */
export const FILES = "__files__";

export interface CompletionSources {
  streams(): Promise<string[]>;
  consumers(stream: string): Promise<string[]>;
  contexts(): string[];
}

/** Event types `tail` and `tui` take as words (Suricata's common ones; any other word works too). */
export const COMPLETION_EVENT_TYPES = [
  "alert", "anomaly", "dhcp", "dns", "drop", "fileinfo", "flow", "ftp", "http", "http2", "ike", "krb5", "mqtt",
  "netflow", "nfs", "quic", "rdp", "sip", "smb", "smtp", "snmp", "ssh", "stats", "tftp", "tls",
];

/** Values of flags whose help lists them (`auto, always or never`, `file|memory`) are read from there. */
const FLAG_VALUES: Record<string, string[] | "files" | "streams" | "contexts"> = {
  storage: ["file", "memory"],
  retention: ["limits", "interest", "work"],
  discard: ["old", "new"],
  color: ["auto", "always", "never"],
  timestamps: ["local", "utc", "none"],
  ack: ["explicit", "all", "none"],
  replay: ["instant", "original"],
  deliver: ["all", "last", "new", "last-per-subject"],
  stream: "streams",
  context: "contexts",
  creds: "files", nkey: "files", tlscert: "files", tlskey: "files", tlsca: "files", config: "files",
  checkpoint: "files", "trace-file": "files", from: "files", output: "files",
};

function chain(cmd: Command): Command[] {
  const out: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) out.push(c);
  return out;
}

function visibleOptions(cmd: Command): Option[] {
  return chain(cmd).flatMap((c) => c.options.filter((o) => !(o as Option & { hidden?: boolean }).hidden));
}

function findOption(cmd: Command, word: string): Option | undefined {
  const flag = word.split("=")[0]!;
  return chain(cmd)
    .flatMap((c) => c.options)
    .find((o) => o.long === flag || o.short === flag);
}

const takesValue = (o: Option) => o.required || o.optional;

function subcommandOf(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

async function valuesForOption(o: Option, sources: CompletionSources): Promise<string[]> {
  if (o.argChoices) return o.argChoices;
  const kind = FLAG_VALUES[(o.long ?? "").replace(/^--/, "")];
  if (kind === undefined) return [];
  if (kind === "files") return [FILES];
  if (kind === "streams") return sources.streams();
  if (kind === "contexts") return sources.contexts();
  return kind;
}

/** Candidates for a positional argument, chosen by the command's path and the argument's own name. */
async function valuesForArgument(cmd: Command, index: number, positional: string[], sources: CompletionSources): Promise<string[]> {
  const args = cmd.registeredArguments;
  const arg = args[index] ?? (args.at(-1)?.variadic ? args.at(-1) : undefined);
  if (arg === undefined) return [];
  const noun = cmd.parent?.name();
  const verb = cmd.name();
  const name = arg.name();
  if (verb === "completion") return ["bash", "zsh", "fish"];
  if (name === "subjects" || (verb === "tui" && arg.variadic)) return COMPLETION_EVENT_TYPES;
  if (/file|dir/.test(name)) return [FILES];
  if (noun === "context" && name === "name" && verb !== "add") return sources.contexts();
  if (noun === "stream" && name === "name" && verb !== "add") return sources.streams();
  if (noun === "consumer" && name === "stream") return sources.streams();
  if (noun === "consumer" && name === "name" && verb !== "add" && positional[0] !== undefined) return sources.consumers(positional[0]);
  return [];
}

/** The candidates for the last of `words` (the words after the program's name; the last may be ""). */
export async function completeWords(program: Command, words: string[], sources: CompletionSources): Promise<string[]> {
  let cmd = program;
  const positional: string[] = [];
  const current = words.at(-1) ?? "";
  let onlyArguments = false;
  for (let i = 0; i < words.length - 1; i++) {
    const word = words[i]!;
    if (!onlyArguments && word === "--") {
      onlyArguments = true;
      continue;
    }
    if (!onlyArguments && word.startsWith("-") && word !== "-") {
      const opt = findOption(cmd, word);
      if (opt && takesValue(opt) && !word.includes("=")) {
        if (i === words.length - 2) return filter(await valuesForOption(opt, sources), current);
        i++;
      }
      continue;
    }
    const sub = positional.length === 0 ? subcommandOf(cmd, word) : undefined;
    if (sub) cmd = sub;
    else positional.push(word);
  }
  if (!onlyArguments && current.startsWith("-")) {
    const flags = visibleOptions(cmd).flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
    return filter([...new Set([...flags, "--help"])], current);
  }
  const candidates: string[] = [];
  if (positional.length === 0 && cmd.commands.length > 0) {
    candidates.push(...cmd.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden).map((c) => c.name()));
  }
  candidates.push(...(await valuesForArgument(cmd, positional.length, positional, sources)));
  return filter(candidates, current);
}

function filter(candidates: string[], prefix: string): string[] {
  if (candidates[0] === FILES) return [FILES];
  return [...new Set(candidates.filter((c) => c.startsWith(prefix)))];
}
