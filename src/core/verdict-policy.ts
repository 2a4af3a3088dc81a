/**
 * The verdict policy: turns one run's scenario results plus recent history into the verdict JSON
 * (pass / fail / inconclusive, decision, streaks, flaky scenarios). Pure: no I/O, no clock.
 *
 * Principles: only a canary-specific problem may fail a run. Infrastructure errors, aborted runs and failures that
 * stable shares (a common dependency, Telegram itself) make the run inconclusive, never a rollback. For the
 * scenarios both targets run, a failure alone proves nothing: canary's failure rate must be significantly greater
 * than stable's over this run and the last runs (src/core/failure-rates.ts); too few attempts are "insufficient
 * evidence". Scenarios only canary runs have no baseline and are judged on their own.
 */
import { compareFailureRates, currentAttempts, describeShared, type Attempt, type FailureRateReport, type RateComparison } from './failure-rates.js';
import { failureCauses } from './failure-cause.js';
import type { ScenarioHistoryRow } from './ports.js';
import { mannWhitneyU, mean, median, passHatK, percentile } from './stats.js';
import type {
  Decision,
  FailureRatesReport,
  RateComparisonReport,
  RepeatStats,
  ScenarioResult,
  ScenarioStatus,
  SuiteSummary,
  TargetName,
  TargetSummary,
  Verdict,
  VerdictReport,
  VerdictScenario,
} from './types.js';

export interface VerdictPolicy {
  /** Failing runs in a row (inconclusive runs in between neither count nor reset) before `rollback`. */
  rollbackAfter: number;
  /** p95 budget of canary's final reply latency per suite, with `default` for suites not listed; absent = none. */
  latencyP95BudgetMs: Record<string, number>;
  /** Previous runs taken with this one for the latency budget and the canary/stable comparison. */
  latencyWindowRuns: number;
  /** Fraction by which canary's median latency must exceed stable's to count (0.2 = 20 % slower). */
  latencyTolerance: number;
  /** Significance level of the one-sided Mann-Whitney U test (Bonferroni-split across the suites compared). */
  latencyAlpha: number;
  /** Runs (this one included) in which pass↔fail flips are counted. */
  flakyWindowRuns: number;
  /** A scenario is flaky when it flipped more than this many times in the window. */
  flakyFlips: number;
  /** Previous runs pooled with this one when canary and stable failure rates are compared. */
  failureWindowRuns: number;
  /** Family-wise level of the one-sided Fisher exact test (Holm over overall and the suites). */
  failureAlpha: number;
  /** Smallest canary − stable failure-rate difference that can fail the canary. */
  failureTolerance: number;
  /** Fewest graded attempts per target in the window before failure rates are judged. */
  failureMinSamples: number;
}

export const DEFAULT_VERDICT_POLICY: VerdictPolicy = {
  rollbackAfter: 1,
  latencyP95BudgetMs: {},
  latencyWindowRuns: 10,
  latencyTolerance: 0.2,
  latencyAlpha: 0.05,
  flakyWindowRuns: 10,
  flakyFlips: 3,
  failureWindowRuns: 5,
  failureAlpha: 0.05,
  failureTolerance: 0.1,
  failureMinSamples: 5,
};

/** Fewest latency samples per side before the Mann-Whitney comparison is attempted. */
export const MIN_LATENCY_SAMPLES = 5;

/**
 * Smallest canary − stable median difference that can count as a latency regression. Without it, fast bots fail
 * on noise: the serve soak (bench/serve-soak.mjs) rolled back 14 runs in 1,000 for 27 ms vs 14 ms replies (+93%,
 * p < 0.05), a gap of scheduling jitter and send order, not of the bot.
 */
export const MIN_LATENCY_REGRESSION_MS = 100;
/**
 * A canary that shows its first sign of life (typing, a draft, a message) as fast as stable but finishes later is a
 * busier backend, not a slower bot: its final-latency gap fails only from this size on (a stall users notice), and
 * is a note below it. Judged on this run's first-token samples (earlier runs keep the final latency only).
 */
export const FINAL_ONLY_REGRESSION_MS = 3000;

export interface VerdictHistory {
  /** Previous runs, newest first. `verdict` is a Verdict; other values (`pending`, '') are skipped. */
  runs: { runId: string; verdict: string; decision?: Decision; revision?: string }[];
  /** Recent scenario rows for canary and stable, newest first, as the store returns them. */
  scenarioRuns: ScenarioHistoryRow[];
}

export interface VerdictInput {
  runId: string;
  startedAt: number;
  finishedAt: number;
  aborted: boolean;
  revision?: string;
  results: ScenarioResult[];
  history: VerdictHistory;
  policy: VerdictPolicy;
}

const STATUS_RANK: Record<ScenarioStatus, number> = { fail: 3, error: 2, pass: 1, skipped: 0 };

/** Worst status of a list: fail > error > pass > skipped (an empty list is `skipped`). */
export function worstStatus(statuses: readonly ScenarioStatus[]): ScenarioStatus {
  let worst: ScenarioStatus = 'skipped';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
  return worst;
}

/** A target's own verdict: any fail → fail; else any error → inconclusive; else pass (skipped ignored). */
export function targetVerdict(results: readonly ScenarioResult[]): Verdict {
  const ran = results.filter((r) => r.status !== 'skipped');
  if (ran.length === 0) return 'inconclusive';
  if (ran.some((r) => r.status === 'fail')) return 'fail';
  if (ran.some((r) => r.status === 'error')) return 'inconclusive';
  return 'pass';
}

function meanScore(results: readonly { status: string; score: number }[]): number {
  const scored = results.filter((r) => r.status !== 'skipped');
  return scored.length === 0 ? 0 : round(mean(scored.map((r) => r.score)), 4);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function summarizeTarget(results: readonly ScenarioResult[]): TargetSummary {
  const bySuite = new Map<string, ScenarioResult[]>();
  for (const r of results) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), r]);
  const suites: Record<string, SuiteSummary> = {};
  for (const [suite, rs] of [...bySuite].sort(([a], [b]) => a.localeCompare(b))) {
    suites[suite] = { status: worstStatus(rs.map((r) => r.status)), score: meanScore(rs) };
  }
  return { verdict: targetVerdict(results), score: meanScore(results), suites };
}

// ---------------------------------------------------------------- history helpers

/** Scenario rows of this run (from `results`) and of earlier runs (from the store), newest run first. */
interface RunRows {
  runId: string;
  startedAt: number;
  rows: { scenario: string; suite: string; target: TargetName; status: string; latencyFinalMs: number | null; causes?: readonly string[] }[];
}

function runsWindow(input: VerdictInput, previous: number): RunRows[] {
  const current: RunRows = {
    runId: input.runId,
    startedAt: input.startedAt,
    rows: input.results.map((r) => ({
      scenario: r.scenario,
      suite: r.suite,
      target: r.target,
      status: r.status,
      latencyFinalMs: r.latencyMs.final,
    })),
  };
  const byRun = new Map<string, RunRows>();
  for (const row of input.history.scenarioRuns) {
    if (row.runId === input.runId) continue; // the store may already hold rows of this run
    let run = byRun.get(row.runId);
    if (!run) {
      run = { runId: row.runId, startedAt: row.startedAt, rows: [] };
      byRun.set(row.runId, run);
    }
    run.rows.push(row);
  }
  const earlier = [...byRun.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, Math.max(0, previous));
  return [current, ...earlier];
}

function latencies(runs: readonly RunRows[], target: TargetName, suite: string): number[] {
  const out: number[] = [];
  for (const run of runs) {
    for (const r of run.rows) {
      if (r.target !== target || r.suite !== suite) continue;
      if (r.status !== 'pass' && r.status !== 'fail') continue; // errors say nothing about the bot's speed
      if (r.latencyFinalMs !== null && Number.isFinite(r.latencyFinalMs)) out.push(r.latencyFinalMs);
    }
  }
  return out;
}

// ---------------------------------------------------------------- latency

/**
 * This run's first-token medians (prompt → typing, draft or message) when both sides have enough samples and the
 * canary's is not slower than stable's (within the tolerance or the minimum gap); undefined otherwise. A suite
 * whose chats show no first token of their own (typing in groups is not seen) is judged on the whole run's: how
 * soon a bot shows life is the bot's, whatever the chat.
 */
function firstTokenAsFast(input: VerdictInput, suite: string, tolerance: number): { canary: number; stable: number } | undefined {
  const signal = (x: string): boolean => input.results.some((r) => r.suite === x && typeof r.latencyMs.firstToken === 'number'
    && r.latencyMs.first !== null && r.latencyMs.firstToken < r.latencyMs.first);
  const of = (target: TargetName, inSuite: boolean): number[] => input.results
    .filter((r) => r.target === target && (inSuite ? r.suite === suite : signal(r.suite)) && (r.status === 'pass' || r.status === 'fail'))
    .map((r) => r.latencyMs.firstToken)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  // a suite where no reply showed life before its first message (no typing or draft seen there) has no signal
  const seenInSuite = signal(suite);
  let c = seenInSuite ? of('canary', true) : [];
  let st = seenInSuite ? of('stable', true) : [];
  if (c.length < MIN_LATENCY_SAMPLES || st.length < MIN_LATENCY_SAMPLES) {
    c = of('canary', false);
    st = of('stable', false);
  }
  if (c.length < MIN_LATENCY_SAMPLES || st.length < MIN_LATENCY_SAMPLES) return undefined;
  const mc = median(c);
  const ms = median(st);
  return mc - ms < MIN_LATENCY_REGRESSION_MS || mc <= ms * (1 + tolerance) ? { canary: mc, stable: ms } : undefined;
}

interface LatencyFindings {
  failures: string[];
  shared: string[];
  notes: string[];
}

function checkLatency(input: VerdictInput, hasStable: boolean): LatencyFindings {
  const p = input.policy;
  const found: LatencyFindings = { failures: [], shared: [], notes: [] };
  const window = runsWindow(input, p.latencyWindowRuns);
  const suites = [...new Set(input.results.filter((r) => r.target === 'canary').map((r) => r.suite))].sort();

  for (const suite of suites) {
    const budget = p.latencyP95BudgetMs[suite] ?? p.latencyP95BudgetMs['default'];
    if (budget === undefined) continue;
    const canary = latencies(window, 'canary', suite);
    if (canary.length === 0) continue;
    const p95 = percentile(canary, 95);
    if (p95 <= budget) continue;
    const stable = hasStable ? latencies(window, 'stable', suite) : [];
    const stableP95 = stable.length > 0 ? percentile(stable, 95) : Number.NaN;
    const what = `suite ${suite}: canary p95 ${Math.round(p95)} ms over budget ${budget} ms (${canary.length} replies)`;
    if (stableP95 > budget) found.shared.push(`${what}; stable p95 ${Math.round(stableP95)} ms is over budget too`);
    else found.failures.push(`latency budget: ${what}`);
  }

  if (!hasStable) return found;
  const compared = suites
    .map((suite) => ({ suite, canary: latencies(window, 'canary', suite), stable: latencies(window, 'stable', suite) }))
    .filter((s) => s.canary.length >= MIN_LATENCY_SAMPLES && s.stable.length >= MIN_LATENCY_SAMPLES);
  const alpha = p.latencyAlpha / Math.max(1, compared.length);
  for (const s of compared) {
    const test = mannWhitneyU(s.canary, s.stable, 'greater');
    const mc = median(s.canary);
    const ms = median(s.stable);
    const slower = ms > 0 ? mc / ms - 1 : mc > 0 ? Number.POSITIVE_INFINITY : 0;
    const alive = firstTokenAsFast(input, s.suite, p.latencyTolerance);
    if (test.p < alpha && slower > p.latencyTolerance && mc - ms >= MIN_LATENCY_REGRESSION_MS && alive && mc - ms < FINAL_ONLY_REGRESSION_MS) {
      found.notes.push(
        `suite ${s.suite}: canary finishes later than stable (median ${Math.round(mc)} ms vs ${Math.round(ms)} ms) but shows ` +
          `typing as fast (first token median ${Math.round(alive.canary)} ms vs ${Math.round(alive.stable)} ms): not a regression below ` +
          `${FINAL_ONLY_REGRESSION_MS} ms`,
      );
    } else if (test.p < alpha && slower > p.latencyTolerance && mc - ms >= MIN_LATENCY_REGRESSION_MS) {
      found.failures.push(
        `latency regression: suite ${s.suite}: canary median ${Math.round(mc)} ms vs stable ${Math.round(ms)} ms ` +
          `(+${Math.round(slower * 100)}% > ${Math.round(p.latencyTolerance * 100)}%, Mann-Whitney p=${test.p.toPrecision(2)}, ` +
          `n=${s.canary.length}/${s.stable.length})`,
      );
    } else if (test.p < alpha) {
      found.notes.push(
        `suite ${s.suite}: canary slower than stable but within tolerance (+${Math.round(slower * 100)}%, ${Math.round(mc - ms)} ms)`,
      );
    }
  }
  return found;
}

// ---------------------------------------------------------------- flaky

/** Canary scenarios whose pass↔fail status flipped more than `flakyFlips` times in the last `flakyWindowRuns` runs. */
export function findFlaky(input: VerdictInput): string[] {
  const p = input.policy;
  if (p.flakyWindowRuns < 2) return [];
  const window = runsWindow(input, p.flakyWindowRuns - 1).reverse(); // oldest first
  const seq = new Map<string, ('pass' | 'fail')[]>();
  for (const run of window) {
    for (const r of run.rows) {
      if (r.target !== 'canary' || (r.status !== 'pass' && r.status !== 'fail')) continue;
      seq.set(r.scenario, [...(seq.get(r.scenario) ?? []), r.status]);
    }
  }
  const flaky: string[] = [];
  for (const [scenario, statuses] of seq) {
    let flips = 0;
    for (let i = 1; i < statuses.length; i++) if (statuses[i] !== statuses[i - 1]) flips++;
    if (flips > p.flakyFlips) flaky.push(scenario);
  }
  return flaky.sort();
}

// ---------------------------------------------------------------- streaks

function streaks(input: VerdictInput, verdict: Verdict): { consecutiveFailures: number; consecutiveInconclusive: number } {
  const previous = input.history.runs.filter((r) => r.runId !== input.runId);
  let consecutiveFailures = 0;
  if (verdict === 'fail') {
    consecutiveFailures = 1;
    for (const r of previous) {
      if (r.verdict === 'fail') consecutiveFailures++;
      else if (r.verdict === 'pass') break;
      // inconclusive / pending / unknown: carries no information about the canary, skip it
    }
  }
  let consecutiveInconclusive = 0;
  if (verdict === 'inconclusive') {
    consecutiveInconclusive = 1;
    for (const r of previous) {
      if (r.verdict === 'inconclusive') consecutiveInconclusive++;
      else if (r.verdict === 'pass' || r.verdict === 'fail') break;
    }
  }
  return { consecutiveFailures, consecutiveInconclusive };
}

// ---------------------------------------------------------------- the verdict

export function computeVerdict(input: VerdictInput): VerdictReport {
  const policy: VerdictPolicy = { ...input.policy, rollbackAfter: Math.max(1, Math.floor(input.policy.rollbackAfter)) };
  const inp: VerdictInput = { ...input, policy };
  const canary = input.results.filter((r) => r.target === 'canary');
  const stable = input.results.filter((r) => r.target === 'stable');
  const hasCanary = canary.length > 0;
  const hasStable = stable.length > 0;

  const targets: Partial<Record<TargetName, TargetSummary>> = {};
  if (hasCanary) targets.canary = summarizeTarget(canary);
  if (hasStable) targets.stable = summarizeTarget(stable);

  const reasons: string[] = [];
  let verdict: Verdict;
  let rates: FailureRateReport | undefined;
  // flaky: flipping in the history, or failed and passed on its retry in this run (one sample, not two: the retry
  // replaces the failure, so the failure-rate statistics never see it as independent evidence)
  const retriedPass = canary.filter((r) => r.retried && r.status === 'pass').map((r) => r.scenario);
  const flaky = hasCanary ? [...new Set([...findFlaky(inp), ...retriedPass])].sort() : [];

  if (!hasCanary) {
    // A stable-only run (`run --target stable`): stable's own status decides.
    verdict = hasStable ? targetVerdict(stable) : 'inconclusive';
    reasons.push(hasStable ? `no canary results; stable is ${verdict}` : 'no scenario results');
  } else {
    const errors = canary.filter((r) => r.status === 'error');
    const ran = canary.filter((r) => r.status !== 'skipped');
    const latency = checkLatency(inp, hasStable);
    // Scenarios stable ran too are judged by failure rates; the others have no baseline and are judged alone.
    const stableNames = new Set(stable.map((r) => r.scenario));
    const unpaired = canary.filter((r) => r.status === 'fail' && !stableNames.has(r.scenario));
    let rateFail: RateComparison[] = [];
    let rateMarginal: RateComparison[] = [];
    let sharedNow = 0;
    if (hasStable) {
      const paired = new Set(canary.filter((r) => stableNames.has(r.scenario)).map((r) => r.scenario));
      const report = failureRates(inp, paired);
      rates = report;
      const all = [report.overall, ...(Object.keys(report.suites).length > 1 ? Object.values(report.suites) : [])];
      rateFail = all.filter((c) => c.band === 'fail');
      rateMarginal = all.filter((c) => c.band === 'marginal');
      sharedNow = report.overall.currentSharedFailures;
      if (targets.canary) {
        for (const [suite, c] of Object.entries(report.suites)) {
          const summary = targets.canary.suites[suite];
          if (summary) summary.band = c.band;
        }
      }
    }

    // A scenario canary fails on every attempt while stable passes it now and has not failed it in the window, with
    // no cause stable shows anywhere: a regression on its own, even when one run holds too few attempts for rates.
    const consistent = hasStable ? consistentRegressions(inp, stable, canary) : [];
    for (const c of consistent) reasons.push(`canary regression: ${c}`);
    for (const c of rateFail) reasons.push(`canary regression: ${c.reason}`);
    for (const r of unpaired) {
      const why = r.reasons.length > 0 ? `: ${r.reasons.slice(0, 2).join('; ')}` : '';
      const note = flaky.includes(r.scenario) ? ' (flaky)' : '';
      const attempt = r.attempt !== undefined ? ` (attempt ${r.attempt})` : '';
      reasons.push(`canary regression: ${r.scenario}${attempt}${note} (stable does not run it)${why}`);
    }
    reasons.push(...latency.failures);
    if (rates && sharedNow > 0) {
      const causes = rates.sharedCauses.map(describeShared);
      const sharedScenarios = [...new Set(canary.filter((r) => r.status === 'fail' && stable.some((s) => s.scenario === r.scenario && (s.status === 'fail' || s.status === 'error'))).map((r) => r.scenario))];
      const parts = [
        ...(causes.length > 0 ? [`shared causes in the last ${rates.runs} run(s): ${causes.join('; ')}`] : []),
        ...(sharedScenarios.length > 0 ? [`stable fails too: ${sharedScenarios.join(', ')}`] : []),
      ];
      reasons.push(`shared cause: ${sharedNow} canary failure(s) in this run have a cause stable shows too (${parts.join('; ') || 'same scenario'}) — it says nothing about the canary`);
    }
    for (const c of rateMarginal) reasons.push(c.reason);
    if (latency.shared.length > 0) reasons.push(...latency.shared.map((s) => `stable slow too: ${s}`));
    if (errors.length > 0) {
      const codes = [...new Set(errors.map((r) => `${r.scenario} (${r.errorCode ?? 'error'})`))].join(', ');
      reasons.push(`infrastructure errors on canary: ${codes}`);
    }
    reasons.push(...latency.notes);
    for (const name of [...new Set(retriedPass)]) reasons.push(`flaky: ${name} failed, then passed on its retry`);

    if (input.aborted) {
      verdict = 'inconclusive';
      reasons.unshift('run aborted before it finished');
    } else if (ran.length === 0) {
      verdict = 'inconclusive';
      reasons.unshift('no canary scenario ran');
    } else if (rateFail.length > 0 || consistent.length > 0 || unpaired.length > 0 || latency.failures.length > 0) {
      verdict = 'fail';
    } else if (sharedNow > 0 || rateMarginal.length > 0 || errors.length > 0 || latency.shared.length > 0) {
      verdict = 'inconclusive';
    } else {
      verdict = 'pass';
      const graded = ran.filter((r) => r.status === 'pass').length;
      reasons.unshift(`all ${graded} canary ${ran.some((r) => r.attempt !== undefined) ? 'attempts' : 'scenarios'} passed`);
      if (rates) reasons.push(rates.overall.reason);
    }
  }
  if (input.aborted && !hasCanary) {
    verdict = 'inconclusive';
    reasons.unshift('run aborted before it finished');
  }

  const { consecutiveFailures, consecutiveInconclusive } = streaks(inp, verdict);
  const decision: Decision =
    verdict === 'fail' && consecutiveFailures >= policy.rollbackAfter ? 'rollback' : verdict === 'pass' ? 'promote' : 'hold';
  if (verdict === 'fail' && decision === 'hold') {
    reasons.push(`failing ${consecutiveFailures} of ${policy.rollbackAfter} runs needed for rollback`);
  }

  const scenarios: VerdictScenario[] = input.results.map((r) => {
    const s: VerdictScenario = {
      name: r.scenario,
      suite: r.suite,
      target: r.target,
      status: r.status,
      score: r.score,
      latencyMs: { first: r.latencyMs.first, final: r.latencyMs.final, firstToken: r.latencyMs.firstToken ?? null },
      reasons: [...r.reasons],
    };
    if (r.target === 'canary' && flaky.includes(r.scenario)) s.flaky = true;
    if (r.retried && r.status === 'pass') s.passedOnRetry = true;
    if (r.attempt !== undefined) s.attempt = r.attempt;
    return s;
  });

  const primary = targets.canary ?? targets.stable;
  const report: VerdictReport = {
    schema: 1,
    runId: input.runId,
    verdict,
    decision,
    score: primary?.score ?? 0,
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    targets,
    scenarios,
    reasons,
    consecutiveFailures,
    consecutiveInconclusive,
    flaky,
  };
  if (input.revision !== undefined) report.revision = input.revision;
  if (input.aborted) report.aborted = true;
  if (rates) report.failureRates = failureRatesJson(rates);
  const repeats = repeatStats(input.results);
  if (repeats.length > 0) report.repeats = repeats;
  return report;
}

// ---------------------------------------------------------------- failure rates

const TRANSIENT_CAUSES = new Set(['class:no-reply', 'class:scenario-timeout', 'class:timeout', 'class:rate-limit', 'class:unavailable', 'class:server-error']);

/**
 * Scenarios canary fails on every attempt of this run while stable passes every attempt, stable has not failed them
 * in the failure window, and none of canary's failure causes is one stable shows (in this run or the window): the
 * same prompt, answered right by stable and wrong by canary, for a reason that is canary's own. Only wrong answers
 * count here (silence and error classes that can be transient are left to the failure rates).
 */
function consistentRegressions(input: VerdictInput, stable: readonly ScenarioResult[], canary: readonly ScenarioResult[]): string[] {
  const keep = sameCanary(input);
  const window = runsWindow(input, Number.MAX_SAFE_INTEGER).slice(1).filter((r) => keep(r.runId)).slice(0, Math.max(0, Math.floor(input.policy.failureWindowRuns)));
  const stableCauses = new Set<string>();
  const stableFailed = new Set<string>();
  for (const r of stable) {
    if (r.status !== 'fail') continue;
    stableFailed.add(r.scenario);
    for (const c of failureCauses(r)) stableCauses.add(c);
  }
  for (const run of window) {
    for (const r of run.rows) {
      if (r.target !== 'stable' || r.status !== 'fail') continue;
      stableFailed.add(r.scenario);
      for (const c of r.causes ?? []) stableCauses.add(c);
    }
  }
  const out: string[] = [];
  const names = [...new Set(canary.map((r) => r.scenario))];
  for (const name of names) {
    const mine = canary.filter((r) => r.scenario === name && r.status !== 'skipped');
    const theirs = stable.filter((r) => r.scenario === name && r.status !== 'skipped');
    if (mine.length === 0 || theirs.length === 0) continue;
    if (!mine.every((r) => r.status === 'fail') || !theirs.every((r) => r.status === 'pass')) continue;
    if (stableFailed.has(name)) continue;
    const causes = mine.flatMap((r) => failureCauses(r));
    if (causes.some((c) => stableCauses.has(c))) continue;
    // Silence, timeouts, rate limits and provider errors can be transient: one sample says little, the rates decide.
    // A wrong answer is evidence on its own: the checks are deterministic over what the bot actually said.
    if (causes.some((c) => TRANSIENT_CAUSES.has(c))) continue;
    const first = mine[0] as ScenarioResult;
    const why = first.reasons.length > 0 ? `: ${first.reasons.slice(0, 2).join('; ')}` : '';
    const n = mine.length > 1 ? ` on all ${mine.length} attempts` : '';
    out.push(`${name} fails on canary${n} and passes on stable, for a cause stable never shows${why}`);
  }
  return out;
}

/** Previous runs the failure-rate window may pool: another canary revision is another canary. */
function sameCanary(input: VerdictInput): (runId: string) => boolean {
  if (input.revision === undefined) return () => true;
  const revisions = new Map(input.history.runs.map((r) => [r.runId, r.revision]));
  return (runId) => {
    const rev = revisions.get(runId);
    return rev === undefined || rev === input.revision;
  };
}

function failureRates(input: VerdictInput, paired: ReadonlySet<string>): FailureRateReport {
  const keep = sameCanary(input);
  const previous = runsWindow(input, Number.MAX_SAFE_INTEGER)
    .slice(1)
    .filter((r) => keep(r.runId))
    .slice(0, Math.max(0, Math.floor(input.policy.failureWindowRuns)));
  const attempts: Attempt[] = currentAttempts(input.runId, input.results.filter((r) => paired.has(r.scenario)));
  const stableErrors = new Set<string>();
  for (const r of input.results) if (r.target === 'stable' && r.status === 'error') stableErrors.add(`${input.runId}\u0000${r.scenario}`);
  for (const run of previous) {
    for (const r of run.rows) {
      if (!paired.has(r.scenario)) continue;
      if (r.target === 'stable' && r.status === 'error') stableErrors.add(`${run.runId}\u0000${r.scenario}`);
      if (r.status !== 'pass' && r.status !== 'fail') continue;
      attempts.push({ runId: run.runId, current: false, scenario: r.scenario, suite: r.suite, target: r.target, failed: r.status === 'fail', causes: r.causes ?? [] });
    }
  }
  const runs = previous.length + 1;
  return compareFailureRates({ attempts, stableErrors, runs, policy: input.policy });
}

function comparisonJson(c: RateComparison): RateComparisonReport {
  const sideJson = (s: RateComparison['canary']): RateComparisonReport['canary'] => ({ n: s.n, failures: s.failures, rate: round(s.rate, 4), shared: s.shared });
  return {
    canary: sideJson(c.canary),
    stable: sideJson(c.stable),
    canaryRate: round(c.canary.own.rate, 4),
    stableRate: round(c.stable.own.rate, 4),
    p: Number(c.p.toPrecision(4)),
    level: Number(c.level.toPrecision(4)),
    significant: c.significant,
    insufficient: c.insufficient,
    band: c.band,
  };
}

function failureRatesJson(r: FailureRateReport): FailureRatesReport {
  return {
    runs: r.runs,
    alpha: r.alpha,
    tolerance: r.tolerance,
    minSamples: r.minSamples,
    overall: comparisonJson(r.overall),
    suites: Object.fromEntries(Object.entries(r.suites).map(([k, v]) => [k, comparisonJson(v)])),
    sharedCauses: r.sharedCauses.map((s) => ({ ...s })),
  };
}

// ---------------------------------------------------------------- repeats

/** Pass rate and pass^k per repeated scenario and target of this run. */
export function repeatStats(results: readonly ScenarioResult[]): RepeatStats[] {
  const groups = new Map<string, ScenarioResult[]>();
  for (const r of results) {
    if (r.attempt === undefined) continue;
    const key = `${r.target}\u0000${r.suite}\u0000${r.scenario}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: RepeatStats[] = [];
  for (const rs of groups.values()) {
    const first = rs[0] as ScenarioResult;
    const graded = rs.filter((r) => r.status === 'pass' || r.status === 'fail').length;
    const passes = rs.filter((r) => r.status === 'pass').length;
    const k = rs.length;
    const pk = passHatK(graded, passes, k);
    out.push({
      scenario: first.scenario,
      suite: first.suite,
      target: first.target,
      attempts: k,
      graded,
      passes,
      passRate: graded ? round(passes / graded, 4) : null,
      k,
      passK: pk === null ? null : round(pk, 4),
    });
  }
  return out.sort((a, b) => a.suite.localeCompare(b.suite) || a.scenario.localeCompare(b.scenario) || a.target.localeCompare(b.target));
}

