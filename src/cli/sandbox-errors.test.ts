import { SandboxError, SandboxValidationError } from '@tg-canary/sandbox';
import { describe, expect, it } from 'vitest';
import { TgCanaryError, ValidationError } from '../core/errors.js';
import { describeError, exitCodeForError } from './fatal.js';
import { fromSandboxError } from './sandbox-errors.js';

describe('fromSandboxError', () => {
  it('turns a sandbox error into a tg-canary error with the same code, kind, hint, place and the original as cause', () => {
    const original = new SandboxError('SANDBOX_BOT_INVALID', 'bot x_bot: not a bot', { kind: 'config', hint: 'export a bot', file: 'x.mjs', path: 'default' });
    const e = fromSandboxError(original);
    expect(e).toBeInstanceOf(TgCanaryError);
    const t = e as TgCanaryError;
    expect([t.code, t.kind, t.hint, t.file, t.path, t.message]).toEqual(['SANDBOX_BOT_INVALID', 'config', 'export a bot', 'x.mjs', 'default', 'bot x_bot: not a bot']);
    expect(t.cause).toBe(original);
    expect(exitCodeForError(e)).toBe(2);
    expect(describeError(e)).toBe('tg-canary: x.mjs: default: bot x_bot: not a bot\n  hint: export a bot [SANDBOX_BOT_INVALID]');
  });

  it('keeps a fault file\'s issues, so the CLI lists every problem', () => {
    const issues = [
      { file: 'f.yaml', path: 'faults[0].error', message: 'Required' },
      { file: 'f.yaml', path: 'faults[1].kind', message: 'Invalid option' },
    ];
    const e = fromSandboxError(new SandboxValidationError('SANDBOX_BAD_FAULTS', issues, 'see the README'));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues).toEqual(issues);
    expect(describeError(e)).toMatch(/^tg-canary: 2 problems \[SANDBOX_BAD_FAULTS\]:\nf\.yaml: faults\[0\]\.error: Required\n/);
  });

  it('leaves every other error as it is', () => {
    const plain = new Error('boom');
    const ours = new TgCanaryError('TESTER_ERROR', 'y', { kind: 'infra' });
    expect(fromSandboxError(plain)).toBe(plain);
    expect(fromSandboxError(ours)).toBe(ours);
    expect(fromSandboxError('text')).toBe('text');
  });
});
