import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './exit-codes.js';

describe('exitCodeFor', () => {
  it('maps pass to 0 and fail to 1 whatever the inconclusive code', () => {
    expect(exitCodeFor('pass', 7)).toBe(0);
    expect(exitCodeFor('fail', 7)).toBe(1);
  });
  it('maps inconclusive (and anything unknown) to the configured code', () => {
    expect(exitCodeFor('inconclusive', 3)).toBe(3);
    expect(exitCodeFor('inconclusive', 0)).toBe(0);
    expect(exitCodeFor('pending', 42)).toBe(42);
  });
});
