/**
 * The sandbox is its own package with its own errors (code, kind, hint, like ours); where the CLI starts it, they
 * become tg-canary errors, so they print and exit like every other one (a bad fault file: exit 2, its issues).
 */
import { SandboxError, SandboxValidationError } from '@tg-canary/sandbox/errors';
import { TgCanaryError, ValidationError } from '../core/errors.js';

export function fromSandboxError(e: unknown): unknown {
  if (e instanceof SandboxValidationError) {
    const out = new ValidationError(e.code, e.issues, e.hint);
    (out as { cause?: unknown }).cause = e;
    return out;
  }
  if (e instanceof SandboxError) {
    return new TgCanaryError(e.code, e.message, { kind: e.kind, hint: e.hint, file: e.file, path: e.path, cause: e });
  }
  return e;
}
