// Standard output that cannot be written is a failure the user must hear about (`stream view > backup.ndjson` on
// a full disk must not exit 0), except a closed pipe: `| head -1` is the reader saying "enough".

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EIO: "input/output error",
  EBADF: "standard output is closed",
  EROFS: "read-only file system",
  EACCES: "permission denied",
};

export function isClosedReader(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === "EPIPE";
}

export function describeOutputError(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const reason = (e?.code && REASONS[e.code]) ?? e?.message ?? String(err);
  return `cannot write output: ${reason}${e?.code && REASONS[e.code] ? ` (${e.code})` : ""}`;
}

/** EPIPE: exit quietly with the status so far. Anything else: one line on stderr, exit 1. */
export function exitOnOutputError(err: unknown): never {
  if (isClosedReader(err)) process.exit(process.exitCode ?? 0);
  try {
    process.stderr.write(`nsm4home: ${describeOutputError(err)}\n`);
  } catch {
    // stderr gone too: the exit code is all that is left
  }
  process.exit(1);
}
