/**
 * The sandbox is its own package with its own errors (code, kind, hint, like ours); where the CLI starts it, they
 * become tg-canary errors, so they print and exit like every other one (a bad fault file: exit 2, its issues).
 */
import { SandboxError, SandboxValidationError } from '@tg-canary/sandbox/errors';
import { TgCanaryError, ValidationError } from '../core/errors.js';
import { isErrorCode, type ErrorCode } from '../core/error-codes.js';

/** The sandbox's code when the catalogue knows it (every SANDBOX_* code it throws is there), else SANDBOX_ERROR. */
const codeOf = (code: string): ErrorCode => (isErrorCode(code) ? code : 'SANDBOX_ERROR');

export function fromSandboxError(e: unknown): unknown {
  if (e instanceof SandboxValidationError) {
    const out = new ValidationError(codeOf(e.code), e.issues, e.hint);
    (out as { cause?: unknown }).cause = e;
    return out;
  }
  if (e instanceof SandboxError) {
    return new TgCanaryError(codeOf(e.code), e.code === codeOf(e.code) ? e.message : `${e.code}: ${e.message}`, { kind: e.kind, hint: e.hint, file: e.file, path: e.path, cause: e });
  }
  return e;
}
