// Small pieces every command file uses: the global connection flags, JSON output, and stdout writes.
import type { Command } from "commander";
import type { ConnectionFlags } from "../nats/connection.js";

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
    context: all.context as string | boolean | undefined,
  };
}

/** Pretty JSON for API objects (`--json`), one document. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Collects a repeatable flag (`--subjects a --subjects b,c`) into a list. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return [...(previous ?? []), ...items];
}

/** Waits until everything written to stdout has been handed to the OS (process.exit on a pipe loses it). */
export function flushStdout(): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.writableLength === 0) resolve();
    else process.stdout.write("", () => resolve());
  });
}
