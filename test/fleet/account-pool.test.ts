/**
 * The account pool's rules on the virtual clock: drains end with the flood wait, short waits never drain, a
 * revoked session drains until restart, leases keep two processes off one account, shards are checked.
 * (The same pool against the real sandbox and client: test/e2e/account-pool.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { MultiAccountPool, type PoolAccountSpec } from '../../src/fleet/account-pool.js';
import { FloodBudget } from '../../src/telegram/flood-budget.js';
import { mapTelegramError } from '../../src/telegram/errors.js';
import { silentLogger } from '../../src/util/logger.js';
import { createVirtualClock, type VirtualClock } from '../support/virtual-clock.js';
import { createMemoryStore, type MemoryRunStore } from '../support/memory-store.js';
import { FakeDriver } from '../support/fake-driver.js';

const ACCOUNTS: PoolAccountSpec[] = [{ name: 'a1', session: 's-one' }, { name: 'a2', session: 's-two' }];
const PAIRS = Array.from({ length: 12 }, (_, i) => `pair-${i}`);

function pool(clock: VirtualClock, store: MemoryRunStore, over: Partial<ConstructorParameters<typeof MultiAccountPool>[0]> = {}): MultiAccountPool {
  return new MultiAccountPool({
    accounts: ACCOUNTS, leases: store, leaseName: (s) => `session:${s}`, holder: 'host:1:test', clock, logger: silentLogger(),
    budget: new FloodBudget(), drainAfterSec: 300,
    createDriver: () => new FakeDriver({ clock, bots: { canary_bot: { hi: 'hello' } } }),
    ...over,
  });
}

describe('MultiAccountPool', () => {
  it('a flood wait over drainAfterSec drains the account until the wait ends; its pairs come back after', async () => {
    const clock = createVirtualClock();
    const store = createMemoryStore({ clock });
    const budget = new FloodBudget();
    const p = pool(clock, store, { budget });
    const before = p.assign(PAIRS);
    const owned = [...before].filter(([, a]) => a === 'a1').map(([x]) => x);
    expect(owned.length).toBeGreaterThan(0);
    budget.pause('a1', 'messages.SendMessage', 600, clock.now());
    expect(p.health().find((h) => h.account === 'a1')).toMatchObject({ state: 'drained', drainedUntil: clock.now() + 600_000, lastFault: 'FLOOD_WAIT_600' });
    const during = p.assign(PAIRS);
    for (const x of PAIRS) expect(during.get(x)).toBe('a2');
    await expect(p.open('a1', [])).rejects.toMatchObject({ code: 'FLEET_NO_ACCOUNT', kind: 'infra' });
    clock.advance(600_001);
    expect(p.health().find((h) => h.account === 'a1')?.state).toBe('ready');
    expect([...p.assign(PAIRS)]).toStrictEqual([...before]);
    await p.close();
  });

  it('a flood wait within drainAfterSec slows the account but never drains it', () => {
    const clock = createVirtualClock();
    const budget = new FloodBudget();
    const p = pool(clock, createMemoryStore({ clock }), { budget });
    budget.pause('a1', 'messages.SendMessage', 300, clock.now());
    expect(p.health().find((h) => h.account === 'a1')).toMatchObject({ state: 'ready', lastFault: 'FLOOD_WAIT_300' });
    expect(new Set(p.assign(PAIRS).values())).toStrictEqual(new Set(['a1', 'a2']));
  });

  it('a revoked session (seen at connect) drains the account until restart and gives its lease back', async () => {
    const clock = createVirtualClock();
    const store = createMemoryStore({ clock });
    const revoked = mapTelegramError({ errorMessage: 'AUTH_KEY_UNREGISTERED', code: 401 }, 'users.getUsers(self)');
    const p = pool(clock, store, { createDriver: (a) => new FakeDriver({ clock, bots: {}, connectError: a.name === 'a2' ? revoked : undefined }) });
    await expect(p.open('a2', [])).rejects.toMatchObject({ code: 'TG_SESSION_INVALID' });
    expect(p.health().find((h) => h.account === 'a2')).toMatchObject({ state: 'drained', lastFault: 'AUTH_KEY_UNREGISTERED' });
    expect(store.leaseHolder('session:s-two')).toBeUndefined();
    clock.advance(7 * 86_400_000);
    expect([...p.assign(PAIRS).values()].every((a) => a === 'a1')).toBe(true);
    // a restart (a new pool) tries the account again
    expect(new Set(pool(clock, store).assign(PAIRS).values())).toStrictEqual(new Set(['a1', 'a2']));
  });

  it('an account whose lease another process holds is not opened twice (lease-held), and release gives the lease back', async () => {
    const clock = createVirtualClock();
    const store = createMemoryStore({ clock });
    const mine = pool(clock, store);
    const other = pool(clock, store, { holder: 'otherhost:2:x' });
    const session = await mine.open('a1', ['canary_bot']);
    expect(mine.health().find((h) => h.account === 'a1')?.state).toBe('busy');
    await expect(other.open('a1', [])).rejects.toMatchObject({ code: 'SESSION_LEASE_HELD' });
    expect(other.health().find((h) => h.account === 'a1')?.state).toBe('lease-held');
    const d = session.driverFor('pair-0');
    await d.connect({ bots: ['canary_bot'] });
    const sent = await d.send(await d.resolveBot('canary_bot'), 'hi');
    expect((await d.waitForReply(await d.resolveBot('canary_bot'), sent, { timeoutMs: 1000, settleMs: 100, minMessages: 1 })).text).toBe('hello');
    await session.release();
    expect(store.leaseHolder('session:s-one')).toBeUndefined();
    await expect(other.open('a1', [])).resolves.toMatchObject({ account: 'a1' });
    await other.close();
    await mine.close();
  });

  it('shards: a process runs only the pairs its accounts win over all accounts; an unknown shard name is a config error', () => {
    const clock = createVirtualClock();
    const store = createMemoryStore({ clock });
    const all = pool(clock, store).assign(PAIRS);
    const s1 = pool(clock, store, { shard: ['a1'] });
    const s2 = pool(clock, store, { shard: ['a2'] });
    const m1 = s1.assign(PAIRS);
    const m2 = s2.assign(PAIRS);
    expect([...m1.keys()].filter((k) => m2.has(k))).toStrictEqual([]);
    expect(new Map([...m1, ...m2])).toStrictEqual(all);
    expect(s1.outOfShard(PAIRS).sort()).toStrictEqual([...m2.keys()].sort());
    expect(s1.health().map((h) => h.account)).toStrictEqual(['a1']);
    expect(() => pool(clock, store, { shard: ['a3'] })).toThrow(expect.objectContaining({ code: 'FLEET_ACCOUNT_UNKNOWN' }));
  });
});
