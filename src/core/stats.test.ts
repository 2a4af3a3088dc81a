import { describe, expect, it } from 'vitest';
import { mannWhitneyU, mean, median, normalCdf, normalDeviate, percentile, seededRandom } from './stats.js';

describe('percentile and median', () => {
  it('interpolates between ranks like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48, 10);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(median([5, 1, 3])).toBe(3);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
    expect(mean([1, 2, 3, 6])).toBe(3);
  });
});

describe('normalCdf', () => {
  it('matches table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalCdf(3)).toBeCloseTo(0.998650102, 6);
  });
});

describe('mannWhitneyU', () => {
  it('computes U, z and p for separated samples (hand-checked)', () => {
    const r = mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5], 'greater');
    expect(r.u).toBe(25);
    // mu = 12.5, sigma = sqrt(25/12 * 11) = 4.7871, z = (12.5 - 0.5) / 4.7871 = 2.5067
    expect(r.z).toBeCloseTo(2.5067, 3);
    expect(r.p).toBeCloseTo(0.00609, 4);
  });

  it('is symmetric between greater and less', () => {
    const x = [3, 5, 5, 8, 9, 12];
    const y = [1, 2, 5, 5, 6, 7, 7];
    const g = mannWhitneyU(x, y, 'greater');
    const l = mannWhitneyU(y, x, 'less');
    expect(g.p).toBeCloseTo(l.p, 12);
    expect(g.u + mannWhitneyU(y, x, 'greater').u).toBe(x.length * y.length);
  });

  it('applies the tie correction (variance shrinks with ties)', () => {
    // x = [1,2,2,3], y = [2,3,3,4]; ties: value 2 (3 times), value 3 (3 times) → Σ(t³−t) = 48
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 3, 4], 'less');
    // ranks: 1→1, 2→3 (x2,y1), 3→6 (x1,y2), 4→8; R_x = 1 + 3 + 3 + 6 = 13, U = 13 − 10 = 3
    expect(r.u).toBe(3);
    const variance = (16 / 12) * (9 - 48 / 56);
    expect(r.z).toBeCloseTo((3 - 8 + 0.5) / Math.sqrt(variance), 10);
  });

  it('returns p = 1 when everything is tied or a sample is empty', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).p).toBe(1);
    expect(mannWhitneyU([], [1, 2]).p).toBe(1);
  });

  it('two-sided p is twice the smaller one-sided p', () => {
    const x = [10, 11, 14, 15, 18, 19, 22];
    const y = [8, 9, 10, 12, 13, 13, 16];
    const two = mannWhitneyU(x, y, 'two-sided').p;
    const one = mannWhitneyU(x, y, 'greater').p;
    expect(two).toBeCloseTo(2 * one, 10);
  });
});

describe('seededRandom', () => {
  it('is deterministic per seed and roughly uniform', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const sa = Array.from({ length: 5 }, a);
    expect(sa).toEqual(Array.from({ length: 5 }, b));
    expect(sa).not.toEqual(Array.from({ length: 5 }, c));
    const r = seededRandom(7);
    const xs = Array.from({ length: 10_000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
    const n = seededRandom(9);
    const zs = Array.from({ length: 10_000 }, () => normalDeviate(n));
    expect(Math.abs(mean(zs))).toBeLessThan(0.05);
  });
});
