/** Contract of the outbox role: idempotent queueing, due order, retries, and claims between processes. */
import { describe, expect, it } from 'vitest';
import { HOSTILE } from '../fixtures.js';
import { contractContext, T0, type MakeStoreHarness } from './harness.js';

export function describeOutboxContract(make: MakeStoreHarness): void {
  describe('outbox', () => {
    const c = contractContext(make);
    const item = (dedupeKey: string, at = T0, channel = 'email'): { channel: string; dedupeKey: string; payload: string; at: number } =>
      ({ channel, dedupeKey, payload: `payload of ${dedupeKey}`, at });

    it('queues one delivery per idempotency (dedupe) key, even once it was delivered', () => {
      expect(c.store.enqueue({ ...item('alert:1:email'), payload: HOSTILE.loneLow })).toBe(true);
      expect(c.store.enqueue({ ...item('alert:1:email', T0 + 5), payload: 'second' })).toBe(false);
      expect(c.open().enqueue(item('alert:1:email'))).toBe(false);
      const all = c.store.listOutbox({});
      expect(all).toHaveLength(1);
      expect(all[0]).toStrictEqual({
        id: all[0].id, channel: 'email', dedupeKey: 'alert:1:email', payload: HOSTILE.loneLow, attempts: 0,
        createdAt: T0, nextAttemptAt: T0,
      });
      c.store.markDelivered(all[0].id, T0 + 1);
      expect(c.store.enqueue(item('alert:1:email'))).toBe(false);
      expect(c.store.enqueue(item('alert:1:telegram', T0, 'telegram'))).toBe(true);
    });

    it('an item held until later (quiet hours) is due then, and keeps the hold as its not-before', () => {
      expect(c.store.enqueue({ ...item('held'), holdUntil: T0 + 1000 })).toBe(true);
      const [held] = c.open().listOutbox({});
      expect(held).toMatchObject({ dedupeKey: 'held', createdAt: T0, nextAttemptAt: T0 + 1000, notBefore: T0 + 1000, attempts: 0 });
      expect(c.store.dueOutbox(T0 + 999)).toStrictEqual([]);
      expect(c.store.dueOutbox(T0 + 1000).map((i) => i.dedupeKey)).toStrictEqual(['held']);
    });

    it('due items: undelivered, due by now, soonest first then in queue order, up to a limit', () => {
      c.store.enqueue(item('a', T0 + 300));
      c.store.enqueue(item('b', T0 + 100, 'telegram'));
      c.store.enqueue(item('c', T0 + 100, 'webhook'));
      c.store.enqueue(item('d', T0 + 10_000, 'ping'));
      const due = c.store.dueOutbox(T0 + 500);
      expect(due.map((i) => i.dedupeKey)).toStrictEqual(['b', 'c', 'a']);
      expect(c.store.dueOutbox(T0 + 500, 1).map((i) => i.dedupeKey)).toStrictEqual(['b']);
      expect(c.store.dueOutbox(T0 + 99)).toStrictEqual([]);
      expect(due[0].id).toBeLessThan(due[1].id);
      c.store.markDelivered(due[0].id, T0 + 600);
      expect(c.store.dueOutbox(T0 + 500).map((i) => i.dedupeKey)).toStrictEqual(['c', 'a']);
    });

    it('a failure counts the attempt, keeps the error (capped) and the retry time; delivery stamps it', () => {
      c.store.enqueue(item('a'));
      const id = c.store.listOutbox({})[0].id;
      c.store.markFailed(id, 'x'.repeat(5000), T0 + 2000, T0 + 1500);
      let [row] = c.store.listOutbox({});
      expect(row).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 2000, notBefore: T0 + 1500 });
      expect(row.lastError).toBe('x'.repeat(2000));
      expect(c.store.dueOutbox(T0 + 1999)).toStrictEqual([]);
      c.store.markFailed(id, 'SMTP 421 try later', T0 + 3000);
      [row] = c.store.listOutbox({});
      expect(row).toMatchObject({ attempts: 2, lastError: 'SMTP 421 try later', nextAttemptAt: T0 + 3000 });
      expect(row.notBefore).toBeUndefined();
      c.store.markDelivered(id, T0 + 3500);
      [row] = c.store.listOutbox({});
      expect(row).toMatchObject({ attempts: 3, deliveredAt: T0 + 3500 });
      expect(c.store.dueOutbox(T0 + 10_000)).toStrictEqual([]);
    });

    it('lists newest first, all or pending only, up to a limit (default 100)', () => {
      for (const k of ['a', 'b', 'c', 'd']) c.store.enqueue(item(k));
      const ids = Object.fromEntries(c.store.listOutbox({}).map((i) => [i.dedupeKey, i.id]));
      c.store.markDelivered(ids.c, T0 + 1);
      expect(c.store.listOutbox({}).map((i) => i.dedupeKey)).toStrictEqual(['d', 'c', 'b', 'a']);
      expect(c.store.listOutbox({ pendingOnly: true }).map((i) => i.dedupeKey)).toStrictEqual(['d', 'b', 'a']);
      expect(c.store.listOutbox({ last: 2, pendingOnly: true }).map((i) => i.dedupeKey)).toStrictEqual(['d', 'b']);
      for (let i = 0; i < 110; i += 1) c.store.enqueue(item(`bulk-${i}`));
      expect(c.store.listOutbox({})).toHaveLength(100);
    });

    it('a claim holds the item for one process until it runs out; the claimer may claim again', () => {
      const other = c.open();
      c.store.enqueue(item('a'));
      const id = c.store.listOutbox({})[0].id;
      expect(c.store.claimOutbox(id, 'host:1:a', T0 + 60_000)).toBe('claimed');
      expect(other.claimOutbox(id, 'host:2:b', T0 + 60_000)).toBe('held');
      expect(c.store.claimOutbox(id, 'host:1:a', T0 + 90_000)).toBe('claimed');
      c.clock.set(T0 + 89_999);
      expect(other.claimOutbox(id, 'host:2:b', T0 + 200_000)).toBe('held');
      c.clock.set(T0 + 90_000);
      expect(other.claimOutbox(id, 'host:2:b', T0 + 200_000)).toBe('claimed');
      expect(c.store.claimOutbox(id, 'host:1:a', T0 + 300_000)).toBe('held');
    });

    it('a live claim of a dead holder is taken over; a stale read of attempts is `changed`; delivered is `done`', () => {
      const other = c.open();
      c.store.enqueue(item('a'));
      const [row] = c.store.listOutbox({});
      expect(c.store.claimOutbox(row.id, 'host:1:a', T0 + 60_000)).toBe('claimed');
      const asked: string[] = [];
      expect(other.claimOutbox(row.id, 'host:2:b', T0 + 60_000, (h) => { asked.push(h); return false; })).toBe('held');
      expect(asked).toStrictEqual(['host:1:a']);
      expect(other.claimOutbox(row.id, 'host:2:b', T0 + 60_000, (h) => h === 'host:1:a', row.attempts)).toBe('claimed');
      // host:2 fails it: the claim is dropped and the attempt counted
      other.markFailed(row.id, 'down', T0 + 30_000);
      expect(c.store.claimOutbox(row.id, 'host:1:a', T0 + 60_000, undefined, row.attempts)).toBe('changed');
      expect(c.store.claimOutbox(row.id, 'host:1:a', T0 + 60_000, undefined, row.attempts + 1)).toBe('claimed');
      c.store.markDelivered(row.id, T0 + 1);
      expect(other.claimOutbox(row.id, 'host:2:b', T0 + 60_000)).toBe('done');
      expect(other.claimOutbox(row.id + 1000, 'host:2:b', T0 + 60_000)).toBe('done');
    });

    it('what is queued survives a restart, attempts and all', () => {
      c.store.enqueue(item('a'));
      const id = c.store.listOutbox({})[0].id;
      c.store.markFailed(id, 'down', T0 + 5000);
      const before = c.store.listOutbox({});
      const s = c.reopen();
      expect(s.listOutbox({})).toStrictEqual(before);
      expect(s.enqueue(item('a'))).toBe(false);
    });
  });
}
