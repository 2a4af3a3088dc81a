import { describe, expect, it } from 'vitest';
import { BotApiError, DEFAULT_LIMITS, TokenBuckets, resolveLimits, tooManyRequests } from './bot-limits.js';

describe('TokenBuckets', () => {
  it('allows the burst, then one per 1/rate seconds, with retry_after the whole seconds to the next token', () => {
    let now = 0;
    const b = new TokenBuckets(() => now);
    expect([b.take('k', 1, 3), b.take('k', 1, 3), b.take('k', 1, 3)]).toEqual([0, 0, 0]);
    expect(b.take('k', 1, 3)).toBe(1);
    now = 400;
    expect(b.take('k', 1, 3)).toBe(1); // 0.4 token: ceil(0.6 s)
    now = 1000;
    expect(b.take('k', 1, 3)).toBe(0);
    expect(b.take('k', 0.25, 3)).toBe(4); // a slower rate (a rate_limit fault) on the same bucket
    expect(b.take('other', 1, 3)).toBe(0); // buckets are per key
  });

  it('refills up to the burst only', () => {
    let now = 0;
    const b = new TokenBuckets(() => now);
    now = 60_000;
    for (let i = 0; i < 2; i++) expect(b.take('k', 1, 2)).toBe(0);
    expect(b.take('k', 1, 2)).toBeGreaterThan(0);
  });

  it('Infinity lifts the limit; rate 0 allows the burst only', () => {
    const b = new TokenBuckets(() => 0);
    for (let i = 0; i < 100; i++) expect(b.take('k', Infinity, 1)).toBe(0);
    expect(b.take('z', 0, 1)).toBe(0);
    expect(b.take('z', 0, 1)).toBeGreaterThan(0);
  });
});

describe('limits', () => {
  it('merges overrides and rejects unknown or negative fields by name', () => {
    expect(resolveLimits({ editBurst: 7 })).toEqual({ ...DEFAULT_LIMITS, editBurst: 7 });
    expect(() => resolveLimits({ editBurst: -1 })).toThrow(/editBurst/);
    expect(() => resolveLimits({ nope: 1 } as unknown as Partial<typeof DEFAULT_LIMITS>)).toThrow(/unknown field nope/);
  });

  it('a 429 looks like a Bot API library error', () => {
    const e = tooManyRequests(3);
    expect(e).toBeInstanceOf(BotApiError);
    expect(e).toBeInstanceOf(Error);
    expect({ code: e.code, retryAfter: e.retryAfter, description: e.description, message: e.message, parameters: e.parameters }).toEqual({
      code: 429,
      retryAfter: 3,
      description: 'Too Many Requests: retry after 3',
      message: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
  });
});
