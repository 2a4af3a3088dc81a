/** Contract of the peer cache role: resolved bots per account and username, kept across restarts. */
import { describe, expect, it } from 'vitest';
import { contractContext, T0, type MakeStoreHarness } from './harness.js';

const HASH = '-9223372036854775808'; // the smallest signed 64-bit value: no precision lost on the way

export function describePeerCacheContract(make: MakeStoreHarness): void {
  describe('peer cache', () => {
    const c = contractContext(make);

    it('gives a saved peer back per account and username, stamped with the store clock', () => {
      expect(c.store.cachedPeer('100', 'canary_bot')).toBeUndefined();
      c.clock.advance(5);
      c.store.savePeer('100', 'canary_bot', { userId: '7001', accessHash: HASH });
      expect(c.store.cachedPeer('100', 'canary_bot')).toStrictEqual({ userId: '7001', accessHash: HASH, resolvedAt: T0 + 5 });
      expect(c.store.cachedPeer('200', 'canary_bot')).toBeUndefined();
      expect(c.store.cachedPeer('100', 'stable_bot')).toBeUndefined();
    });

    it('usernames are case-insensitive and a leading @ is ignored', () => {
      c.store.savePeer('100', '@Canary_Bot', { userId: '7001', accessHash: '1' });
      expect(c.store.cachedPeer('100', 'canary_bot')?.userId).toBe('7001');
      expect(c.store.cachedPeer('100', 'CANARY_BOT')?.userId).toBe('7001');
    });

    it('a save replaces the entry; forget drops it once', () => {
      c.store.savePeer('100', 'canary_bot', { userId: '7001', accessHash: '1' });
      c.clock.advance(10);
      c.store.savePeer('100', 'canary_bot', { userId: '7002', accessHash: '2' });
      expect(c.store.cachedPeer('100', 'canary_bot')).toStrictEqual({ userId: '7002', accessHash: '2', resolvedAt: T0 + 10 });
      expect(c.store.forgetPeer('100', 'canary_bot')).toBe(true);
      expect(c.store.forgetPeer('100', 'canary_bot')).toBe(false);
      expect(c.store.cachedPeer('100', 'canary_bot')).toBeUndefined();
    });

    it('an entry saved by one process is read by another and after a restart', () => {
      c.store.savePeer('100', 'stable_bot', { userId: '7003', accessHash: HASH });
      expect(c.open().cachedPeer('100', 'stable_bot')?.accessHash).toBe(HASH);
      expect(c.reopen().cachedPeer('100', 'stable_bot')).toStrictEqual({ userId: '7003', accessHash: HASH, resolvedAt: T0 });
    });
  });
}
