/**
 * A fleet on the PostgreSQL store through the real CLI (issue 19 points 1 and 5): two pairs share one database, each
 * pair's history in its own schema (`tg_canary_pair_<name>`), the peer cache in the connection's schema; `history
 * --pair` reads each pair back from PostgreSQL, and the broken pair's failure stays in its own schema.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SKIP_REASON, startPostgres, type PgCluster } from '../support/postgres.js';
import { convertScenario } from '../support/scenarios.js';
import { createWorld, type World } from './harness.js';

let w: World;
let cluster: PgCluster | undefined;

beforeAll(async () => {
  if (PG_SKIP_REASON) return;
  cluster = await startPostgres();
  w = await createWorld({ bots: { shop_canary_bot: 'builtin:canary_bot', shop_stable_bot: 'builtin:stable_bot', news_canary_bot: 'builtin:canary_bot', news_stable_bot: 'builtin:stable_bot' } });
  await w.sandbox.setBot('news_canary_bot', { async onMessage(msg, chat) { await chat.reply('about 9 miles, roughly', { replyTo: msg.id }); } });
  w.writeScenario('convert', convertScenario({ targets: ['canary', 'stable'], expectTimeout: '3s', repeat: 3 }));
}, 120_000);
afterAll(async () => {
  await w?.close();
  cluster?.stop();
});

interface FleetJson { verdict: string; pairs: { pair: string; verdict: { verdict: string } | null }[] }
interface HistoryJson { runs: { verdict: string }[] }

describe.skipIf(PG_SKIP_REASON !== undefined)('a fleet on PostgreSQL', () => {
  it('each pair keeps its history in its own schema of the shared database; history --pair reads it back', async () => {
    if (!cluster) throw new Error('no cluster');
    const db = cluster.createDatabase();
    const config = join(w.dir, 'fleet-pg.yaml');
    writeFileSync(config, [
      'pairs:',
      '  - { name: shop, canary: shop_canary_bot, stable: shop_stable_bot }',
      '  - { name: news-desk, canary: news_canary_bot, stable: news_stable_bot }',
      '',
    ].join('\n'));
    const env = { TG_CANARY_DATABASE_URL: cluster.url(db), CANARY_BOT: '', STABLE_BOT: '' };
    const run = await w.cli(['run', '--json', '--config', config], env, { timeoutMs: 150_000 });
    const out = JSON.parse(run.stdout) as FleetJson;
    expect(Object.fromEntries(out.pairs.map((p) => [p.pair, p.verdict?.verdict])), run.stderr).toStrictEqual({ shop: 'pass', 'news-desk': 'fail' });
    expect(run.code).toBe(1);

    const schemas = cluster.psql(db, "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'tg_canary_pair_%' ORDER BY 1").trim().split('\n');
    expect(schemas).toStrictEqual(['tg_canary_pair_news_desk', 'tg_canary_pair_shop']);
    expect(cluster.psql(db, 'SELECT verdict FROM tg_canary_pair_shop.runs').trim()).toBe('pass');
    expect(cluster.psql(db, 'SELECT verdict FROM tg_canary_pair_news_desk.runs').trim()).toBe('fail');
    // the main schema keeps the account-wide data (the peer cache), no pair's runs
    expect(Number(cluster.psql(db, 'SELECT count(*) FROM public.peer_cache').trim())).toBeGreaterThanOrEqual(4);
    expect(cluster.psql(db, 'SELECT count(*) FROM public.runs').trim()).toBe('0');

    for (const [pair, verdict] of [['shop', 'pass'], ['news-desk', 'fail']] as const) {
      const h = await w.cli(['history', '--json', '--config', config, '--pair', pair], env);
      expect(h.code, h.stderr).toBe(0);
      expect((JSON.parse(h.stdout) as HistoryJson).runs.map((r) => r.verdict)).toStrictEqual([verdict]);
    }
  }, 200_000);
});
