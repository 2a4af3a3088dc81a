/**
 * The `pairs:` config through the real loader (a YAML file on disk): each pair's view of the config (bots, verdict
 * overrides, alert routing, history file, reports), and the errors a wrong list gets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { ValidationError } from '../../src/core/errors.js';
import { configPairs, pairConfig, pairDbPath } from '../../src/config/pair-config.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-pairs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { TG_API_ID: '1', TG_API_HASH: 'hash', TG_SESSION: 'session-string' };

async function load(yaml: string, env: Record<string, string> = {}): Promise<ReturnType<typeof loadConfig>> {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return loadConfig({ env: { ...ENV, ...env }, file, cwd: dir });
}

async function issues(yaml: string, env: Record<string, string> = {}): Promise<string> {
  try {
    await load(yaml, env);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => `${i.file}:${i.line ?? ''} ${i.path}: ${i.message} (${i.hint ?? ''})`).join('\n');
    throw e;
  }
  throw new Error('the config loaded');
}

describe('pairs config', () => {
  it('each pair gets its own bots, thresholds, alert routes, history file and report folder', async () => {
    const config = await load([
      'paths: { db: ./data/tg-canary.db, reports: ./reports }',
      'alerts:',
      '  email: { host: smtp.example.com, from: canary@example.com, to: [all@example.com] }',
      '  slack: { webhookUrl: "https://hooks.slack.com/services/T/B/x" }',
      'pairs:',
      '  - { name: shop, canary: "@shop_canary_bot", stable: shop_bot, verdict: { rollbackAfter: 3 }, alerts: { channels: [email], emailTo: [shop@example.com] } }',
      '  - { name: default, canary: main_canary_bot, suites: [favor], scenarios: "convert*" }',
      '',
    ].join('\n'));
    const [shop, main] = configPairs(config);
    expect(shop?.name).toBe('shop');
    const s = pairConfig(config, shop as NonNullable<typeof shop>);
    expect(s.targets).toEqual({ canary: 'shop_canary_bot', stable: 'shop_bot' });
    expect(s.verdict.rollbackAfter).toBe(3);
    expect(s.verdict.flakyFlips).toBe(config.verdict.flakyFlips);
    expect(s.alerts.email?.to).toEqual(['shop@example.com']);
    expect(s.alerts.slack).toBeUndefined();
    expect(s.paths.db).toBe(join('data', 'tg-canary.shop.db'));
    expect(s.paths.reports).toBe(join('reports', 'shop'));
    const m = pairConfig(config, main as NonNullable<typeof main>);
    // the `default` pair keeps paths.db (existing history), its own filter, and every alert channel
    expect(m.paths.db).toBe('./data/tg-canary.db');
    expect(m.targets).toEqual({ canary: 'main_canary_bot' });
    expect(m.alerts.slack).toBeDefined();
    expect(main?.suites).toEqual(['favor']);
    expect(config.alerts.email?.to).toEqual(['all@example.com']);
  });

  it('without pairs, the single-pair config is one implicit pair named default on paths.db', async () => {
    const config = await loadConfig({ env: { ...ENV, CANARY_BOT: 'a_canary_bot', STABLE_BOT: 'a_bot' }, cwd: dir });
    expect(configPairs(config)).toEqual([{ name: 'default', canary: 'a_canary_bot', stable: 'a_bot' }]);
    expect(pairConfig(config, { name: 'default', canary: 'a_canary_bot', stable: 'a_bot' }).paths.db).toBe(config.paths.db);
    expect(pairDbPath('/x/y/history.sqlite', 'shop')).toBe('/x/y/history.shop.sqlite');
    expect(pairDbPath('/x/y/history', 'shop')).toBe('/x/y/history.shop.db');
  });

  it('pairs with targets.canary in the file: an error on pairs naming the file, the line and the fix', async () => {
    const text = await issues('targets: { canary: a_canary_bot }\npairs:\n  - { name: shop, canary: shop_canary_bot }\n');
    expect(text).toMatch(/\.yaml:2 pairs: is set together with targets\.canary/);
    expect(text).toMatch(/remove targets\.canary/);
  });

  it('a pair without a canary, an unknown channel and a bad bot name are refused with their field', async () => {
    const text = await issues([
      'pairs:',
      '  - { name: a, stable: a_bot }',
      '  - { name: b, canary: b_canary_bot, alerts: { channels: [fax] } }',
      '  - { name: c, canary: "not a bot" }',
      '',
    ].join('\n'));
    expect(text).toMatch(/pairs\[0\]\.canary/);
    expect(text).toMatch(/pairs\[1\]\.alerts\.channels\[0\]/);
    expect(text).toMatch(/pairs\[2\]\.canary: is not a Telegram username/);
  });
});
