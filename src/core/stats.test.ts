import { describe, expect, it } from 'vitest';
import {
  fisherExact, holmRejects, mannWhitneyU, mean, median, normalCdf, normalDeviate, passHatK, percentile, seededRandom, smallestFisherP,
} from './stats.js';

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

/** Exact binomial coefficient with BigInt (the reference for the float implementation). */
function binom(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** One-sided (greater) hypergeometric tail P(X ≥ a), summed as exact fractions of BigInts. */
function exactGreater(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  const fails = a + c;
  const row = a + b;
  let num = 0n;
  for (let x = a; x <= Math.min(row, fails); x++) num += binom(fails, x) * binom(n - fails, row - x);
  const den = binom(n, row);
  // 15 significant digits of num / den
  return Number((num * 10n ** 18n) / den) / 1e18;
}

describe('fisherExact (one-sided)', () => {
  it('matches hand-computed hypergeometric tails', () => {
    // Fisher's tea-tasting table [[3, 1], [1, 3]]: P(X ≥ 3) = (C(4,3)C(4,1) + C(4,4)C(4,0)) / C(8,4) = 17/70,
    // the value R's fisher.test(matrix(c(3, 1, 1, 3), 2), alternative = "greater") reports (0.2429)
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(17 / 70, 12);
    // and the other tail: P(X ≤ 3) = 1 − P(X = 4) = 69/70
    expect(fisherExact(3, 1, 1, 3, 'less')).toBeCloseTo(69 / 70, 12);
    // every canary attempt failed, every stable attempt passed: 1 / C(n1 + n2, n1)
    expect(fisherExact(5, 0, 0, 5)).toBeCloseTo(1 / 252, 12);
    expect(fisherExact(4, 0, 0, 4)).toBeCloseTo(1 / 70, 12);
    expect(fisherExact(1, 0, 0, 1)).toBeCloseTo(0.5, 12);
    // a replica failing one message in three, 12 attempts per side: C(12,4) / C(24,4) = 495 / 10626
    expect(fisherExact(4, 8, 0, 12)).toBeCloseTo(495 / 10626, 12);
    // nothing failed anywhere: no evidence at all
    expect(fisherExact(0, 10, 0, 10)).toBe(1);
    // canary better than stable: p near 1
    expect(fisherExact(0, 10, 5, 5)).toBe(1);
  });

  it('agrees with the exact BigInt tail on larger tables', () => {
    const tables: [number, number, number, number][] = [
      [10, 90, 2, 98], // exact tail (Python math.comb): 0.0165200547
      [6, 9, 1, 14],
      [8, 16, 0, 24],
      [30, 170, 18, 182],
      [3, 297, 1, 299],
    ];
    for (const [a, b, c, d] of tables) {
      expect(fisherExact(a, b, c, d), `${a} ${b} ${c} ${d}`).toBeCloseTo(exactGreater(a, b, c, d), 10);
    }
    expect(fisherExact(10, 90, 2, 98)).toBeCloseTo(0.01652005, 7);
  });

  it('greater and less are mirror images (swap the rows)', () => {
    expect(fisherExact(2, 8, 6, 4, 'less')).toBeCloseTo(fisherExact(6, 4, 2, 8, 'greater'), 12);
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => fisherExact(-1, 2, 3, 4)).toThrow(RangeError);
    expect(() => fisherExact(1.5, 2, 3, 4)).toThrow(RangeError);
  });

  it('smallestFisherP is the p of the most extreme table', () => {
    expect(smallestFisherP(1, 1)).toBeCloseTo(0.5, 12);
    expect(smallestFisherP(3, 3)).toBeCloseTo(0.05, 12);
    expect(smallestFisherP(5, 5)).toBeCloseTo(fisherExact(5, 0, 0, 5), 12);
    expect(smallestFisherP(0, 5)).toBe(1);
  });
});

describe('passHatK', () => {
  it('is C(c,k)/C(n,k): the chance k attempts in a row all pass', () => {
    expect(passHatK(5, 5, 5)).toBe(1);
    expect(passHatK(5, 4, 5)).toBe(0);
    expect(passHatK(4, 3, 2)).toBeCloseTo(3 / 6, 12); // C(3,2)/C(4,2)
    expect(passHatK(10, 7, 3)).toBeCloseTo(35 / 120, 12);
    expect(passHatK(3, 3, 1)).toBe(1);
    expect(passHatK(4, 1, 1)).toBeCloseTo(0.25, 12); // pass^1 is the pass rate
    expect(passHatK(2, 2, 3)).toBeNull();
  });
});

describe('holmRejects', () => {
  it('steps down: compares the i-th smallest p with alpha / (m − i)', () => {
    // m = 4: levels 0.0125, 0.0167, 0.025, 0.05
    expect(holmRejects([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true]);
    expect(holmRejects([0.01, 0.02, 0.03, 0.04], 0.05)).toEqual([true, false, false, false]); // 0.02 > 0.05/3 stops it
    expect(holmRejects([0.01, 0.015, 0.02, 0.04], 0.05)).toEqual([true, true, true, true]);
    expect(holmRejects([0.02, 0.001], 0.05)).toEqual([true, true]);
    expect(holmRejects([0.03, 0.03], 0.05)).toEqual([false, false]);
    expect(holmRejects([], 0.05)).toEqual([]);
  });
});
