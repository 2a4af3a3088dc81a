/** Contract of the upkeep role: all-or-nothing batches across roles, and retention that keeps the newest days. */
import { describe, expect, it } from 'vitest';
import { retentionCutoff } from '../../../src/store/index.js';
import { runResult } from '../fixtures.js';
import { contractContext, DAY_MS, T0, type MakeStoreHarness } from './harness.js';

export function describeUpkeepContract(make: MakeStoreHarness): void {
  describe('upkeep', () => {
    const c = contractContext(make);

    it('a batch keeps every write of its roles together', () => {
      const out = c.store.batch(() => {
        c.store.finishRun(runResult('r1', T0));
        c.store.enqueue({ channel: 'email', dedupeKey: 'alert:1:email', payload: '{}', at: T0 });
        c.store.setAlertState({ key: 'canary', state: 'ok', since: T0, lastNotifiedAt: null, failures: 0, successes: 1, alertId: null });
        return 42;
      });
      expect(out).toBe(42);
      expect(c.store.getRun('r1')?.runId).toBe('r1');
      expect(c.store.listOutbox({})).toHaveLength(1);
      expect(c.store.getAlertState('canary')?.successes).toBe(1);
    });

    it('a batch that throws keeps none of its writes (the run and what it queued), and rethrows', () => {
      c.store.finishRun(runResult('before', T0));
      c.store.plantFact({ key: 'k', target: 'canary', value: 'kept', runId: 'before', at: T0 });
      const boom = new Error('queueing failed');
      expect(() => c.store.batch(() => {
        c.store.finishRun(runResult('r1', T0 + 1000));
        c.store.enqueue({ channel: 'email', dedupeKey: 'alert:1:email', payload: '{}', at: T0 });
        c.store.plantFact({ key: 'k', target: 'canary', value: 'lost', runId: 'r1', at: T0 + 1000 });
        c.store.logAlert({ key: 'canary', kind: 'failing', at: T0 });
        throw boom;
      })).toThrow(boom);
      expect(c.store.getRun('r1')).toBeUndefined();
      expect(c.store.listRuns({}).map((r) => r.runId)).toStrictEqual(['before']);
      expect(c.store.listOutbox({})).toStrictEqual([]);
      expect(c.store.listAlerts()).toStrictEqual([]);
      expect(c.store.getFact('k', 'canary')?.value).toBe('kept');
      // and the store goes on working
      expect(c.store.enqueue({ channel: 'email', dedupeKey: 'alert:1:email', payload: '{}', at: T0 })).toBe(true);
    });

    it('a nested batch that throws, caught inside, undoes only its own writes', () => {
      c.store.batch(() => {
        c.store.enqueue({ channel: 'email', dedupeKey: 'outer', payload: '{}', at: T0 });
        try {
          c.store.batch(() => {
            c.store.enqueue({ channel: 'email', dedupeKey: 'inner', payload: '{}', at: T0 });
            throw new Error('inner');
          });
        } catch {
          // the outer batch carries on
        }
      });
      expect(c.store.listOutbox({}).map((i) => i.dedupeKey)).toStrictEqual(['outer']);
    });

    it('retention keeps the newest N days of runs, recent deliveries and alerts, and whatever is still pending', () => {
      const now = T0 + 400 * DAY_MS;
      const cutoff = retentionCutoff(now, 90);
      expect(cutoff).toBe(now - 90 * DAY_MS);
      const starts = { ancient: now - 300 * DAY_MS, old: now - 91 * DAY_MS, edge: cutoff, recent: now - 89 * DAY_MS, today: now - 1000 };
      for (const [id, t] of Object.entries(starts)) c.store.finishRun(runResult(id, t));
      c.store.beginRun({ runId: 'old-pending', startedAt: now - 95 * DAY_MS });
      c.store.enqueue({ channel: 'email', dedupeKey: 'old-delivered', payload: '{}', at: now - 100 * DAY_MS });
      c.store.enqueue({ channel: 'email', dedupeKey: 'old-pending', payload: '{}', at: now - 100 * DAY_MS });
      c.store.enqueue({ channel: 'email', dedupeKey: 'new-delivered', payload: '{}', at: now - 100 * DAY_MS });
      const ids = Object.fromEntries(c.store.listOutbox({}).map((i) => [i.dedupeKey, i.id]));
      c.store.markDelivered(ids['old-delivered'], now - 99 * DAY_MS);
      c.store.markDelivered(ids['new-delivered'], now - 10 * DAY_MS);
      c.store.logAlert({ key: 'canary', kind: 'failing', at: now - 100 * DAY_MS });
      const keptAlert = c.store.logAlert({ key: 'canary', kind: 'resolved', at: now - 10 * DAY_MS });
      c.store.setAlertState({ key: 'canary', state: 'ok', since: now - 200 * DAY_MS, lastNotifiedAt: null, failures: 0, successes: 9, alertId: null });
      c.store.plantFact({ key: 'k', target: 'canary', value: 'v', runId: 'ancient', at: now - 300 * DAY_MS });

      expect(c.store.prune(cutoff)).toStrictEqual({ runs: 3, outbox: 1, alerts: 1 });
      expect(c.store.listRuns({}).map((r) => r.runId)).toStrictEqual(['today', 'recent', 'edge']);
      expect(c.store.getRun('old')).toBeUndefined();
      expect(new Set(c.store.scenarioHistory({ last: 100 }).map((r) => r.runId))).toStrictEqual(new Set(['today', 'recent', 'edge']));
      expect(c.store.pendingRuns()).toStrictEqual([]);
      expect(c.store.listOutbox({}).map((i) => i.dedupeKey).sort()).toStrictEqual(['new-delivered', 'old-pending']);
      expect(c.store.listAlerts().map((a) => a.id)).toStrictEqual([keptAlert]);
      expect(c.store.getAlertState('canary')?.successes).toBe(9);
      expect(c.store.getFact('k', 'canary')?.value).toBe('v');
      expect(c.store.prune(cutoff)).toStrictEqual({ runs: 0, outbox: 0, alerts: 0 });
    });

    it('retention of runs also forgets their last success', () => {
      const r = runResult('r1', T0);
      c.store.finishRun(r);
      expect(c.store.lastSuccessAt('canary')).toBe(r.finishedAt);
      c.store.prune(T0 + 1);
      expect(c.store.lastSuccessAt('canary')).toBeNull();
      expect(c.store.recentReplyTexts('joke', 'canary', 10)).toStrictEqual([]);
    });
  });
}
