/**
 * Retry before alerting, below the CLI: which results are retried, what a retry leaves in the run, and how the
 * verdict reads it (one sample per scenario, never the failure plus the retry).
 */
import { describe, expect, it } from 'vitest';
import { retryFailures } from '../../src/runner/run-engine.js';
import { computeVerdict, DEFAULT_VERDICT_POLICY } from '../../src/core/verdict-policy.js';
import type { Scenario, ScenarioResult, ScenarioStatus, TargetName } from '../../src/core/types.js';

const T0 = Date.UTC(2026, 0, 1, 12);

function result(name: string, status: ScenarioStatus, o: { target?: TargetName; attempt?: number; reason?: string } = {}): ScenarioResult {
  return {
    scenario: name, suite: 'favor', target: o.target ?? 'canary', bot: 'canary_bot', status, score: status === 'pass' ? 1 : 0,
    startedAt: T0, finishedAt: T0 + 1000, latencyMs: { first: 100, final: 100 },
    reasons: status === 'pass' ? [] : [o.reason ?? 'missing 6.21'], ...(o.attempt !== undefined ? { attempt: o.attempt } : {}),
    steps: [], assertions: [],
  };
}

const scenario = (name: string): Scenario => ({ name, suite: 'favor', targets: ['canary'], steps: [] } as unknown as Scenario);
const SCENARIOS = ['a', 'b', 'c', 'd'].map(scenario);

function judge(results: ScenarioResult[]): ReturnType<typeof computeVerdict> {
  return computeVerdict({ runId: 'r', startedAt: T0, finishedAt: T0 + 5000, aborted: false, results,
    history: { runs: [], scenarioRuns: [] }, policy: DEFAULT_VERDICT_POLICY });
}

describe('retryFailures', () => {
  it('retries only plain failures: not errors, not passes, not attempts of repeat: N', async () => {
    const results = [result('a', 'fail'), result('b', 'error'), result('c', 'pass'), result('d', 'fail', { attempt: 1 })];
    const asked: string[] = [];
    await retryFailures(results, async (s) => {
      asked.push(s.name);
      return result(s.name, 'pass');
    }, SCENARIOS);
    expect(asked).toStrictEqual(['a']);
    expect(results.map((r) => r.status)).toStrictEqual(['pass', 'error', 'pass', 'fail']);
    expect(results[0]?.retried).toStrictEqual({ firstStatus: 'fail', firstReasons: ['missing 6.21'], retryStatus: 'pass' });
  });

  it('a failing retry leaves the first failure standing, noted; a retry that cannot run stops retrying', async () => {
    const results = [result('a', 'fail'), result('b', 'fail')];
    let calls = 0;
    await retryFailures(results, async (s) => (++calls === 1 ? result(s.name, 'error', { reason: 'flood wait' }) : undefined), SCENARIOS);
    expect(calls).toBe(2);
    expect(results[0]).toMatchObject({ status: 'fail', reasons: ['missing 6.21', 'failed again on its retry (error)'], retried: { retryStatus: 'error' } });
    expect(results[1]?.retried).toBeUndefined();
  });
});

describe('the verdict of a retried run', () => {
  it('a pass on retry counts as one pass, flaky, with a reason; no double counting', () => {
    const flaky = { ...result('a', 'pass'), retried: { firstStatus: 'fail' as const, firstReasons: ['x'], retryStatus: 'pass' as const } };
    const v = judge([flaky, result('b', 'pass')]);
    expect(v.verdict).toBe('pass');
    expect(v.reasons[0]).toBe('all 2 canary scenarios passed');
    expect(v.flaky).toStrictEqual(['a']);
    expect(v.reasons).toContain('flaky: a failed, then passed on its retry');
    expect(v.scenarios.find((s) => s.name === 'a')).toMatchObject({ flaky: true, passedOnRetry: true });
    expect(v.scenarios).toHaveLength(2);
  });

  it('a failure that failed its retry too still fails the run on its own', () => {
    const failed = { ...result('a', 'fail'), retried: { firstStatus: 'fail' as const, firstReasons: ['x'], retryStatus: 'fail' as const } };
    const v = judge([failed, result('b', 'pass')]);
    expect(v.verdict).toBe('fail');
    expect(v.flaky).toStrictEqual([]);
  });
});
