/**
 * An error the user can act on: bad input or a set-up problem. The CLI prints its message without
 * a stack trace and exits with `exitCode` (2 by convention: bad input or set-up failure).
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options?.exitCode ?? 2;
  }
}

/** Prefixes a message the way every supportdrill error reads: `[supportdrill] [scope] …`. */
export function prefixed(scope: string | undefined, message: string): string {
  return scope ? `[supportdrill] [${scope}] ${message}` : `[supportdrill] ${message}`;
}
