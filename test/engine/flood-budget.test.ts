import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../support/virtual-clock.js';
import { DEFAULT_BUDGET_LIMITS, FloodBudget, floodWaitSeconds, methodFamily, unmeteredFloodBudget, type FloodEvent } from '../../src/telegram/flood-budget.js';
import { ResolveLimiter } from '../../src/telegram/resolve-limiter.js';
import { mapTelegramError } from '../../src/telegram/errors.js';

describe('FloodBudget (one token bucket per account and method family)', () => {
  it('lets a burst through at once, then one call per refill interval', async () => {
    const clock = createVirtualClock();
    const t0 = clock.now();
    const budget = new FloodBudget({ send: { burst: 2, perMinute: 6 } });
    const at: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await budget.take('a1', 'send', clock);
      at.push(clock.now() - t0);
    }
    expect(at).toStrictEqual([0, 0, 10_000, 20_000]);
    const send = budget.snapshot(clock.now()).find((f) => f.family === 'send');
    expect(send).toMatchObject({ account: 'a1', calls: 4, capacity: 2, floodWaits: 0 });
    expect(send?.tokens).toBeLessThan(1);
  });

  it('keeps accounts and families apart: an empty send bucket holds back neither reads nor another account', async () => {
    const clock = createVirtualClock();
    const budget = new FloodBudget({ send: { burst: 1, perMinute: 1 } });
    await budget.take('a1', 'send', clock);
    const t0 = clock.now();
    await budget.take('a1', 'read', clock);
    await budget.take('a2', 'send', clock);
    expect(clock.now()).toBe(t0);
  });

  it('a flood wait pauses the family for every chat of the account, and the listeners hear it', async () => {
    const clock = createVirtualClock();
    const t0 = clock.now();
    const budget = new FloodBudget();
    const events: FloodEvent[] = [];
    budget.onFlood((e) => events.push(e));
    budget.pause('a1', 'messages.SendMessage', 30, clock.now());
    const done: string[] = [];
    await Promise.all([
      budget.take('a1', 'send', clock).then(() => done.push(`chat1@${clock.now() - t0}`)),
      budget.take('a1', 'send', clock).then(() => done.push(`chat2@${clock.now() - t0}`)),
      budget.take('a1', 'read', clock).then(() => done.push(`read@${clock.now() - t0}`)),
      budget.take('a2', 'send', clock).then(() => done.push(`other-account@${clock.now() - t0}`)),
    ]);
    expect(done.sort()).toStrictEqual(['chat1@30000', 'chat2@30000', 'other-account@0', 'read@0']);
    expect(events).toStrictEqual([{ account: 'a1', family: 'send', seconds: 30, method: 'messages.SendMessage' }]);
    expect(budget.snapshot(clock.now()).find((f) => f.account === 'a1' && f.family === 'send')).toMatchObject({ floodWaits: 1, floodWaitSeconds: 30 });
  });

  it('a pause past the call deadline is an infrastructure error (TG_FLOOD_WAIT) at once, never slept through', async () => {
    const clock = createVirtualClock();
    const budget = new FloodBudget();
    budget.pause('a1', 'messages.sendMessage', 600, clock.now());
    const t0 = clock.now();
    await expect(budget.take('a1', 'send', clock, t0 + 15_000)).rejects.toMatchObject({ code: 'TG_FLOOD_WAIT', kind: 'infra' });
    expect(clock.now()).toBe(t0);
    expect(budget.snapshot(t0)[0]?.pausedUntil).toBe(t0 + 600_000);
  });

  it('a token the bucket cannot refill before the deadline fails fast as TG_FLOOD_WAIT too', async () => {
    const clock = createVirtualClock();
    const budget = new FloodBudget({ read: { burst: 1, perMinute: 1 } });
    await budget.take('a1', 'read', clock);
    await expect(budget.take('a1', 'read', clock, clock.now() + 1000)).rejects.toMatchObject({ code: 'TG_FLOOD_WAIT' });
  });

  it('the resolve family is the per-minute resolveUsername window (10 a minute by default)', async () => {
    const clock = createVirtualClock();
    const t0 = clock.now();
    const budget = new FloodBudget({ resolve: { perMinute: 2 } });
    const at: number[] = [];
    await Promise.all([0, 1, 2].map(async () => {
      await budget.take('a1', 'resolve', clock);
      at.push(clock.now() - t0);
    }));
    expect(at).toStrictEqual([0, 0, 60_000]);
    expect(new FloodBudget().resolveLimiter.perMinute).toBe(DEFAULT_BUDGET_LIMITS.resolve.perMinute);
    expect(DEFAULT_BUDGET_LIMITS.resolve.perMinute).toBe(10);
  });

  it('sorts methods into families and reads flood seconds from raw and mapped errors', () => {
    expect(methodFamily('messages.SendMessage')).toBe('send');
    expect(methodFamily('messages.sendMedia')).toBe('send');
    expect(methodFamily('messages.getHistory')).toBe('read');
    expect(methodFamily('updates.getDifference')).toBe('read');
    expect(methodFamily('contacts.resolveUsername(canary_bot)')).toBe('resolve');
    expect(methodFamily('users.getUsers(self)')).toBe('other');
    expect(floodWaitSeconds({ errorMessage: 'FLOOD_WAIT_42', seconds: 42 })).toBe(42);
    expect(floodWaitSeconds({ errorMessage: 'SLOWMODE_WAIT_7' })).toBe(7);
    expect(floodWaitSeconds({ errorMessage: 'FLOOD_PREMIUM_WAIT_3' })).toBe(3);
    expect(floodWaitSeconds(mapTelegramError({ errorMessage: 'FLOOD_WAIT_9', seconds: 9 }, 'x'))).toBe(9);
    expect(floodWaitSeconds({ errorMessage: 'PEER_FLOOD' })).toBeUndefined();
    expect(() => new FloodBudget({ send: { burst: 0, perMinute: 1 } })).toThrow(RangeError);
  });
});

describe('unmeteredFloodBudget (the classic one-pair run)', () => {
  it('never holds a call back for tokens, but still pauses the account on a flood wait and limits lookups', async () => {
    const clock = createVirtualClock();
    const t0 = clock.now();
    const budget = unmeteredFloodBudget(new ResolveLimiter(1));
    for (let i = 0; i < 500; i += 1) await budget.take('a1', 'send', clock);
    expect(clock.now()).toBe(t0);
    budget.pause('a1', 'messages.sendMessage', 5, clock.now());
    await budget.take('a1', 'send', clock);
    expect(clock.now() - t0).toBe(5000);
    await budget.take('a1', 'resolve', clock);
    await budget.take('a1', 'resolve', clock);
    expect(clock.now() - t0).toBe(65_000);
  });
});
