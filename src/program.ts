// Builds the commander program from the command modules. Cold start matters (`--version`, `--help`): nothing
// here, nor in src/commands/*, may import NATS, Ink, React or Redis at module top level; actions import them.
import { Command, CommanderError, Option } from "commander";
import { errorMessage, isUserFacingError } from "./errors.js";
import { commandModules } from "./commands/index.js";
import { applyOldSpellings } from "./commands/old-spellings.js";
import { VERSION } from "./version.js";
import { exitOnOutputError } from "./render/output-error.js";
import { sanitizeText } from "./text/sanitize.js";

function addConnectionOptions(program: Command): void {
  program
    .option("-s, --server <urls>", "NATS server URLs, comma separated (env NATS_URL; default nats://127.0.0.1:4222)")
    .option("--user <name>", "username (env NATS_USER)")
    .option("--password <secret>", "password (env NATS_PASSWORD)")
    .option("--token <secret>", "authentication token (env NATS_TOKEN)")
    .option("--creds <file>", "user credentials file, JWT + nkey seed (env NATS_CREDS)")
    .option("--nkey <file>", "user nkey seed file (env NATS_NKEY)")
    .option("--tlscert <file>", "TLS client certificate (env NATS_CERT)")
    .option("--tlskey <file>", "TLS client key (env NATS_KEY)")
    .option("--tlsca <file>", "CA certificate to verify the server (env NATS_CA)")
    .option("--tlsfirst", "TLS handshake before the NATS INFO (server option handshake_first)")
    .option("--timeout <duration>", "time to wait for connections and responses, e.g. 5s (env NATS_TIMEOUT)")
    .option("--js-domain <domain>", "JetStream domain to reach, e.g. a hub's or a sensor's (env NATS_JS_DOMAIN)")
    .option("--js-api-prefix <prefix>", "subject prefix of the JetStream API, e.g. $JS.hub.API (env NATS_JS_API_PREFIX)")
    .option("--inbox-prefix <prefix>", "prefix of reply subjects, for accounts that allow only some (env NATS_INBOX_PREFIX)")
    .option("--context <name>", "natscli context to use (env NATS_CONTEXT; default: the selected one)")
    .option("--no-context", "ignore natscli contexts")
    .option("--trace", "show each JetStream API request and reply on stderr (>>> / <<<)")
    .option("--trace-data", "with --trace, the data messages too (events published and delivered)")
    .option("--trace-file <file>", "append the trace to FILE instead of stderr (env NSM4HOME_TRACE_FILE)");
}

export function buildProgram(): Command {
  const program = new Command("nsm4home");
  program
    .description("Suricata EVE events over NATS JetStream: provision, tail, dashboard, ingest")
    .version(VERSION, "-v, --version")
    // -V too, as most CLIs built on commander have it (cli.ts answers it alone; this is for -V after other flags).
    .addOption(new Option("-V", "output the version number").hideHelp())
    .on("option:V", () => {
      process.stdout.write(`${VERSION}\n`);
      throw new CommanderError(0, "commander.version", VERSION);
    })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`nsm4home: ${text.replace(/^error: /, "").trim()}\n`),
    });
  addConnectionOptions(program);
  for (const register of commandModules) register(program);
  program.hook("preAction", (_program, actionCommand) => applyOldSpellings(actionCommand));
  program.addHelpText(
    "after",
    "\nExamples:\n  nsm4home demo                         run everything against a local nats-server\n  nsm4home tail dns --filter \"dns.type == 'query'\"\n  nsm4home stream add --defaults        create the 'suricata' stream\n  nsm4home tui                          dashboard of dns, flow, tls and stats\n",
  );
  return program;
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version are exits, not failures; every other commander error is a usage error.
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  if (isUserFacingError(err)) return err.exitCode;
  return 1;
}

export async function main(argv: string[]): Promise<void> {
  // `nsm4home tail | head -1`: a closed pipe is the reader saying "enough", not an error.
  // Any other write failure (a full disk) is one line and exit 1, never a stack trace or a silent exit 0.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => exitOnOutputError(err));
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = exitCodeFor(err);
    if (!(err instanceof CommanderError)) {
      if (isUserFacingError(err)) {
        // Messages can quote what a server or an event said: every line goes through the sanitiser.
        process.stderr.write(`nsm4home: ${errorMessage(err).split("\n").map(sanitizeText).join("\n")}\n`);
      } else if (process.env.NSM4HOME_DEBUG) {
        process.stderr.write(`nsm4home: ${(err as Error)?.stack ?? String(err)}\n`);
      } else {
        process.stderr.write(`nsm4home: ${sanitizeText(errorMessage(err).split("\n")[0]!)} (set NSM4HOME_DEBUG=1 for details)\n`);
      }
    }
    process.exitCode = code;
  }
}



