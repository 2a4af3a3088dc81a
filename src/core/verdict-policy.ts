/**
 * The verdict policy: turns one run's scenario results plus recent history into the verdict JSON
 * (pass / fail / inconclusive, decision, streaks, flaky scenarios). Pure: no I/O, no clock.
 *
 * Principles: only a canary-specific problem may fail a run. Infrastructure errors, aborted runs and failures that
 * stable shares (a common dependency, Telegram itself) make the run inconclusive, never a rollback.
 */
import type { ScenarioHistoryRow } from './ports.js';
import { mannWhitneyU, mean, median, percentile } from './stats.js';
import type {
  Decision,
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
}

export const DEFAULT_VERDICT_POLICY: VerdictPolicy = {
  rollbackAfter: 1,
  latencyP95BudgetMs: {},
  latencyWindowRuns: 10,
  latencyTolerance: 0.2,
  latencyAlpha: 0.05,
  flakyWindowRuns: 10,
  flakyFlips: 3,
};

/** Fewest latency samples per side before the Mann-Whitney comparison is attempted. */
export const MIN_LATENCY_SAMPLES = 5;

/**
 * Smallest canary − stable median difference that can count as a latency regression. Without it, fast bots fail
 * on noise: the serve soak (bench/serve-soak.mjs) rolled back 14 runs in 1,000 for 27 ms vs 14 ms replies (+93%,
 * p < 0.05), a gap of scheduling jitter and send order, not of the bot.
 */
export const MIN_LATENCY_REGRESSION_MS = 100;

export interface VerdictHistory {
  /** Previous runs, newest first. `verdict` is a Verdict; other values (`pending`, '') are skipped. */
  runs: { runId: string; verdict: string; decision?: Decision }[];
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
  rows: { scenario: string; suite: string; target: TargetName; status: string; latencyFinalMs: number | null }[];
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
    if (test.p < alpha && slower > p.latencyTolerance && mc - ms >= MIN_LATENCY_REGRESSION_MS) {
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

function listNames(results: readonly ScenarioResult[]): string {
  return [...new Set(results.map((r) => r.scenario))].join(', ');
}

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
  const flaky = hasCanary ? findFlaky(inp) : [];

  if (!hasCanary) {
    // A stable-only run (`run --target stable`): stable's own status decides.
    verdict = hasStable ? targetVerdict(stable) : 'inconclusive';
    reasons.push(hasStable ? `no canary results; stable is ${verdict}` : 'no scenario results');
  } else {
    const stableStatus = new Map(stable.map((r) => [r.scenario, r.status]));
    const canaryFails = canary.filter((r) => r.status === 'fail');
    const shared = canaryFails.filter((r) => {
      const s = stableStatus.get(r.scenario);
      return s === 'fail' || s === 'error';
    });
    const canaryOnly = canaryFails.filter((r) => !shared.includes(r));
    const errors = canary.filter((r) => r.status === 'error');
    const ran = canary.filter((r) => r.status !== 'skipped');
    const latency = checkLatency(inp, hasStable);

    for (const r of canaryOnly) {
      const why = r.reasons.length > 0 ? `: ${r.reasons.slice(0, 2).join('; ')}` : '';
      const note = flaky.includes(r.scenario) ? ' (flaky)' : '';
      reasons.push(`canary regression: ${r.scenario}${note}${why}`);
    }
    reasons.push(...latency.failures);
    if (shared.length > 0) reasons.push(`stable fails too: ${listNames(shared)}`);
    if (latency.shared.length > 0) reasons.push(...latency.shared.map((s) => `stable slow too: ${s}`));
    if (errors.length > 0) {
      const codes = errors.map((r) => `${r.scenario} (${r.errorCode ?? 'error'})`).join(', ');
      reasons.push(`infrastructure errors on canary: ${codes}`);
    }
    reasons.push(...latency.notes);

    if (input.aborted) {
      verdict = 'inconclusive';
      reasons.unshift('run aborted before it finished');
    } else if (ran.length === 0) {
      verdict = 'inconclusive';
      reasons.unshift('no canary scenario ran');
    } else if (canaryOnly.length > 0 || latency.failures.length > 0) {
      verdict = 'fail';
    } else if (shared.length > 0 || errors.length > 0 || latency.shared.length > 0) {
      verdict = 'inconclusive';
    } else {
      verdict = 'pass';
      reasons.unshift(`all ${ran.length} canary scenarios passed`);
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
  return report;
}
