import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { HOSTILE, runResult, scenarioResult, tempDir } from './fixtures.js';

const T0 = Date.UTC(2025, 0, 1);
let tmp: ReturnType<typeof tempDir>;
let store: SqliteRunStore;
let path: string;

beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'runs.db');
  store = openStore(path);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('run round-trip', () => {
  it('rebuilds a full RunResult exactly, hostile replies included, after reopening the file', () => {
    const texts = [HOSTILE.html, HOSTILE.invisible, HOSTILE.emoji, HOSTILE.control, HOSTILE.loneHigh,
      HOSTILE.loneLow, HOSTILE.long];
    const run = runResult('run-1', T0, { texts, canary: 'fail', stable: 'pass', scenarios: ['joke', 'memory'] });
    store.beginRun({ runId: run.runId, startedAt: run.startedAt, revision: run.revision });
    store.saveScenario(run.runId, run.scenarios[0]);
    store.finishRun(run);
    store.close();
    store = openStore(path);
    const back = store.getRun('run-1');
    expect(back).toStrictEqual(run);
    const msgs = back?.scenarios[0].steps[1].reply?.messages ?? [];
    expect(msgs.map((m) => m.text)).toStrictEqual(texts);
    expect(msgs[6].text.length).toBe(4096);
    expect(back?.scenarios[0].steps[2].detail).toBe(HOSTILE.html);
    expect(store.latestRun()).toStrictEqual(run);
  });

  it('stores lone surrogates exactly (TEXT for well-formed strings, UTF-16 BLOB otherwise)', () => {
    const run = runResult('run-ls', T0, { texts: [HOSTILE.loneHigh] });
    store.finishRun(run);
    expect(store.getRun('run-ls')?.scenarios[0].steps[2].detail).toBe(HOSTILE.loneHigh);
    expect(store.recentReplyTexts('joke', 'canary', 5)).toStrictEqual([HOSTILE.loneHigh]);
    store.plantFact({ key: 'k', target: 'canary', value: HOSTILE.loneLow, runId: 'run-ls', at: T0 });
    expect(store.getFact('k', 'canary')?.value).toBe(HOSTILE.loneLow);
    // What plain TEXT would have done: the raw column of a well-formed value is TEXT, the lone one a BLOB.
    const raw = new Database(path, { readonly: true });
    const kinds = raw.prepare('SELECT typeof(detail) AS t FROM steps WHERE kind = ? ORDER BY id').pluck().all('save');
    raw.close();
    expect(kinds).toStrictEqual(['blob', 'blob']);
  });

  it('keeps an unfinished run with a pending verdict and skips it as latest', () => {
    store.finishRun(runResult('done', T0));
    store.beginRun({ runId: 'running', startedAt: T0 + 3_600_000 });
    store.saveScenario('running', scenarioResult('joke', 'canary', T0 + 3_600_000, 'pass', ['hi']));
    const r = store.getRun('running');
    expect(r?.verdict.verdict).toBe('pending');
    expect(r?.scenarios).toHaveLength(1);
    expect(r?.finishedAt).toBe(T0 + 3_600_000 + 1500);
    expect(store.latestRun()?.runId).toBe('done');
    expect(store.listRuns({ last: 10 }).map((s) => [s.runId, s.verdict, s.finishedAt === null]))
      .toStrictEqual([['running', 'pending', true], ['done', 'pass', false]]);
    expect(store.getRun('nope')).toBeUndefined();
  });

  it('saveScenario replaces a re-saved scenario and keeps order', () => {
    store.beginRun({ runId: 'r', startedAt: T0 });
    store.saveScenario('r', scenarioResult('a', 'canary', T0, 'fail', ['x']));
    store.saveScenario('r', scenarioResult('b', 'canary', T0, 'pass', ['y']));
    store.saveScenario('r', scenarioResult('a', 'canary', T0, 'pass', ['z']));
    const r = store.getRun('r');
    expect(r?.scenarios.map((s) => [s.scenario, s.status])).toStrictEqual([['a', 'pass'], ['b', 'pass']]);
  });
});

describe('queries', () => {
  beforeEach(() => {
    const hour = 3_600_000;
    store.finishRun(runResult('r1', T0, { texts: ['one'], canary: 'pass', scenarios: ['joke', 'memory'] }));
    store.finishRun(runResult('r2', T0 + hour, { texts: ['two'], canary: 'fail', scenarios: ['joke', 'memory'] }));
    store.finishRun(runResult('r3', T0 + 2 * hour, { texts: ['three', 'more'], canary: 'inconclusive', scenarios: ['joke'] }));
  });

  it('listRuns is newest first with before/last', () => {
    expect(store.listRuns({}).map((r) => r.runId)).toStrictEqual(['r3', 'r2', 'r1']);
    expect(store.listRuns({ last: 1 }).map((r) => r.runId)).toStrictEqual(['r3']);
    expect(store.listRuns({ before: T0 + 3_600_000 }).map((r) => r.runId)).toStrictEqual(['r1']);
    expect(store.listRuns({ last: 1 })[0]).toMatchObject({ verdict: 'inconclusive', revision: 'v1.2.3', aborted: false });
  });

  it('recentReplyTexts returns graded reply texts newest first', () => {
    expect(store.recentReplyTexts('joke', 'canary', 10)).toStrictEqual(['three\nmore', 'two', 'one']);
    expect(store.recentReplyTexts('joke', 'canary', 2)).toStrictEqual(['three\nmore', 'two']);
    expect(store.recentReplyTexts('memory', 'stable', 10)).toStrictEqual(['two', 'one']);
    expect(store.recentReplyTexts('nope', 'stable', 10)).toStrictEqual([]);
  });

  it('scenarioHistory covers the last N runs per filter', () => {
    const both = store.scenarioHistory({ scenario: 'memory', target: 'canary', last: 5 });
    expect(both.map((r) => [r.runId, r.status])).toStrictEqual([['r2', 'fail'], ['r1', 'pass']]);
    expect(both[0]).toMatchObject({ suite: 'smoke', latencyFirstMs: 200, latencyFinalMs: 301, startedAt: T0 + 3_600_000 });
    const lastRun = store.scenarioHistory({ last: 1 });
    expect(lastRun.map((r) => `${r.runId}:${r.scenario}:${r.target}`)).toStrictEqual(['r3:joke:canary', 'r3:joke:stable']);
    const mem = store.scenarioHistory({ scenario: 'memory', last: 1 });
    expect(mem.map((r) => `${r.runId}:${r.target}`)).toStrictEqual(['r2:canary', 'r2:stable']);
    const canary = store.scenarioHistory({ target: 'canary', last: 2 });
    expect(new Set(canary.map((r) => r.runId))).toStrictEqual(new Set(['r3', 'r2']));
    expect(canary.every((r) => r.target === 'canary')).toBe(true);
    expect(store.scenarioHistory({ scenario: 'joke', target: 'canary', last: 1 })[0].latencyFinalMs).toBeNull();
  });

  it('lastSuccessAt is the finish time of the newest passing run per target', () => {
    expect(store.lastSuccessAt('canary')).toBe(store.getRun('r1')?.finishedAt);
    expect(store.lastSuccessAt('stable')).toBe(store.getRun('r3')?.finishedAt);
  });

  it('statusSnapshot gives latest run, per-target last results and an oldest-first trend', () => {
    const snap = store.statusSnapshot({ trendRuns: 2 });
    expect(snap.latest?.runId).toBe('r3');
    expect(snap.trend.map((p) => p.runId)).toStrictEqual(['r2', 'r3']);
    const canary = snap.perTarget.canary;
    expect(canary?.lastRun).toMatchObject({ runId: 'r3', verdict: 'inconclusive' });
    expect(canary?.lastSuccessAt).toBe(store.getRun('r1')?.finishedAt);
    expect(canary?.scenarios.map((s) => [s.scenario, s.runId, s.status]))
      .toStrictEqual([['joke', 'r3', 'error'], ['memory', 'r2', 'fail']]);
    expect(canary?.suites.smoke.status).toBe('fail');
    expect(snap.perTarget.stable?.suites.smoke.status).toBe('pass');
  });

  it('deleteRun removes one run and all its rows', () => {
    expect(store.deleteRun('r2')).toBe(true);
    expect(store.deleteRun('r2')).toBe(false);
    expect(store.getRun('r2')).toBeUndefined();
    expect(store.recentReplyTexts('memory', 'canary', 10)).toStrictEqual(['one']);
    const raw = new Database(path, { readonly: true });
    const orphans = raw.prepare(`SELECT count(*) FROM steps WHERE result_id NOT IN (SELECT id FROM scenario_results)`).pluck().get();
    raw.close();
    expect(orphans).toBe(0);
  });
});
