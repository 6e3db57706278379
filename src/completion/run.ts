// `nsm4home __complete -- WORDS...`: what the shell scripts call on each Tab. Names from the server only when it
// answers within a short time (a Tab must never hang); any failure means no names, never an error on the screen.
import type { Command } from "commander";
import { completeWords, type CompletionSources } from "./complete.js";

const SERVER_TIMEOUT_MS = 800;

/** The connection flags among the typed words (-s URL, --context NAME, ...), as the command itself would use them. */
function typedConnectionFlags(program: Command, words: string[]): import("../nats/connection/index.js").ConnectionFlags {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < words.length - 1; i++) {
    const opt = program.options.find((o) => o.long === words[i] || o.short === words[i]);
    if (!opt) continue;
    const key = opt.attributeName();
    if (opt.required || opt.optional) flags[key] = words[++i] ?? "";
    else flags[key] = !opt.negate;
  }
  return { ...flags, timeout: `${SERVER_TIMEOUT_MS}ms` } as import("../nats/connection/index.js").ConnectionFlags;
}

function withDeadline<T>(work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), SERVER_TIMEOUT_MS * 2)));
  return Promise.race([work.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

export function serverSources(program: Command, words: string[], contexts: () => string[]): CompletionSources & { close(): Promise<void> } {
  let session: Promise<{ close(): Promise<void>; jsm: import("@nats-io/jetstream").JetStreamManager } | undefined> | undefined;
  const open = () =>
    (session ??= (async () => {
      const { resolveConnectionOptions, connectNats } = await import("../nats/connection/index.js");
      const { openJetStreamManager } = await import("../nats/jetstream.js");
      const resolved = resolveConnectionOptions(typedConnectionFlags(program, words));
      const nc = await connectNats(resolved, { onStatus: null });
      return { close: () => nc.close(), jsm: await openJetStreamManager(nc, resolved) };
    })().catch(() => undefined));
  return {
    streams: () =>
      withDeadline(
        (async () => {
          const s = await open();
          if (!s) return [];
          const names: string[] = [];
          for await (const name of s.jsm.streams.names()) names.push(name);
          return names.sort();
        })(),
        [],
      ),
    consumers: (stream: string) =>
      withDeadline(
        (async () => {
          const s = await open();
          if (!s) return [];
          const names: string[] = [];
          for await (const ci of s.jsm.consumers.list(stream)) names.push(ci.name);
          return names.sort();
        })(),
        [],
      ),
    contexts: () => {
      try {
        return contexts();
      } catch {
        return [];
      }
    },
    close: async () => {
      const s = await (session ?? Promise.resolve(undefined));
      await s?.close().catch(() => undefined);
    },
  };
}

export async function runComplete(argv: string[]): Promise<void> {
  const words = argv[0] === "--" ? argv.slice(1) : argv;
  const { buildProgram } = await import("../program.js");
  const { listContextNames } = await import("../nats/context.js");
  const program = buildProgram();
  const sources = serverSources(program, words, () => listContextNames());
  try {
    const candidates = await completeWords(program, words.length === 0 ? [""] : words, sources);
    // Names come from a server or files anyone may have named: one line each, nothing a terminal would act on.
    const safe = candidates.filter((c) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(c));
    process.stdout.write(safe.map((c) => `${c}\n`).join(""));
  } finally {
    await sources.close();
  }
}
