/** Repeated scenarios in the real SQLite store: one row per attempt, attempts and failure causes read back. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { runResult, scenarioResult, tempDir } from './fixtures.js';

const T0 = Date.UTC(2026, 0, 1);
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

describe('attempts of repeated scenarios', () => {
  it('stores each attempt, reads the attempt numbers and the failure causes back', () => {
    const run = runResult('run-1', T0);
    run.scenarios = [1, 2, 3].flatMap((attempt) => [
      { ...scenarioResult('joke', 'canary', T0 + attempt * 10, attempt === 2 ? 'fail' : 'pass', [attempt === 2 ? 'Error: upstream timeout (HTTP 504)' : 'a joke']), attempt },
      { ...scenarioResult('joke', 'stable', T0 + attempt * 10, 'pass', ['a joke']), attempt },
    ]);
    store.beginRun({ runId: run.runId, startedAt: run.startedAt });
    for (const s of run.scenarios) store.saveScenario(run.runId, s); // as the run engine does, attempt by attempt
    store.finishRun(run);
    store.close();
    store = openStore(path);

    const back = store.getRun('run-1');
    expect(back?.scenarios.map((s) => [s.target, s.attempt, s.status])).toEqual([
      ['canary', 1, 'pass'], ['stable', 1, 'pass'], ['canary', 2, 'fail'], ['stable', 2, 'pass'], ['canary', 3, 'pass'], ['stable', 3, 'pass'],
    ]);
    const rows = store.scenarioHistory({ last: 10 });
    expect(rows).toHaveLength(6);
    const failed = rows.find((r) => r.status === 'fail');
    expect(failed).toMatchObject({ attempt: 2, causes: ['text:error: upstream timeout http #', 'class:timeout'] });
    expect(rows.filter((r) => r.status === 'pass').every((r) => r.causes === undefined)).toBe(true);
  });

  it('a scenario that ran once has no attempt number, as before', () => {
    const run = runResult('run-2', T0, { canary: 'fail' });
    store.finishRun(run);
    const back = store.getRun('run-2');
    expect(back?.scenarios.every((s) => s.attempt === undefined)).toBe(true);
    expect(back).toStrictEqual(run);
  });

  it('the schema keeps one row per scenario, target and attempt', () => {
    const raw = new Database(path, { readonly: true });
    try {
      const idx = raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'scenario_results_run'").get() as { sql: string };
      expect(idx.sql).toMatch(/\(run_seq, suite, scenario, target, attempt\)/);
    } finally {
      raw.close();
    }
  });
});
