/**
 * Small statistics for the verdict policy: percentiles, medians, the Mann-Whitney U test (normal approximation
 * with tie and continuity correction), Fisher's exact test of two failure rates, pass^k, Holm's correction, and a
 * seeded PRNG. Pure: no I/O, no imports.
 */

/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Percentile `p` (0..100) with linear interpolation between closest ranks (R type 7, numpy's default).
 * NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const clamped = Math.min(100, Math.max(0, p));
  const h = ((sorted.length - 1) * clamped) / 100;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** erfc(x) after W. H. Press et al. (Chebyshev fit, relative error below 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution function Φ(z). */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

export type Alternative = 'greater' | 'less' | 'two-sided';

export interface MannWhitneyResult {
  /** U statistic of the first sample (number of pairs where x beats y, ties counting one half). */
  u: number;
  /** Standardized statistic after continuity correction (0 when the variance is zero). */
  z: number;
  /** p-value of the chosen alternative; 1 when a sample is empty or every value is tied. */
  p: number;
  n1: number;
  n2: number;
}

/**
 * Mann-Whitney U test of `x` against `y`. `greater`: H1 is that values of x tend to be larger than values of y
 * (e.g. canary latencies slower than stable's). Normal approximation, with the tie correction of the variance and a
 * continuity correction of 0.5; adequate from about 8 values per sample, conservative below.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: Alternative = 'greater'): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, p: 1, n1, n2 };
  const all = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((a, b) => a.v - b.v);
  const n = all.length;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const avgRank = (i + j + 2) / 2; // ranks are 1-based: positions i..j hold ranks i+1..j+1
    const t = j - i + 1;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if ((all[k] as { fromX: boolean }).fromX) rankSumX += avgRank;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, p: 1, n1, n2 };
  const sigma = Math.sqrt(variance);
  const diff = u - mu;
  let z: number;
  let p: number;
  if (alternative === 'greater') {
    z = (diff - 0.5) / sigma;
    p = 1 - normalCdf(z);
  } else if (alternative === 'less') {
    z = (diff + 0.5) / sigma;
    p = normalCdf(z);
  } else {
    z = (Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5)) / sigma;
    p = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  }
  return { u, z, p: Math.min(1, Math.max(0, p)), n1, n2 };
}

/** A small seeded PRNG (mulberry32): deterministic uniform numbers in [0, 1). For jitter and tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from a uniform source (Box-Muller). */
export function normalDeviate(rand: () => number): number {
  const u1 = Math.max(rand(), Number.MIN_VALUE);
  const u2 = rand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// ---------------------------------------------------------------- counts: Fisher's exact test, pass^k, Holm

const logFactorials: number[] = [0];

/** ln(n!) from a table grown on demand (exact sums of logs; n is a count of scenario attempts). */
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push((logFactorials[i - 1] as number) + Math.log(i));
  return logFactorials[n] as number;
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/**
 * Fisher's exact test of a 2×2 table of counts, one-sided:
 *
 *              failed  passed
 *   first        a       b
 *   second       c       d
 *
 * `greater`: H1 is that the first row fails more often than the second (canary worse than stable). With the
 * margins fixed, a follows the hypergeometric law: P(X = x) = C(a+c, x) C(b+d, a+b−x) / C(n, a+b); the p-value is
 * P(X ≥ a) (`greater`) or P(X ≤ a) (`less`), as R's `fisher.test(matrix(c(a, c, b, d), 2), alternative = …)`.
 */
export function fisherExact(a: number, b: number, c: number, d: number, alternative: 'greater' | 'less' = 'greater'): number {
  for (const v of [a, b, c, d]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`fisherExact needs non-negative integer counts, got ${a}, ${b}, ${c}, ${d}`);
  }
  const rowFirst = a + b;
  const fails = a + c;
  const n = a + b + c + d;
  const lo = Math.max(0, rowFirst - (n - fails));
  const hi = Math.min(rowFirst, fails);
  const logDen = logChoose(n, rowFirst);
  const pmf = (x: number): number => Math.exp(logChoose(fails, x) + logChoose(n - fails, rowFirst - x) - logDen);
  let p = 0;
  if (alternative === 'greater') for (let x = a; x <= hi; x++) p += pmf(x);
  else for (let x = lo; x <= a; x++) p += pmf(x);
  return Math.min(1, Math.max(0, p));
}

/**
 * The smallest one-sided Fisher p-value two samples of n1 and n2 attempts can give (every attempt of the first
 * failed, every attempt of the second passed): 1 / C(n1 + n2, n1). When it is above the level, no outcome of
 * samples this small could be significant: there is not enough evidence to judge.
 */
export function smallestFisherP(n1: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 1;
  return Math.exp(-logChoose(n1 + n2, n1));
}

/**
 * pass^k: the chance that k attempts in a row all pass, estimated without bias from n attempts with c passes as
 * C(c, k) / C(n, k) (τ-bench). null when there are fewer than k attempts.
 */
export function passHatK(n: number, c: number, k: number): number | null {
  if (k < 1 || n < k || c < 0 || c > n) return null;
  if (c < k) return 0;
  return Math.exp(logChoose(c, k) - logChoose(n, k));
}

/** Holm's step-down procedure: which of the p-values are rejected at family-wise level alpha, in input order. */
export function holmRejects(pValues: readonly number[], alpha: number): boolean[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const out = pValues.map(() => false);
  for (const [rank, { p, i }] of order.entries()) {
    if (p > alpha / (pValues.length - rank)) break;
    out[i] = true;
  }
  return out;
}

