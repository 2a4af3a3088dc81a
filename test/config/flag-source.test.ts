import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/core/errors.js';
import { loadConfig } from '../../src/config/index.js';
import { configFlags, MIN_KEEP_DAYS } from '../../src/config/flag-source.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'tgc-flags-'));
const BASE = { TG_API_ID: '12345', TG_API_HASH: 'hash-SECRET-0001', TG_SESSION: 'session-SECRET-0002', CANARY_BOT: '@canary_bot' };

async function rejected(fn: () => Promise<unknown>): Promise<ValidationError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('CLI flags as a config source', () => {
  it('win over env and the config file once the schema accepts them', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'tg-canary.config.yaml'), 'run:\n  keepDays: 30\n  inconclusiveExitCode: 4\nserve:\n  port: 9000\n');
    const c = await loadConfig({
      env: { ...BASE, KEEP_DAYS: '60', SERVE_HOST: '0.0.0.0' }, cwd: dir,
      flags: configFlags({ keepDays: 14, inconclusiveExitCode: 0, port: 0, host: '127.0.0.1' }),
    });
    expect(c.run).toMatchObject({ keepDays: 14, inconclusiveExitCode: 0 });
    expect(c.serve).toMatchObject({ port: 0, host: '127.0.0.1' });
  });

  it('leave env and file alone when a flag is not given', async () => {
    const c = await loadConfig({ env: { ...BASE, KEEP_DAYS: '60' }, cwd: tmp(), flags: configFlags({ keepDays: undefined }) });
    expect(c.run.keepDays).toBe(60);
    expect(configFlags({})).toEqual([]);
  });

  it('reject --keep-days 0 (it would delete the history the verdict reads), naming the flag, the field and the fix', async () => {
    const err = await rejected(() => loadConfig({ env: BASE, cwd: tmp(), flags: configFlags({ keepDays: 0 }) }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.kind).toBe('config');
    expect(err.issues).toHaveLength(1);
    const [issue] = err.issues;
    expect(issue).toMatchObject({ file: 'flag', path: '--keep-days (run.keepDays)', message: `must be >= ${MIN_KEEP_DAYS}` });
    expect(issue?.hint).toMatch(/give --keep-days a valid value \(at least 7: the verdict reads earlier runs/);
    expect(issue?.hint).toMatch(/leave it out to use KEEP_DAYS/);
    expect(err.message).toBe(`flag: --keep-days (run.keepDays): must be >= 7 (fix: ${issue?.hint})`);
  });

  it('accepts the minimum keep-days and rejects one below it', async () => {
    await expect(loadConfig({ env: BASE, cwd: tmp(), flags: configFlags({ keepDays: MIN_KEEP_DAYS }) })).resolves.toMatchObject({ run: { keepDays: 7 } });
    const err = await rejected(() => loadConfig({ env: BASE, cwd: tmp(), flags: configFlags({ keepDays: MIN_KEEP_DAYS - 1 }) }));
    expect(err.issues.map((i) => i.path)).toEqual(['--keep-days (run.keepDays)']);
  });

  it('reject --inconclusive-exit-code 300 and report it with every other problem at once', async () => {
    const err = await rejected(() => loadConfig({
      env: { ...BASE, SMTP_PORT: '99999', SMTP_HOST: 'smtp', ALERT_EMAIL_FROM: 'a@b.c', ALERT_EMAIL_TO: 'd@e.f' }, cwd: tmp(),
      flags: configFlags({ inconclusiveExitCode: 300, port: 70_000 }),
    }));
    const byPath = Object.fromEntries(err.issues.map((i) => [`${i.file} ${i.path}`, i.message]));
    expect(byPath).toEqual({
      'flag --inconclusive-exit-code (run.inconclusiveExitCode)': 'must be <= 255',
      'flag --port (serve.port)': 'must be <= 65535',
      'env SMTP_PORT': 'must be <= 65535',
    });
    expect(err.issues.find((i) => i.path.startsWith('--inconclusive'))?.hint).toMatch(/an exit code is 0\.\.255/);
  });

  it('never echo a secret, even when a flag is rejected', async () => {
    const err = await rejected(() => loadConfig({ env: BASE, cwd: tmp(), flags: configFlags({ host: '' }) }));
    expect(err.issues[0]).toMatchObject({ file: 'flag', path: '--host (serve.host)' });
    expect(err.message).not.toMatch(/SECRET/);
  });
});
