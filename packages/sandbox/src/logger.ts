/**
 * The logger the sandbox writes to: the four levels of pino's API (an object of fields, then a message), so a
 * pino logger fits as it is, and the sandbox itself depends on no logging library.
 */
export interface SandboxLogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

export interface SandboxLogger {
  debug: SandboxLogFn;
  info: SandboxLogFn;
  warn: SandboxLogFn;
  error: SandboxLogFn;
}

const drop: SandboxLogFn = (): void => undefined;

/** A logger that drops everything (the default: tests, library use). */
export function silentLogger(): SandboxLogger {
  return { debug: drop, info: drop, warn: drop, error: drop };
}
