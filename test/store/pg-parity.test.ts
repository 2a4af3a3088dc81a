/**
 * The reads beyond the store contract (status snapshot, daily history and uptime, incidents) give the same answer
 * on PostgreSQL as on SQLite for the same runs, including sub-millisecond times (the runner's clock) and runs
 * late in a UTC day (day buckets truncate, never round). Also checks a SqlRunStore is usable where code names
 * SqliteRunStore (type level, see tsconfig.test.json).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/types.js';
import { openStore, type SqlRunStore, type SqliteRunStore } from '../../src/store/index.js';
import { PG_SKIP_REASON, startPostgres } from '../support/postgres.js';
import { runResult, tempDir } from './fixtures.js';

const DAY = 86_400_000;
const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 15, 0);
const TODAY = Date.UTC(2026, 11, 1);

const cluster = PG_SKIP_REASON ? undefined : await startPostgres();
afterAll(() => cluster?.stop());

function add(store: SqlRunStore, id: string, at: number, canary: Verdict): void {
  const r = runResult(id, at, { canary });
  r.scenarios.forEach((s, k) => {
    s.startedAt += 0.3721;
    s.latencyMs.final = 100 * (k + 1) + at / DAY;
  });
  store.beginRun({ runId: id, startedAt: at });
  for (const s of r.scenarios) store.saveScenario(id, s);
  store.finishRun(r);
}

function seed(store: SqlRunStore): void {
  const plan: [number, Verdict][] = [[-3 * DAY + 10 * H, 'pass'], [-3 * DAY + 23.9 * H, 'pass'], [-2 * DAY + 10 * H, 'fail'],
    [-2 * DAY + 12.6 * H, 'inconclusive'], [-2 * DAY + 20 * H, 'fail'], [-1 * DAY + 0.5 * H, 'pass'], [10 * H + 0.25, 'fail']];
  plan.forEach(([off, v], i) => add(store, `r${i}`, TODAY + off + 0.125, v));
}

describe.skipIf(cluster === undefined)('PostgreSQL and SQLite agree', () => {
  if (!cluster) return;

  it('on status snapshot, daily history, incidents and a run read back with fractional times', () => {
    const tmp = tempDir();
    const sqlite: SqliteRunStore = openStore(join(tmp.dir, 'p.db'));
    const pg: SqlRunStore = openStore(cluster.url(cluster.createDatabase()));
    try {
      seed(sqlite);
      seed(pg);
      expect(pg.getRun('r6')).toStrictEqual(sqlite.getRun('r6'));
      expect(pg.getRun('r6')?.scenarios[0].startedAt).toBe(TODAY + 10 * H + 0.25 + 0.125 + 0.3721);
      expect(pg.statusSnapshot({ trendRuns: 10 })).toStrictEqual(sqlite.statusSnapshot({ trendRuns: 10 }));
      const days = pg.dailyHistory({ now: NOW, days: 5 });
      expect(days).toStrictEqual(sqlite.dailyHistory({ now: NOW, days: 5 }));
      // the run at 23:54 counts on its own day, not the next
      expect(days.find((d) => d.target === 'canary')?.days.map((d) => d.pass + d.fail + d.inconclusive)).toStrictEqual([0, 2, 3, 1, 1]);
      expect(pg.incidents({ now: NOW, days: 5 })).toStrictEqual(sqlite.incidents({ now: NOW, days: 5 }));
      expect(pg.incidents({ now: NOW, days: 5 }).length).toBeGreaterThan(0);
      pg.addSilence({ id: 's1', createdAt: NOW, startsAt: NOW, endsAt: NOW + H, expiredAt: null, matchers: { target: 'canary' }, reason: 'deploy', createdBy: 'me' });
      sqlite.addSilence({ id: 's1', createdAt: NOW, startsAt: NOW, endsAt: NOW + H, expiredAt: null, matchers: { target: 'canary' }, reason: 'deploy', createdBy: 'me' });
      expect(pg.listSilences(NOW)).toStrictEqual(sqlite.listSilences(NOW));
      expect(pg.prune(TODAY - DAY)).toStrictEqual(sqlite.prune(TODAY - DAY));
      expect(pg.listRuns({})).toStrictEqual(sqlite.listRuns({}));
    } finally {
      sqlite.close();
      pg.close();
      tmp.cleanup();
    }
  });
});
