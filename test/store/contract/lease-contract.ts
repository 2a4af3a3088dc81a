/** Contract of the session lease role: one holder at a time, taken over on expiry or when its process is dead. */
import { describe, expect, it } from 'vitest';
import { contractContext, T0, type MakeStoreHarness } from './harness.js';

export function describeSessionLeaseContract(make: MakeStoreHarness): void {
  describe('session lease', () => {
    const c = contractContext(make);

    it('only one of two processes holds it; the holder re-acquiring extends it; names are independent', () => {
      const b = c.open();
      expect(c.store.acquireLease('session', 'host:1', 60_000)).toBe(true);
      expect(b.acquireLease('session', 'host:2', 60_000)).toBe(false);
      expect(b.leaseHolder('session')).toStrictEqual({ holder: 'host:1', expiresAt: T0 + 60_000 });
      c.clock.advance(10_000);
      expect(c.store.acquireLease('session', 'host:1', 60_000)).toBe(true);
      expect(b.leaseHolder('session')?.expiresAt).toBe(T0 + 70_000);
      expect(b.acquireLease('other', 'host:2', 1000)).toBe(true);
      expect(c.store.leaseHolder('other')?.holder).toBe('host:2');
    });

    it('an expired lease is taken over; the old holder can neither renew nor release it', () => {
      const b = c.open();
      expect(c.store.acquireLease('session', 'host:1', 30_000)).toBe(true);
      c.clock.advance(29_999);
      expect(b.acquireLease('session', 'host:2', 30_000)).toBe(false);
      c.clock.advance(1);
      expect(c.store.leaseHolder('session')).toBeUndefined();
      expect(b.acquireLease('session', 'host:2', 30_000)).toBe(true);
      expect(c.store.renewLease('session', 'host:1', 30_000)).toBe(false);
      expect(c.store.releaseLease('session', 'host:1')).toBe(false);
      expect(c.store.leaseHolder('session')).toStrictEqual({ holder: 'host:2', expiresAt: T0 + 60_000 });
    });

    it('a live lease of a dead process (by pid) is taken over at once; a live process keeps it', () => {
      const b = c.open();
      expect(c.store.acquireLease('session', 'host:111:run-a', 300_000)).toBe(true);
      const asked: string[] = [];
      expect(b.acquireLease('session', 'host:222:run-b', 300_000, (h) => { asked.push(h); return false; })).toBe(false);
      expect(asked).toStrictEqual(['host:111:run-a']);
      expect(b.acquireLease('session', 'host:222:run-b', 300_000, (h) => h.startsWith('host:111:'))).toBe(true);
      expect(c.store.leaseHolder('session')?.holder).toBe('host:222:run-b');
      expect(c.store.renewLease('session', 'host:111:run-a', 300_000)).toBe(false);
    });

    it('renew extends it, release frees it (only for its holder), bad ttls are refused', () => {
      const b = c.open();
      expect(c.store.acquireLease('session', 'host:1', 1000)).toBe(true);
      c.clock.advance(900);
      expect(c.store.renewLease('session', 'host:1', 1000)).toBe(true);
      expect(c.store.leaseHolder('session')?.expiresAt).toBe(T0 + 1900);
      c.clock.advance(900);
      expect(b.acquireLease('session', 'host:2', 1000)).toBe(false);
      expect(b.releaseLease('session', 'host:2')).toBe(false);
      expect(c.store.releaseLease('session', 'host:1')).toBe(true);
      expect(c.store.leaseHolder('session')).toBeUndefined();
      expect(b.acquireLease('session', 'host:2', 1000)).toBe(true);
      expect(b.renewLease('nothing', 'host:2', 1000)).toBe(false);
      for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => c.store.acquireLease('x', 'host:1', bad)).toThrow(RangeError);
        expect(() => b.renewLease('session', 'host:2', bad)).toThrow(RangeError);
      }
    });

    it('is shared through the data, so a restarted process sees who holds it', () => {
      expect(c.store.acquireLease('session', 'host:1', 60_000)).toBe(true);
      const s = c.reopen();
      expect(s.leaseHolder('session')).toStrictEqual({ holder: 'host:1', expiresAt: T0 + 60_000 });
      expect(s.acquireLease('session', 'host:2', 60_000)).toBe(false);
    });
  });
}
