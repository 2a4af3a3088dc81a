/**
 * Is canary's failure rate greater than stable's? Pools the graded attempts (pass/fail; infrastructure errors
 * and skips never count) of this run and of the last K runs, overall and per suite, removes failures with a cause
 * both targets show (the same error text or class: a shared outage), and asks Fisher's exact test (one-sided,
 * Holm-corrected over the comparisons). Each comparison gets a band, as Kayenta scores a canary:
 *
 * - `fail`     canary's own failure rate is significantly greater than stable's, by at least the tolerance, and
 *              this run shows canary failures;
 * - `marginal` canary looks worse but the evidence does not settle it (too few samples, not significant, or
 *              failures with a shared cause in this run): the run is inconclusive, never a rollback;
 * - `pass`     nothing says canary fails more often than stable.
 *
 * Pure: no I/O, no clock.
 */
import { describeCause, failureCauses } from './failure-cause.js';
import { fisherExact, holmRejects, smallestFisherP } from './stats.js';
import type { ScenarioResult, TargetName } from './types.js';

export type Band = 'pass' | 'marginal' | 'fail';

export interface FailureRatePolicy {
  /** Previous runs pooled with this one. */
  failureWindowRuns: number;
  /** Family-wise significance level (Holm over overall + suites). */
  failureAlpha: number;
  /** Smallest canary − stable failure-rate difference that can fail (0..1). */
  failureTolerance: number;
  /** Fewest graded attempts per target before the rates are judged. */
  failureMinSamples: number;
}

/** One graded attempt (pass or fail) of a scenario on a target. */
export interface Attempt {
  runId: string;
  current: boolean;
  scenario: string;
  suite: string;
  target: TargetName;
  failed: boolean;
  causes: readonly string[];
}

export interface RateSide {
  /** Graded attempts. */
  n: number;
  failures: number;
  /** failures / n (0 when n = 0). */
  rate: number;
  /** Failures with a shared cause, left out of `own`. */
  shared: number;
  /** Failures and attempts without the shared-cause failures: what the test compares. */
  own: { n: number; failures: number; rate: number };
}

export interface RateComparison {
  /** `overall`, or the suite name. */
  scope: string;
  canary: RateSide;
  stable: RateSide;
  /** One-sided Fisher p-value: canary's own failure rate greater than stable's. */
  p: number;
  /** Level p was held to (Holm: alpha / (m − rank)). */
  level: number;
  significant: boolean;
  /** Too few attempts for any outcome to be significant. */
  insufficient: boolean;
  /** Canary's own failures in this run (what can make the run fail). */
  currentCanaryFailures: number;
  /** Canary failures in this run with a shared cause. */
  currentSharedFailures: number;
  band: Band;
  reason: string;
}

export interface SharedCause {
  cause: string;
  canary: number;
  stable: number;
}

export interface FailureRateReport {
  /** Runs pooled: this one and the previous ones kept in the window. */
  runs: number;
  alpha: number;
  tolerance: number;
  minSamples: number;
  overall: RateComparison;
  suites: Record<string, RateComparison>;
  sharedCauses: SharedCause[];
}

/** Level below which a cause both targets show counts as canary's own anyway (canary hits it far more often). */
const AMPLIFIED_ALPHA_FACTOR = 0.1;

const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
const fmtP = (p: number): string => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/** Attempts of this run's results (with their causes). */
export function currentAttempts(runId: string, results: readonly ScenarioResult[]): Attempt[] {
  return results
    .filter((r) => r.status === 'pass' || r.status === 'fail')
    .map((r) => ({ runId, current: true, scenario: r.scenario, suite: r.suite, target: r.target, failed: r.status === 'fail', causes: failureCauses(r) }));
}

function side(attempts: readonly Attempt[], isShared: (a: Attempt) => boolean): RateSide {
  const n = attempts.length;
  const failures = attempts.filter((a) => a.failed).length;
  const shared = attempts.filter((a) => a.failed && isShared(a)).length;
  const ownN = n - shared;
  const ownF = failures - shared;
  return { n, failures, rate: n ? failures / n : 0, shared, own: { n: ownN, failures: ownF, rate: ownN ? ownF / ownN : 0 } };
}

/**
 * Causes both targets showed in the window, unless canary shows one significantly more often than stable (then it
 * is canary's problem that merely looks like the shared one, e.g. a canary silent every time, stable once).
 */
function sharedCauses(attempts: readonly Attempt[], alpha: number): SharedCause[] {
  const count = (t: TargetName): Map<string, number> => {
    const m = new Map<string, number>();
    for (const a of attempts) if (a.target === t && a.failed) for (const c of new Set(a.causes)) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const nC = attempts.filter((a) => a.target === 'canary').length;
  const nS = attempts.filter((a) => a.target === 'stable').length;
  const canary = count('canary');
  const stable = count('stable');
  const out: SharedCause[] = [];
  for (const [cause, c] of canary) {
    const s = stable.get(cause);
    if (s === undefined) continue;
    if (fisherExact(c, nC - c, s, nS - s) < alpha * AMPLIFIED_ALPHA_FACTOR) continue;
    out.push({ cause, canary: c, stable: s });
  }
  return out.sort((a, b) => b.canary + b.stable - (a.canary + a.stable) || a.cause.localeCompare(b.cause));
}

/** Scenario names stable failed or errored in each run: a canary failure of the same scenario in the same run is shared. */
function stableTrouble(attempts: readonly Attempt[], stableErrors: ReadonlySet<string>): Set<string> {
  const out = new Set(stableErrors);
  for (const a of attempts) if (a.target === 'stable' && a.failed) out.add(`${a.runId}\u0000${a.scenario}`);
  return out;
}

export interface FailureRateInput {
  attempts: readonly Attempt[];
  /** `runId\0scenario` of stable's infrastructure errors (a shared failure of the same scenario and run). */
  stableErrors: ReadonlySet<string>;
  runs: number;
  policy: FailureRatePolicy;
}

/** Compares canary's and stable's failure rates overall and per suite. */
export function compareFailureRates(input: FailureRateInput): FailureRateReport {
  const { attempts, policy } = input;
  const alpha = policy.failureAlpha;
  const shared = sharedCauses(attempts, alpha);
  const sharedSet = new Set(shared.map((s) => s.cause));
  const trouble = stableTrouble(attempts, input.stableErrors);
  const isShared = (a: Attempt): boolean =>
    a.causes.some((c) => sharedSet.has(c)) || (a.target === 'canary' && trouble.has(`${a.runId}\u0000${a.scenario}`));

  const suites = [...new Set(attempts.filter((a) => a.target === 'canary').map((a) => a.suite))].sort();
  const scopes: { scope: string; attempts: Attempt[] }[] = [{ scope: 'overall', attempts: [...attempts] }];
  if (suites.length > 1) for (const s of suites) scopes.push({ scope: s, attempts: attempts.filter((a) => a.suite === s) });

  const raw = scopes.map(({ scope, attempts: as }) => {
    const canaryAs = as.filter((a) => a.target === 'canary');
    const c = side(canaryAs, isShared);
    const s = side(as.filter((a) => a.target === 'stable'), isShared);
    const p = fisherExact(c.own.failures, c.own.n - c.own.failures, s.own.failures, s.own.n - s.own.failures);
    const currentCanary = canaryAs.filter((a) => a.current && a.failed);
    const named = new Map<string, number>();
    for (const a of currentCanary) if (!isShared(a)) named.set(a.scenario, (named.get(a.scenario) ?? 0) + 1);
    return {
      scope, c, s, p,
      failedNow: [...named].map(([name, k]) => (k > 1 ? `${name} ×${k}` : name)).join(', '),
      currentCanaryFailures: currentCanary.filter((a) => !isShared(a)).length,
      currentSharedFailures: currentCanary.filter((a) => isShared(a)).length,
    };
  });
  const m = raw.length;
  const rejects = holmRejects(raw.map((r) => r.p), alpha);
  const rankOf = new Map([...raw.map((r, i) => ({ p: r.p, i }))].sort((a, b) => a.p - b.p).map((x, rank) => [x.i, rank]));

  const comparisons = raw.map((r, i): RateComparison => {
    const level = alpha / (m - (rankOf.get(i) ?? 0));
    const worst = alpha / m; // the strictest level any comparison may face
    const insufficient = r.c.own.n < policy.failureMinSamples || r.s.own.n < policy.failureMinSamples || smallestFisherP(r.c.own.n, r.s.own.n) >= worst;
    const gap = r.c.own.rate - r.s.own.rate;
    const significant = rejects[i] === true && !insufficient;
    let band: Band;
    if (significant && gap >= policy.failureTolerance && r.currentCanaryFailures > 0) band = 'fail';
    else if (r.currentSharedFailures > 0 || (r.currentCanaryFailures > 0 && (insufficient || gap >= policy.failureTolerance || significant))) band = 'marginal';
    else band = 'pass';
    const numbers =
      `canary ${pct(r.c.own.rate)} (${r.c.own.failures}/${r.c.own.n}) vs stable ${pct(r.s.own.rate)} (${r.s.own.failures}/${r.s.own.n}), ` +
      `Fisher p=${fmtP(r.p)}${insufficient ? '' : ` (level ${fmtP(level)})`}`;
    const sharedNote = r.c.shared + r.s.shared > 0 ? `; left out as shared causes: canary ${r.c.shared}, stable ${r.s.shared}` : '';
    let reason: string;
    if (band === 'fail') reason = `failure rate ${r.scope}: canary fails more often than stable: ${numbers}${sharedNote}; failed in this run: ${r.failedNow}`;
    else if (insufficient && r.currentCanaryFailures > 0) {
      reason = `failure rate ${r.scope}: insufficient evidence: ${numbers}; need at least ${policy.failureMinSamples} graded attempts per target (repeat: N, or more runs)`;
    } else if (band === 'marginal' && r.currentSharedFailures > 0 && r.currentCanaryFailures === 0) {
      reason = `failure rate ${r.scope}: canary failures have a cause stable shows too: ${numbers}${sharedNote}`;
    } else if (band === 'marginal') {
      reason = `failure rate ${r.scope}: marginal: ${numbers}${sharedNote}; not enough to fail, not clean enough to pass`;
    } else if (significant && gap >= policy.failureTolerance) {
      reason = `failure rate ${r.scope}: canary was worse earlier in the window but failed nothing of its own in this run: ${numbers}`;
    } else reason = `failure rate ${r.scope}: ${numbers}${sharedNote}`;
    return {
      scope: r.scope,
      canary: r.c,
      stable: r.s,
      p: r.p,
      level,
      significant,
      insufficient,
      currentCanaryFailures: r.currentCanaryFailures,
      currentSharedFailures: r.currentSharedFailures,
      band,
      reason,
    };
  });
  const [overall, ...rest] = comparisons as [RateComparison, ...RateComparison[]];
  const suiteMap: Record<string, RateComparison> = {};
  if (rest.length > 0) for (const c of rest) suiteMap[c.scope] = c;
  else for (const s of suites) suiteMap[s] = { ...overall, scope: s, reason: overall.reason.replace(/^failure rate overall:/, `failure rate ${s}:`) };
  return {
    runs: input.runs,
    alpha,
    tolerance: policy.failureTolerance,
    minSamples: policy.failureMinSamples,
    overall,
    suites: suiteMap,
    sharedCauses: shared,
  };
}

/** "error text "…" (canary 3, stable 2)" for the reasons. */
export function describeShared(s: SharedCause): string {
  return `${describeCause(s.cause)} (canary ${s.canary}, stable ${s.stable})`;
}
