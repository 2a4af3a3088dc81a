/**
 * The outbox glue through the store's roles only, on the in-memory store: every alert is logged (no optional
 * methods), and two processes sharing one store never send one item twice.
 */
import { describe, expect, it } from 'vitest';
import { deliverOutbox, type OutboxHandler } from '../../src/delivery/outbox.js';
import { queueRunAlerts } from '../../src/delivery/alert-outbox.js';
import type { AlertPolicy } from '../../src/core/alert-policy.js';
import { createMemoryStore, createMemoryStoreData } from '../support/memory-store.js';
import { manualClock } from '../store/fixtures.js';
import { makeRun } from './fixtures.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 2 * HOUR, inconclusiveThreshold: 3 };

describe('outbox glue on the store roles', () => {
  it('logs each alert once and saves the alert state, with or without channels', () => {
    const store = createMemoryStore();
    const fail = makeRun('run-1', 'fail', T0);
    store.finishRun(fail);
    const alerts = queueRunAlerts(store, fail, { policy, channels: [], now: fail.finishedAt });
    expect(alerts.map((a) => a.kind)).toStrictEqual(['failing']);
    expect(store.listAlerts().map((a) => [a.key, a.kind, a.runId])).toStrictEqual([['canary', 'failing', 'run-1']]);
    expect(store.getAlertState('canary')).toMatchObject({ state: 'failing', failures: 1 });
    expect(store.listOutbox({})).toStrictEqual([]);

    const pass = makeRun('run-2', 'pass', T0 + HOUR);
    store.finishRun(pass);
    const before = store.getAlertState('canary');
    queueRunAlerts(store, pass, { policy, channels: ['email', 'webhook'], now: pass.finishedAt });
    expect(store.getAlertState('canary')?.state).toBe('ok');
    // a crash before the state was saved: the same run judged again re-derives the same alert, which the outbox
    // dedupes, and nothing new is logged
    if (before) store.setAlertState(before);
    queueRunAlerts(store, pass, { policy, channels: ['email', 'webhook'], now: pass.finishedAt });
    expect(store.listAlerts().map((a) => a.kind)).toStrictEqual(['resolved', 'failing']);
    expect(store.listOutbox({}).map((i) => i.channel).sort()).toStrictEqual(['email', 'webhook']);
    expect(store.getAlertState('canary')?.state).toBe('ok');
  });

  it('two processes delivering from one store send each item exactly once, in order', async () => {
    const data = createMemoryStoreData();
    const clock = manualClock(T0);
    const a = createMemoryStore({ data, clock });
    const b = createMemoryStore({ data, clock });
    for (let i = 0; i < 5; i += 1) a.enqueue({ channel: 'webhook', dedupeKey: `push:${i}`, payload: JSON.stringify({ i }), at: T0 });
    const sent: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const slow: OutboxHandler = async (payload) => {
      sent.push((payload as { i: number }).i);
      if (sent.length === 1) await gate; // the first send is still in flight when the other process looks
    };
    const first = deliverOutbox(a, { webhook: slow }, { now: T0, claimer: 'host:1:a', claimWaitMs: 5_000 });
    await new Promise((r) => setTimeout(r, 20));
    const second = deliverOutbox(b, { webhook: slow }, { now: T0, claimer: 'host:2:b', claimWaitMs: 0 });
    const other = await second;
    release();
    const mine = await first;
    expect(other.delivered).toBe(0);
    expect(mine.delivered).toBe(5);
    expect(sent).toStrictEqual([0, 1, 2, 3, 4]);
    expect(a.listOutbox({ pendingOnly: true })).toStrictEqual([]);
  });
});
