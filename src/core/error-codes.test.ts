import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODE_FAMILIES, ERROR_CODES, errorSpec, isErrorCode } from './error-codes.js';
import { configError, TgCanaryError, ValidationError } from './errors.js';

describe('the error catalogue', () => {
  it('gives every code a kind and a hint', () => {
    for (const [code, spec] of Object.entries({ ...ERROR_CODES, ...ERROR_CODE_FAMILIES })) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_?$/);
      expect(['config', 'usage', 'infra', 'bot', 'internal']).toContain(spec.kind);
      expect(spec.hint.length, code).toBeGreaterThan(10);
    }
  });

  it('fills kind and hint from the catalogue; a call site may sharpen the hint', () => {
    const e = new TgCanaryError('TG_RPC_TIMEOUT', 'Telegram did not answer');
    expect(e.kind).toBe('infra');
    expect(e.hint).toBe(ERROR_CODES.TG_RPC_TIMEOUT.hint);
    expect(new TgCanaryError('TG_RPC_TIMEOUT', 'x', { hint: 'wait' }).hint).toBe('wait');
    expect(configError('SCHEDULE_INVALID', 'bad cron').describe()).toBe(`bad cron\n  hint: ${ERROR_CODES.SCHEDULE_INVALID.hint}`);
    expect(new ValidationError('SCENARIO_NONE_MATCHED', [{ file: 'd', path: 'name', message: 'none' }]).hint).toBe(ERROR_CODES.SCENARIO_NONE_MATCHED.hint);
  });

  it('knows the families that carry a status', () => {
    expect(isErrorCode('DELIVERY_HTTP_503')).toBe(true);
    expect(isErrorCode('TELEGRAM_BOT_API_401')).toBe(true);
    expect(isErrorCode('DELIVERY_HTTP_')).toBe(false);
    expect(isErrorCode('SCENARIOS_EMPTY')).toBe(false);
    expect(isErrorCode('NO_SCENARIOS')).toBe(false);
    expect(errorSpec('DELIVERY_HTTP_503')).toBe(ERROR_CODE_FAMILIES.DELIVERY_HTTP_);
    expect(new TgCanaryError('TELEGRAM_BOT_API_401', 'refused').kind).toBe('infra');
  });

  it('refuses a free string at compile time', () => {
    // @ts-expect-error not a catalogue code
    const e = new TgCanaryError('SOMETHING_NEW', 'x');
    expect(e.kind).toBe('internal'); // at run time an unknown code falls back to TESTER_ERROR's entry
  });

  it('holds every code the README names', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const code of ['DB_CORRUPT', 'DB_FULL', 'DB_TOO_NEW', 'DB_UNWRITABLE', 'SESSION_LEASE_HELD', 'TG_FLOOD_WAIT', 'TG_SESSION_INVALID']) {
      expect(readme).toContain(code);
      expect(isErrorCode(code)).toBe(true);
    }
  });
});
