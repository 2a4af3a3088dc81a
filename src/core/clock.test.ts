import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock.preciseNow', () => {
  it('has sub-millisecond steps, never goes back, and stays within 2 ms of Date.now()', async () => {
    const precise = systemClock.preciseNow as () => number;
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const before = Date.now();
      const t = precise();
      const after = Date.now();
      expect(t).toBeGreaterThanOrEqual(before - 1);
      expect(t).toBeLessThan(after + 2);
      samples.push(t);
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    for (let i = 1; i < samples.length; i++) expect(samples[i]).toBeGreaterThanOrEqual(samples[i - 1] as number);
    expect(samples.filter((t) => !Number.isInteger(t)).length).toBeGreaterThan(100);
  });

  it('measures a 5 ms wait to well under a millisecond', async () => {
    const precise = systemClock.preciseNow as () => number;
    const t0 = precise();
    const h0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, 5));
    const dt = precise() - t0;
    const real = Number(process.hrtime.bigint() - h0) / 1e6;
    expect(Math.abs(dt - real)).toBeLessThan(0.2);
  });
});
