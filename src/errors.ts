// Errors a user can act on. The CLI layer prints their message as one line on stderr and exits with their code;
// anything else is a bug and gets a stack trace only with NSM4HOME_DEBUG=1.

/** Bad flags, arguments or expressions: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Something failed at run time (server unreachable, stream missing, timeout): exit code 1. */
export class RuntimeError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "RuntimeError";
    this.exitCode = exitCode;
  }
}

export function isUserFacingError(err: unknown): err is UsageError | RuntimeError {
  return err instanceof UsageError || err instanceof RuntimeError;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
