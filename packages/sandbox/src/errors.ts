/**
 * The sandbox's errors: a stable code, a kind and a hint, like tg-canary's own (which the sandbox does not
 * import: it is its own package). tg-canary's CLI turns them into its errors where it starts the sandbox.
 */
export type SandboxErrorKind = 'config' | 'usage' | 'infra' | 'internal';

export interface SandboxErrorOptions {
  kind: SandboxErrorKind;
  hint?: string;
  cause?: unknown;
  /** File the problem is in (fault file, bot module). */
  file?: string;
  /** Key path inside that file, e.g. `faults[2].ms`. */
  path?: string;
}

export class SandboxError extends Error {
  readonly code: string;
  readonly kind: SandboxErrorKind;
  readonly hint?: string;
  readonly file?: string;
  readonly path?: string;

  constructor(code: string, message: string, opts: SandboxErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SandboxError';
    this.code = code;
    this.kind = opts.kind;
    this.hint = opts.hint;
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

/** One problem in a fault file; the loader collects all of them and throws once. */
export interface SandboxIssue {
  file: string;
  path: string;
  message: string;
  hint?: string;
  line?: number;
}

export class SandboxValidationError extends SandboxError {
  readonly issues: SandboxIssue[];
  constructor(code: string, issues: SandboxIssue[], hint?: string) {
    super(code, SandboxValidationError.render(issues), { kind: 'config', hint });
    this.name = 'SandboxValidationError';
    this.issues = issues;
  }

  static render(issues: SandboxIssue[]): string {
    return issues
      .map((i) => {
        const loc = i.line === undefined ? i.file : `${i.file}:${i.line}`;
        const fix = i.hint ? ` (fix: ${i.hint})` : '';
        return `${loc}: ${i.path || '(root)'}: ${i.message}${fix}`;
      })
      .join('\n');
  }
}

export function isSandboxError(e: unknown): e is SandboxError {
  return e instanceof SandboxError;
}
