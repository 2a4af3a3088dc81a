/** Issue 17 store reads on a real SQLite file: daily bars and uptime, incidents, silences (migration 006). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { renderStatusPage } from '../../src/status/status-page.js';
import { runResult, tempDir } from './fixtures.js';
import type { Verdict } from '../../src/core/types.js';

const DAY = 86_400_000;
const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 15, 0);
const TODAY = Date.UTC(2026, 11, 1);

let tmp: ReturnType<typeof tempDir>;
let store: SqliteRunStore;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'h.db'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function add(id: string, at: number, canary: Verdict, suite?: string): void {
  const r = runResult(id, at, { canary });
  if (suite) {
    for (const s of r.scenarios) s.suite = suite;
    for (const s of r.verdict.scenarios) s.suite = suite;
  }
  store.beginRun({ runId: id, startedAt: at });
  for (const s of r.scenarios) store.saveScenario(id, s);
  store.finishRun(r);
}

function seed(): void {
  add('r1', TODAY - 3 * DAY + 10 * H, 'pass');
  add('r2', TODAY - 3 * DAY + 11 * H, 'pass');
  add('r3', TODAY - 2 * DAY + 10 * H, 'fail');
  add('r4', TODAY - 2 * DAY + 11 * H, 'inconclusive');
  add('r5', TODAY - 2 * DAY + 12 * H, 'fail', '<img src=x onerror=alert(1)>');
  add('r6', TODAY - 2 * DAY + 13 * H, 'pass');
  add('r7', TODAY + 9 * H, 'fail');
}

describe('daily history', () => {
  it('counts pass / fail / inconclusive per UTC day; uptime is pass over judged, inconclusive apart', () => {
    seed();
    const hist = store.dailyHistory({ now: NOW, days: 90 });
    const canary = hist.find((t) => t.target === 'canary');
    expect(canary?.days).toHaveLength(90);
    expect(canary?.days.at(-1)).toEqual({ day: TODAY, pass: 0, fail: 1, inconclusive: 0 });
    expect(canary?.days.at(-3)).toEqual({ day: TODAY - 2 * DAY, pass: 1, fail: 2, inconclusive: 1 });
    expect(canary?.days.at(-4)).toEqual({ day: TODAY - 3 * DAY, pass: 2, fail: 0, inconclusive: 0 });
    expect(canary?.uptime).toEqual({ passes: 3, judged: 6, inconclusive: 1, uptime: 0.5 });
    // per suite, and latency per day
    expect(canary?.suites.map((s) => s.suite)).toEqual(['<img src=x onerror=alert(1)>', 'smoke']);
    expect(canary?.suites.find((s) => s.suite === 'smoke')?.uptime).toEqual({ passes: 3, judged: 5, inconclusive: 1, uptime: 0.6 });
    expect(canary?.latency.at(-1)?.p50).toBeGreaterThan(0);
    expect(canary?.latency.at(-2)).toEqual({ day: TODAY - DAY, p50: null, p95: null });
    // a shorter window leaves older days out
    expect(store.dailyHistory({ now: NOW, days: 2 }).find((t) => t.target === 'canary')?.uptime.judged).toBe(1);
  });
});

describe('incidents', () => {
  it('groups a failing streak (inconclusive runs inside it) into one incident, and keeps an open one ongoing', () => {
    seed();
    const list = store.incidents({ now: NOW, days: 90, target: 'canary' });
    expect(list).toHaveLength(2);
    const [open, closed] = list;
    expect(open).toMatchObject({ target: 'canary', startedAt: TODAY + 9 * H, endedAt: null, failingRuns: 1, firstRunId: 'r7' });
    expect(open?.durationMs).toBe(NOW - (TODAY + 9 * H));
    const r6 = store.getRun('r6');
    expect(closed).toMatchObject({ startedAt: TODAY - 2 * DAY + 10 * H, endedAt: r6?.finishedAt, failingRuns: 2, firstRunId: 'r3', lastRunId: 'r5', runIds: ['r3', 'r5'] });
    expect(closed?.reasons[0]).toMatch(/^smoke\/joke: reply did not match/);
    expect(store.incidents({ now: NOW, days: 90, target: 'stable' })).toEqual([]);
    // a window that starts after the closed incident ended keeps only the open one
    expect(store.incidents({ now: NOW, days: 1 }).map((i) => i.firstRunId)).toEqual(['r7']);
  });

  it('shows on the status page with report links, everything escaped', () => {
    seed();
    const html = renderStatusPage({
      version: 't', now: NOW, startedAt: NOW - H, overall: 'fail', reasons: [], running: false, targets: [], suites: [], scenarios: [], history: [], alerts: [], channels: [],
      historyView: {
        days: 90, targets: store.dailyHistory({ now: NOW, days: 90 }), incidents: store.incidents({ now: NOW, days: 90 }),
        maintenance: [{ kind: 'silence', id: 'sil-1', mode: 'run-silently', matchers: 'target=canary', from: NOW - H, until: NOW + H, reason: '<b>reindex</b>', state: 'active', createdBy: 'cli:ops' }],
      },
    });
    expect(html).toContain('<span class="up" data-uptime="canary">50.00%</span>');
    expect(html).toContain('1 inconclusive (not counted as down)');
    expect(html).toContain('href="/reports/r3/report.html"');
    expect(html).toContain('href="/reports/r5/report.html"');
    expect(html).toContain('<span class="incident-open">ongoing</span>');
    expect(html).toContain('&lt;b&gt;reindex&lt;/b&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // the hover text of a day carries the per-suite counts
    expect(html).toMatch(/<title>\d{4}-\d\d-\d\d: 1 pass · 2 fail · 1 inconclusive\n&lt;img src=x onerror=alert\(1\)&gt;: 0 pass · 1 fail · 0 inconclusive\nsmoke: 1 pass · 1 fail · 1 inconclusive<\/title>/);
  });
});

describe('silences (migration 006)', () => {
  it('adds, lists, expires and prunes', () => {
    const base = { createdAt: NOW, startsAt: NOW, reason: 'deploy', createdBy: 'cli:ops' };
    store.addSilence({ ...base, id: 'a', endsAt: NOW + H, matchers: { target: 'canary', suite: 'rag' } });
    store.addSilence({ ...base, id: 'b', endsAt: NOW + 2 * H, matchers: { scenario: 'joke' } });
    expect(store.listSilences(NOW).map((s) => [s.id, s.matchers])).toEqual([['a', { target: 'canary', suite: 'rag' }], ['b', { scenario: 'joke' }]]);
    expect(store.expireSilence('a', NOW + 1)).toBe(true);
    expect(store.expireSilence('a', NOW + 2)).toBe(false);
    expect(store.expireSilence('nope', NOW + 2)).toBe(false);
    expect(store.listSilences(NOW + 2).map((s) => s.id)).toEqual(['b']);
    expect(store.listSilences(NOW + 2, H).map((s) => [s.id, s.expiredAt])).toEqual([['a', NOW + 1], ['b', null]]);
    store.prune(NOW + 3 * H);
    expect(store.listSilences(NOW, 10 * DAY)).toEqual([]);
  });
});

describe('latency percentiles per day', () => {
  it('SQLite percentile() and the JS fallback agree (linear interpolation)', async () => {
    const { latencyByDay, latencyByDayInJs } = await import('../../src/store/history-daily.js');
    const { SqlHandle } = await import('../../src/store/sql-handle.js');
    const { default: Database } = await import('better-sqlite3');
    store.close();
    for (let i = 0; i < 7; i++) {
      const s = openStore(join(tmp.dir, 'h.db'));
      const r = runResult(`l${i}`, TODAY + i * H, { canary: 'pass' });
      r.scenarios.forEach((x, k) => { x.latencyMs.final = 100 * (i + 1) + k; });
      s.beginRun({ runId: r.runId, startedAt: r.startedAt });
      s.finishRun(r);
      s.close();
    }
    const db = new Database(join(tmp.dir, 'h.db'));
    const h = new SqlHandle(db, 'h.db');
    const first = TODAY - DAY;
    const key = (rows: Record<string, unknown>[]): string => JSON.stringify(rows.map((r) => [r.target, Number(r.d), Number(r.p50).toFixed(3), Number(r.p95).toFixed(3)]).sort());
    const sql = latencyByDay(h, first);
    expect(sql.length).toBe(2);
    expect(key(sql)).toBe(key(latencyByDayInJs(h, first)));
    const canary = sql.find((r) => r.target === 'canary');
    expect(canary).toMatchObject({ d: 1, p50: 400 });
    expect(Number(canary?.p95)).toBeCloseTo(670, 6); // 600 + 0.7 × 100
    db.close();
    store = openStore(join(tmp.dir, 'h.db'));
  });
});
