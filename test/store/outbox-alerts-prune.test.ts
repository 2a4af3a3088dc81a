import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, retentionCutoff, type SqliteRunStore } from '../../src/store/index.js';
import { HOSTILE, runResult, tempDir } from './fixtures.js';

const T0 = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
let tmp: ReturnType<typeof tempDir>;
let path: string;
let store: SqliteRunStore;

beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'runs.db');
  store = openStore(path);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function count(table: string): number {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    raw.close();
  }
}

describe('outbox', () => {
  it('never queues one delivery twice', () => {
    expect(store.enqueue({ channel: 'email', dedupeKey: 'alert:1:email', payload: 'first', at: T0 })).toBe(true);
    expect(store.enqueue({ channel: 'email', dedupeKey: 'alert:1:email', payload: 'second', at: T0 + 5 })).toBe(false);
    const all = store.listOutbox({});
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ payload: 'first', attempts: 0, createdAt: T0, nextAttemptAt: T0 });
  });

  it('returns due items soonest first and schedules retries', () => {
    store.enqueue({ channel: 'email', dedupeKey: 'a', payload: 'A', at: T0 + 300 });
    store.enqueue({ channel: 'telegram', dedupeKey: 'b', payload: HOSTILE.loneHigh, at: T0 + 100 });
    store.enqueue({ channel: 'webhook', dedupeKey: 'c', payload: 'C', at: T0 + 100 });
    store.enqueue({ channel: 'ping', dedupeKey: 'd', payload: 'D', at: T0 + 10_000 });
    const due = store.dueOutbox(T0 + 500);
    expect(due.map((i) => i.dedupeKey)).toStrictEqual(['b', 'c', 'a']);
    expect(due[0].payload).toBe(HOSTILE.loneHigh);
    expect(store.dueOutbox(T0 + 500, 1).map((i) => i.dedupeKey)).toStrictEqual(['b']);

    store.markFailed(due[0].id, 'SMTP 421 try later', T0 + 2_000);
    store.markDelivered(due[1].id, T0 + 600);
    expect(store.dueOutbox(T0 + 1_000).map((i) => i.dedupeKey)).toStrictEqual(['a']);
    const retry = store.dueOutbox(T0 + 2_000).find((i) => i.dedupeKey === 'b');
    expect(retry).toMatchObject({ attempts: 1, lastError: 'SMTP 421 try later', nextAttemptAt: T0 + 2_000 });
    expect(store.listOutbox({ pendingOnly: true }).map((i) => i.dedupeKey)).toStrictEqual(['d', 'b', 'a']);
    const delivered = store.listOutbox({}).find((i) => i.dedupeKey === 'c');
    expect(delivered).toMatchObject({ deliveredAt: T0 + 600, attempts: 1 });
    // A delivered item is not re-queued by the same key.
    expect(store.enqueue({ channel: 'webhook', dedupeKey: 'c', payload: 'C', at: T0 })).toBe(false);
  });
});

describe('alert state, alert log and facts', () => {
  it('persists alert state across reopen and updates it', () => {
    expect(store.getAlertState('canary')).toBeUndefined();
    const id = store.logAlert({ key: 'canary', kind: 'failing', runId: 'r1', at: T0, subject: 'canary failing' });
    expect(id).toBeGreaterThan(0);
    store.setAlertState({ key: 'canary', state: 'failing', since: T0, lastNotifiedAt: T0, failures: 3, successes: 0, alertId: id });
    store.close();
    store = openStore(path);
    expect(store.getAlertState('canary')).toStrictEqual({
      key: 'canary', state: 'failing', since: T0, lastNotifiedAt: T0, failures: 3, successes: 0, alertId: id,
    });
    store.setAlertState({ key: 'canary', state: 'ok', since: T0 + 5, lastNotifiedAt: null, failures: 0, successes: 2, alertId: null });
    expect(store.getAlertState('canary')).toMatchObject({ state: 'ok', lastNotifiedAt: null, alertId: null, successes: 2 });
    expect(store.listAlerts().map((a) => [a.id, a.kind, a.subject])).toStrictEqual([[id, 'failing', 'canary failing']]);
  });

  it('facts: latest wins per key and target, an older write does not overwrite', () => {
    store.plantFact({ key: 'color', target: 'canary', value: 'blue', runId: 'r1', at: T0 });
    store.plantFact({ key: 'color', target: 'stable', value: 'green', runId: 'r1', at: T0 });
    store.plantFact({ key: 'color', target: 'canary', value: 'red', runId: 'r2', at: T0 + 10 });
    store.plantFact({ key: 'color', target: 'canary', value: 'stale', runId: 'r0', at: T0 - 10 });
    expect(store.getFact('color', 'canary')).toStrictEqual({ value: 'red', runId: 'r2', at: T0 + 10 });
    expect(store.getFact('color', 'stable')?.value).toBe('green');
    expect(store.getFact('size', 'stable')).toBeUndefined();
  });
});

describe('prune and integrity', () => {
  it('removes old runs with all their rows in one go, keeps recent ones, and vacuums', () => {
    const now = T0 + 200 * DAY;
    for (let d = 0; d < 200; d += 10) {
      store.finishRun(runResult(`r${d}`, T0 + d * DAY, { texts: ['z'.repeat(2000)], scenarios: ['a', 'b'] }));
    }
    store.enqueue({ channel: 'email', dedupeKey: 'old', payload: 'x', at: T0 });
    store.markDelivered(store.listOutbox({})[0].id, T0 + DAY);
    store.enqueue({ channel: 'email', dedupeKey: 'pending-old', payload: 'x', at: T0 });
    const stepsBefore = count('steps');
    const res = store.prune(retentionCutoff(now, 90));
    expect(res.runs).toBe(11);
    expect(res.outbox).toBe(1);
    expect(store.listRuns({ last: 100 }).map((r) => r.runId).at(-1)).toBe('r110');
    expect(store.listRuns({ last: 100 })).toHaveLength(9);
    expect(count('scenario_results')).toBe(9 * 4);
    expect(count('steps')).toBe(stepsBefore * 9 / 20);
    expect(count('assertion_results')).toBe(9 * 4 * 2);
    expect(count('run_targets')).toBe(9 * 2);
    expect(store.listOutbox({}).map((i) => i.dedupeKey)).toStrictEqual(['pending-old']);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(raw.pragma('freelist_count', { simple: true })).toBe(0);
    raw.close();
    expect(store.integrityCheck()).toBe('ok');
    expect(store.prune(retentionCutoff(now, 90)).runs).toBe(0);
  });

  it('retentionCutoff defaults to 90 days', () => {
    expect(retentionCutoff(T0 + 100 * DAY)).toBe(T0 + 10 * DAY);
  });
});
