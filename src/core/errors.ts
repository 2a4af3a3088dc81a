/**
 * Errors with a stable code and a hint (vitest style). `kind` keeps "the bot failed" apart from
 * "we or Telegram failed": only `bot` may ever make a scenario `fail`.
 */
import { errorSpec, type ErrorCode } from './error-codes.js';
import type { ErrorKind } from './error-kind.js';

export type { ErrorKind } from './error-kind.js';
export type { ErrorCode } from './error-codes.js';

export interface TgCanaryErrorOptions {
  /** Default: the catalogue's kind for the code. */
  kind?: ErrorKind;
  /** Default: the catalogue's hint for the code. */
  hint?: string;
  cause?: unknown;
  /** File the problem is in (config, scenario, bot module). */
  file?: string;
  /** Key path inside that file, e.g. `steps[2].expect.timeout`. */
  path?: string;
}

export class TgCanaryError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly hint: string;
  readonly file?: string;
  readonly path?: string;

  constructor(code: ErrorCode, message: string, opts: TgCanaryErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TgCanaryError';
    this.code = code;
    this.kind = opts.kind ?? errorSpec(code).kind;
    this.hint = opts.hint ?? errorSpec(code).hint;
    this.file = opts.file;
    this.path = opts.path;
  }

  /** One line for humans: `file: path: message (hint)`. */
  describe(): string {
    const where = [this.file, this.path].filter(Boolean).join(': ');
    const head = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }
}

/** One config or scenario problem; loaders collect all of them and throw once. */
export interface Issue {
  file: string;
  path: string;
  message: string;
  hint?: string;
  line?: number;
}

export class ValidationError extends TgCanaryError {
  readonly issues: Issue[];
  constructor(code: ErrorCode, issues: Issue[], hint?: string) {
    super(code, ValidationError.render(issues), { kind: 'config', hint });
    this.name = 'ValidationError';
    this.issues = issues;
  }

  static render(issues: Issue[]): string {
    return issues
      .map((i) => {
        const loc = i.line === undefined ? i.file : `${i.file}:${i.line}`;
        const fix = i.hint ? ` (fix: ${i.hint})` : '';
        return `${loc}: ${i.path || '(root)'}: ${i.message}${fix}`;
      })
      .join('\n');
  }
}

export function isTgCanaryError(e: unknown): e is TgCanaryError {
  return e instanceof TgCanaryError;
}

/** Infrastructure failure: makes a scenario `error` and a run inconclusive, never a rollback. */
export function infraError(code: ErrorCode, message: string, hint?: string, cause?: unknown): TgCanaryError {
  return new TgCanaryError(code, message, { kind: 'infra', hint, cause });
}

export function configError(code: ErrorCode, message: string, hint?: string, file?: string, path?: string): TgCanaryError {
  return new TgCanaryError(code, message, { kind: 'config', hint, file, path });
}

/** Exit codes: a stable contract for Kubernetes Jobs and Argo's job provider. */
export const EXIT = { pass: 0, fail: 1, usage: 2, inconclusive: 3 } as const;
