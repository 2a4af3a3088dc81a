/**
 * CLI flags are a config source validated by the same schema as env and file: a bad flag is a config error (exit 2)
 * naming the flag, the field and the fix, and nothing runs (no store is opened, no earlier run is pruned).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-flags-'));
const db = join(dir, 'db', 'tg-canary.db');
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  TG_API_ID: '12345',
  TG_API_HASH: '0123456789abcdef0123456789abcdef',
  TG_SESSION: 'not-a-real-session-SECRET',
  CANARY_BOT: '@canary_bot',
  TG_CANARY_DB: db,
  SCENARIOS_DIR: join(dir, 'scenarios'),
  REPORTS_DIR: join(dir, 'reports'),
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config flags on the command line', () => {
  it('run --keep-days 0 is a config error (exit 2) naming the flag, the field and the fix; nothing is pruned', async () => {
    const r = await runCli(['run', '--keep-days', '0'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CONFIG_INVALID]');
    expect(r.stderr).toContain('flag: --keep-days (run.keepDays): must be >= 7 (fix: give --keep-days a valid value (at least 7: the verdict reads earlier runs');
    expect(r.stderr).not.toContain('SECRET');
    expect(existsSync(db)).toBe(false);
  });

  it('run --inconclusive-exit-code 300 is a config error (exit 2)', async () => {
    const r = await runCli(['run', '--inconclusive-exit-code', '300'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('flag: --inconclusive-exit-code (run.inconclusiveExitCode): must be <= 255');
    expect(r.stderr).toMatch(/fix: give --inconclusive-exit-code a valid value \(an exit code is 0\.\.255\); or leave it out to use INCONCLUSIVE_EXIT_CODE/);
  });

  it('serve --port 70000 is a config error (exit 2), before anything listens', async () => {
    const r = await runCli(['serve', '--port', '70000'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('flag: --port (serve.port): must be <= 65535');
    expect(existsSync(db)).toBe(false);
  });
});
