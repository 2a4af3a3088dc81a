/** Turns any error that reaches the top into a message on stderr and an exit code from the stable contract. */
import { EXIT, TgCanaryError, ValidationError } from '../core/errors.js';
import { safeText } from '../util/terminal-text.js';

export function exitCodeForError(e: unknown): number {
  if (e instanceof TgCanaryError) {
    if (e.kind === 'config' || e.kind === 'usage') return EXIT.usage;
    return EXIT.inconclusive;
  }
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' && e.code.startsWith('commander.')) return EXIT.usage;
  return EXIT.inconclusive;
}

export function describeError(e: unknown): string {
  if (e instanceof ValidationError) {
    return `tg-canary: ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'} [${e.code}]:\n${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`;
  }
  if (e instanceof TgCanaryError) return `tg-canary: ${e.describe()} [${e.code}]`;
  if (e instanceof Error) return `tg-canary: unexpected error: ${e.message}`;
  return `tg-canary: unexpected error: ${String(e)}`;
}

export function fail(e: unknown): never {
  process.stderr.write(`${safeText(describeError(e))}\n`);
  process.exit(exitCodeForError(e));
}
