/** The `maintenance:` section of the config file (issue 17): defaults, one-off and cron windows, errors with hints. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/core/errors.js';
import { loadConfig } from '../../src/config/index.js';

const BASE = { TG_API_ID: '12345', TG_API_HASH: 'hash', TG_SESSION: 'session', CANARY_BOT: '@canary_bot' };

function withFile(yaml: string): { file: string; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'tgc-maint-'));
  const file = join(cwd, 'c.yaml');
  writeFileSync(file, yaml);
  return { file, cwd };
}

describe('maintenance config', () => {
  it('defaults to pause with no windows, and reads one-off and recurring windows', async () => {
    expect((await loadConfig({ env: BASE, cwd: withFile('').cwd })).maintenance).toEqual({ mode: 'pause', windows: [] });
    const { file, cwd } = withFile(`maintenance:
  mode: run-silently
  windows:
    - { name: upgrade, start: "2026-12-24T22:00:00Z", end: "2026-12-25T02:00:00Z" }
    - { name: weekly, cron: "0 3 * * sun", duration: 2h, mode: pause, match: { target: canary, suite: rag } }
`);
    const c = await loadConfig({ env: BASE, file, cwd });
    expect(c.maintenance.mode).toBe('run-silently');
    expect(c.maintenance.windows).toEqual([
      { name: 'upgrade', start: Date.UTC(2026, 11, 24, 22), end: Date.UTC(2026, 11, 25, 2), match: {} },
      { name: 'weekly', cron: '0 3 * * sun', duration: 7_200_000, mode: 'pause', match: { target: 'canary', suite: 'rag' } },
    ]);
  });

  it('names the key and gives a hint for a bad window', async () => {
    const cases: [string, RegExp][] = [
      ['{ name: a, cron: "0 3 * *", duration: 2h }', /cron.*5-field cron/],
      ['{ name: a, start: "2026-12-24T22:00:00Z" }', /needs either start and end/],
      ['{ name: a, start: "2026-12-25T00:00:00Z", end: "2026-12-24T00:00:00Z" }', /needs either start and end \(end after start\)/],
      ['{ name: a, start: "yesterday", end: "2026-12-24T00:00:00Z" }', /start.*is not a date-time/],
      ['{ name: a, cron: "0 3 * * *", duration: 8d }', /duration.*at most 7d/],
      ['{ name: a, cron: "0 3 * * *", duration: 1h, match: { target: prod } }', /match\.target/],
    ];
    for (const [w, re] of cases) {
      const { file, cwd } = withFile(`maintenance:\n  windows:\n    - ${w}\n`);
      const e = await loadConfig({ env: BASE, file, cwd }).then(() => undefined, (x: unknown) => x);
      expect(e, w).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).message, w).toMatch(re);
      expect((e as ValidationError).message, w).toMatch(/maintenance\.windows/);
    }
  });
});
