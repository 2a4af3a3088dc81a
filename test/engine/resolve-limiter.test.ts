import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../support/virtual-clock.js';
import { DEFAULT_RESOLVES_PER_MINUTE, ResolveLimiter } from '../../src/telegram/resolve-limiter.js';

describe('ResolveLimiter', () => {
  it('lets perMinute lookups through at once, then makes the next wait for the oldest to leave the window', async () => {
    const clock = createVirtualClock();
    const t0 = clock.now();
    const limiter = new ResolveLimiter(2);
    const at: number[] = [];
    await Promise.all([0, 1, 2].map(async () => {
      await limiter.acquire('100', clock);
      at.push(clock.now() - t0);
    }));
    expect(at).toStrictEqual([0, 0, 60_000]);
    expect(limiter.recent('100', clock.now())).toBe(1);
  });

  it('counts per account: another account is not held back', async () => {
    const clock = createVirtualClock();
    const limiter = new ResolveLimiter(1);
    await limiter.acquire('100', clock);
    const t0 = clock.now();
    await limiter.acquire('200', clock);
    expect(clock.now()).toBe(t0);
    expect(limiter.recent('100', clock.now())).toBe(1);
    expect(limiter.recent('200', clock.now())).toBe(1);
  });

  it('has a documented default and rejects a limit that is not a positive integer', () => {
    expect(new ResolveLimiter().perMinute).toBe(DEFAULT_RESOLVES_PER_MINUTE);
    expect(() => new ResolveLimiter(0)).toThrow(RangeError);
    expect(() => new ResolveLimiter(1.5)).toThrow(RangeError);
  });
});
