import { describe, expect, it } from 'vitest';
import type { ScenarioHistoryRow } from './ports.js';
import { normalDeviate, seededRandom } from './stats.js';
import type { Reply, ScenarioResult, ScenarioStatus, TargetName, VerdictReport } from './types.js';
import { computeVerdict, DEFAULT_VERDICT_POLICY, type VerdictInput, type VerdictPolicy, worstStatus } from './verdict-policy.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function res(
  scenario: string,
  target: TargetName,
  status: ScenarioStatus,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    scenario,
    suite: extra.suite ?? 'jokes',
    target,
    bot: target === 'canary' ? 'canary_bot' : 'stable_bot',
    status,
    score: status === 'pass' ? 1 : 0,
    startedAt: T0,
    finishedAt: T0 + 1000,
    latencyMs: { first: 500, final: 800 },
    reasons: status === 'fail' ? ['expected "joke" in reply'] : [],
    steps: [],
    assertions: [],
    ...extra,
  };
}

function input(results: ScenarioResult[], over: Partial<VerdictInput> = {}, policy: Partial<VerdictPolicy> = {}): VerdictInput {
  return {
    runId: 'run-now',
    startedAt: T0,
    finishedAt: T0 + 60_000,
    aborted: false,
    results,
    history: { runs: [], scenarioRuns: [] },
    policy: { ...DEFAULT_VERDICT_POLICY, ...policy },
    ...over,
  };
}

function row(runIndex: number, scenario: string, target: TargetName, status: string, latency: number | null, suite = 'jokes'): ScenarioHistoryRow {
  return {
    runId: `run-${runIndex}`,
    startedAt: T0 - runIndex * 3_600_000,
    scenario,
    suite,
    target,
    status,
    score: status === 'pass' ? 1 : 0,
    latencyFirstMs: latency,
    latencyFinalMs: latency,
  };
}

/** `n` attempts of one scenario on one target: the first `fails` fail with the reply `text`. */
function attempts(scenario: string, target: TargetName, n: number, fails: number, extra: Partial<ScenarioResult> = {}, text = 'Error: upstream model overloaded'): ScenarioResult[] {
  return Array.from({ length: n }, (_, i) =>
    i < fails ? failed(scenario, target, text, { ...extra, attempt: i + 1 }) : res(scenario, target, 'pass', { ...extra, attempt: i + 1 }),
  );
}

/** A failed attempt whose graded reply was `text` (so its cause can be read). */
function failed(scenario: string, target: TargetName, text: string, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const reply: Reply = {
    messages: [{ id: 2, text, firstSeenAt: T0 + 400, lastChangeAt: T0 + 400, edits: 0 }],
    text, sentAt: T0, editCount: 0, messageCount: 1, settled: true,
  };
  return res(scenario, target, 'fail', {
    steps: [
      { index: 0, kind: 'send', startedAt: T0, finishedAt: T0 + 1, sent: { id: 1, text: 'prompt', at: T0 } },
      { index: 1, kind: 'expect', startedAt: T0 + 1, finishedAt: T0 + 900, reply },
    ],
    assertions: [{ type: 'icontains', pass: false, score: 0, weight: 1, critical: true, reason: 'expected "6.21"', step: 1 }],
    ...extra,
  });
}

describe('canary vs stable in the same run', () => {
  it('shared outage: stable fails the same scenarios → inconclusive, never rollback', () => {
    const v = computeVerdict(
      input([res('joke', 'canary', 'fail'), res('joke', 'stable', 'fail'), res('favor', 'canary', 'pass'), res('favor', 'stable', 'pass')]),
    );
    expect(v.verdict).toBe('inconclusive');
    expect(v.decision).toBe('hold');
    expect(v.reasons.join('\n')).toMatch(/shared cause: 1 canary failure\(s\) in this run .*stable fails too: joke/);
    expect(v.consecutiveFailures).toBe(0);
    expect(v.consecutiveInconclusive).toBe(1);
  });

  it('stable erroring on the scenario canary fails also counts as shared', () => {
    const v = computeVerdict(input([res('joke', 'canary', 'fail'), res('joke', 'stable', 'error', { errorCode: 'TG_FLOOD_WAIT' })]));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons.join('\n')).toMatch(/stable fails too: joke/);
  });

  it('one wrong answer where stable answers right is a regression on its own (a cause stable never shows)', () => {
    const v = computeVerdict(input([failed('joke', 'canary', 'Here is a joke about cats.'), res('joke', 'stable', 'pass')]));
    expect(v.verdict).toBe('fail');
    expect(v.reasons[0]).toMatch(/^canary regression: joke fails on canary and passes on stable, for a cause stable never shows/);
    // the rates alone would not settle it: one attempt per target
    expect(v.failureRates?.overall).toMatchObject({ insufficient: true, band: 'marginal', p: 0.5 });
  });

  it('one silence against one stable pass is insufficient evidence → inconclusive, hold, never rollback', () => {
    const silent = failed('joke', 'canary', '');
    const step = silent.steps[1];
    if (step?.reply) Object.assign(step.reply, { messages: [], text: '', messageCount: 0 });
    const v = computeVerdict(input([silent, res('joke', 'stable', 'pass')]));
    expect(v.verdict).toBe('inconclusive');
    expect(v.decision).toBe('hold');
    expect(v.reasons.join('\n')).toMatch(/failure rate overall: insufficient evidence: canary 100% \(1\/1\) vs stable 0% \(0\/1\), Fisher p=0\.500; need at least 5 graded attempts per target/);
  });

  it('a canary failing every attempt of five while stable passes all five → fail, rollback, with the numbers', () => {
    const v = computeVerdict(input([...attempts('joke', 'canary', 5, 5), ...attempts('joke', 'stable', 5, 0)]));
    expect(v.verdict).toBe('fail');
    expect(v.decision).toBe('rollback');
    // p = 1 / C(10, 5) = 1/252
    expect(v.reasons[0]).toBe('canary regression: failure rate overall: canary fails more often than stable: canary 100% (5/5) vs stable 0% (0/5), Fisher p=0.004 (level 0.050); failed in this run: joke ×5');
    expect(v.failureRates?.overall.p).toBeCloseTo(1 / 252, 6);
    expect(v.targets.canary?.suites.jokes?.band).toBe('fail');
    expect(v.consecutiveFailures).toBe(1);
    expect(v.repeats).toContainEqual({ scenario: 'joke', suite: 'jokes', target: 'canary', attempts: 5, graded: 5, passes: 0, passRate: 0, k: 5, passK: 0 });
  });

  it('a scenario only canary runs has no baseline: its failure fails the run on its own', () => {
    const v = computeVerdict(input([res('joke', 'canary', 'pass'), res('joke', 'stable', 'pass'), res('memory', 'canary', 'fail')]));
    expect(v.verdict).toBe('fail');
    expect(v.reasons[0]).toMatch(/^canary regression: memory \(stable does not run it\): expected "joke" in reply$/);
  });

  it('canary infrastructure error and no canary-only failure → inconclusive', () => {
    const v = computeVerdict(
      input([res('joke', 'canary', 'error', { errorCode: 'TG_NETWORK' }), res('joke', 'stable', 'pass'), res('rag', 'canary', 'pass')]),
    );
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons).toContain('infrastructure errors on canary: joke (TG_NETWORK)');
    expect(v.targets.canary?.verdict).toBe('inconclusive');
  });

  it('a clear canary regression outweighs an infrastructure error elsewhere', () => {
    const v = computeVerdict(input([res('joke', 'canary', 'error'), ...attempts('rag', 'canary', 5, 5), ...attempts('rag', 'stable', 5, 0)]));
    expect(v.verdict).toBe('fail');
    expect(v.reasons.join('\n')).toMatch(/infrastructure errors on canary: joke/);
  });

  it('no stable configured → canary status decides', () => {
    expect(computeVerdict(input([res('joke', 'canary', 'fail')])).verdict).toBe('fail');
    expect(computeVerdict(input([res('joke', 'canary', 'pass'), res('x', 'canary', 'skipped')])).verdict).toBe('pass');
    expect(computeVerdict(input([res('joke', 'canary', 'skipped')])).verdict).toBe('inconclusive');
  });

  it('aborted run → inconclusive, flagged aborted, hold', () => {
    const v = computeVerdict(input([res('joke', 'canary', 'fail'), res('joke', 'stable', 'pass')], { aborted: true }));
    expect(v.verdict).toBe('inconclusive');
    expect(v.aborted).toBe(true);
    expect(v.decision).toBe('hold');
    expect(v.reasons[0]).toBe('run aborted before it finished');
  });
});

describe('report fields', () => {
  it('fills targets, suites (worst status), scores, ISO timestamps, revision', () => {
    const v = computeVerdict(
      input(
        [
          res('joke', 'canary', 'pass', { score: 0.9 }),
          res('joke2', 'canary', 'error', { score: 0.5 }),
          res('mem', 'canary', 'pass', { suite: 'memories', score: 0.7 }),
          res('mem2', 'canary', 'skipped', { suite: 'memories', score: 0 }),
          res('joke', 'stable', 'pass', { score: 1 }),
        ],
        { revision: 'abc123' },
      ),
    );
    expect(v.schema).toBe(1);
    expect(v.revision).toBe('abc123');
    expect(v.startedAt).toBe('2025-01-01T12:00:00.000Z');
    expect(v.finishedAt).toBe('2025-01-01T12:01:00.000Z');
    expect(v.targets.canary?.suites).toEqual({ jokes: { status: 'error', score: 0.7, band: 'pass' }, memories: { status: 'pass', score: 0.7 } });
    expect(v.targets.canary?.score).toBeCloseTo(0.7, 6);
    expect(v.targets.stable).toEqual({ verdict: 'pass', score: 1, suites: { jokes: { status: 'pass', score: 1 } } });
    expect(v.score).toBeCloseTo(0.7, 6);
    expect(v.scenarios).toHaveLength(5);
    expect(v.scenarios[0]).toEqual({
      name: 'joke', suite: 'jokes', target: 'canary', status: 'pass', score: 0.9,
      latencyMs: { first: 500, final: 800, firstToken: null }, reasons: [],
    });
    expect(v.flaky).toEqual([]);
    expect(v.aborted).toBeUndefined();
  });

  it('worstStatus orders fail > error > pass > skipped', () => {
    expect(worstStatus(['pass', 'error', 'skipped'])).toBe('error');
    expect(worstStatus(['pass', 'fail', 'error'])).toBe('fail');
    expect(worstStatus(['skipped'])).toBe('skipped');
    expect(worstStatus([])).toBe('skipped');
  });
});

describe('history: streaks and decisions over a scripted sequence', () => {
  it('counts failures (skipping inconclusive runs) and decides with rollbackAfter = 2', () => {
    type Step = 'pass' | 'fail' | 'shared' | 'error';
    const script: { step: Step; verdict: string; decision: string; fails: number; inconc: number }[] = [
      { step: 'pass', verdict: 'pass', decision: 'promote', fails: 0, inconc: 0 },
      { step: 'fail', verdict: 'fail', decision: 'hold', fails: 1, inconc: 0 },
      { step: 'error', verdict: 'inconclusive', decision: 'hold', fails: 0, inconc: 1 },
      { step: 'shared', verdict: 'inconclusive', decision: 'hold', fails: 0, inconc: 2 },
      { step: 'fail', verdict: 'fail', decision: 'rollback', fails: 2, inconc: 0 },
      { step: 'fail', verdict: 'fail', decision: 'rollback', fails: 3, inconc: 0 },
      { step: 'error', verdict: 'inconclusive', decision: 'hold', fails: 0, inconc: 1 },
      { step: 'pass', verdict: 'pass', decision: 'promote', fails: 0, inconc: 0 },
      { step: 'fail', verdict: 'fail', decision: 'hold', fails: 1, inconc: 0 },
    ];
    const runs: { runId: string; verdict: string; decision?: VerdictReport['decision'] }[] = [];
    script.forEach((s, i) => {
      const results =
        s.step === 'pass' ? [res('joke', 'canary', 'pass'), res('joke', 'stable', 'pass')]
        : s.step === 'fail' ? [...attempts('joke', 'canary', 5, 5), ...attempts('joke', 'stable', 5, 0)]
        : s.step === 'shared' ? [res('joke', 'canary', 'fail'), res('joke', 'stable', 'fail')]
        : [res('joke', 'canary', 'error'), res('joke', 'stable', 'pass')];
      // the store already holds a 'pending' row for the current run: it must be ignored
      const history = { runs: [{ runId: `r${i}`, verdict: 'pending' }, ...runs], scenarioRuns: [] };
      const v = computeVerdict(input(results, { runId: `r${i}`, history }, { rollbackAfter: 2 }));
      expect({ i, verdict: v.verdict, decision: v.decision, fails: v.consecutiveFailures, inconc: v.consecutiveInconclusive }).toEqual({
        i, verdict: s.verdict, decision: s.decision, fails: s.fails, inconc: s.inconc,
      });
      runs.unshift({ runId: v.runId, verdict: v.verdict, decision: v.decision });
    });
  });
});

describe('flaky scenarios', () => {
  it('flags canary scenarios flipping pass↔fail more than flakyFlips times in the window', () => {
    // previous runs (index 1 = newest): flappy: P F P F (oldest last), steady: F F F P
    const rows: ScenarioHistoryRow[] = [];
    const flappy = ['fail', 'pass', 'fail', 'pass']; // runs 1..4
    const steady = ['pass', 'fail', 'fail', 'fail'];
    for (let i = 0; i < 4; i++) {
      rows.push(row(i + 1, 'flappy', 'canary', flappy[i] as string, 900));
      rows.push(row(i + 1, 'steady', 'canary', steady[i] as string, 900));
      rows.push(row(i + 1, 'flappy', 'stable', 'pass', 900));
      rows.push(row(i + 1, 'steady', 'canary', 'error', null)); // errors are not flips
    }
    rows.push(row(9, 'flappy', 'canary', 'fail', 900)); // outside a 5-run window
    const v = computeVerdict(
      input([res('flappy', 'canary', 'pass'), res('steady', 'canary', 'pass'), res('flappy', 'stable', 'pass')], {
        history: { runs: [], scenarioRuns: rows },
      }, { flakyWindowRuns: 5, flakyFlips: 2 }),
    );
    expect(v.flaky).toEqual(['flappy']);
    expect(v.scenarios.find((s) => s.name === 'flappy' && s.target === 'canary')?.flaky).toBe(true);
    expect(v.scenarios.find((s) => s.name === 'flappy' && s.target === 'stable')?.flaky).toBeUndefined();
    expect(v.scenarios.find((s) => s.name === 'steady')?.flaky).toBeUndefined();
    // with a higher threshold nothing is flaky
    const strict = computeVerdict(
      input([res('flappy', 'canary', 'pass')], { history: { runs: [], scenarioRuns: rows } }, { flakyWindowRuns: 5, flakyFlips: 4 }),
    );
    expect(strict.flaky).toEqual([]);
  });
});

// ---------------------------------------------------------------- latency

/** Synthetic latencies: log-normal around `medianMs`. */
function lognormal(rand: () => number, medianMs: number, sigma = 0.3): number {
  return Math.round(medianMs * Math.exp(sigma * normalDeviate(rand)));
}

/** A run with `perRun` scenarios of one suite on both targets, plus `prev` earlier runs of history. */
function latencyInput(rand: () => number, canaryMedian: number, stableMedian: number, policy: Partial<VerdictPolicy>, prev = 9, perRun = 2): VerdictInput {
  const results: ScenarioResult[] = [];
  for (let k = 0; k < perRun; k++) {
    results.push(res(`s${k}`, 'canary', 'pass', { latencyMs: { first: 100, final: lognormal(rand, canaryMedian) } }));
    results.push(res(`s${k}`, 'stable', 'pass', { latencyMs: { first: 100, final: lognormal(rand, stableMedian) } }));
  }
  const scenarioRuns: ScenarioHistoryRow[] = [];
  for (let i = 1; i <= prev; i++) {
    for (let k = 0; k < perRun; k++) {
      scenarioRuns.push(row(i, `s${k}`, 'canary', 'pass', lognormal(rand, canaryMedian)));
      scenarioRuns.push(row(i, `s${k}`, 'stable', 'pass', lognormal(rand, stableMedian)));
    }
  }
  return input(results, { history: { runs: [], scenarioRuns } }, policy);
}

describe('latency', () => {
  const policy: Partial<VerdictPolicy> = { latencyWindowRuns: 9, latencyTolerance: 0.2, latencyAlpha: 0.05 };

  it('detects a canary latency regression on synthetic samples', () => {
    const rand = seededRandom(1234);
    let detected = 0;
    let sample: VerdictReport | undefined;
    for (let t = 0; t < 200; t++) {
      const v = computeVerdict(latencyInput(rand, 1600, 1000, policy));
      if (v.verdict === 'fail') detected++;
      sample ??= v;
    }
    expect(detected / 200).toBeGreaterThan(0.95);
    expect(sample?.reasons.join('\n')).toMatch(/latency regression: suite jokes: canary median \d+ ms vs stable \d+ ms/);
  });

  /** Six scenarios this run on each side (enough first-token samples), final latencies as given. */
  function signOfLifeInput(canaryFinal: number[], stableFinal: number[], canaryFirstToken: number, stableFirstToken: number): VerdictInput {
    const results: ScenarioResult[] = [];
    canaryFinal.forEach((f, k) => results.push(res(`m${k}`, 'canary', 'pass', { suite: 'media', latencyMs: { first: f, final: f, firstToken: canaryFirstToken + k } })));
    stableFinal.forEach((f, k) => results.push(res(`m${k}`, 'stable', 'pass', { suite: 'media', latencyMs: { first: f, final: f, firstToken: stableFirstToken + k } })));
    return input(results, {}, policy);
  }

  it('a canary that types at once but finishes 0.2-3 s later (a busier backend) passes with a note; one slow to show life fails', () => {
    const stable = [450, 460, 470, 455, 465, 458];
    const jitter = [1200, 1900, 2600, 1500, 3100, 1700];
    const busier = computeVerdict(signOfLifeInput(jitter, stable, 30, 25));
    expect(busier.verdict, busier.reasons.join('\n')).toBe('pass');
    expect(busier.reasons.join('\n')).toMatch(/finishes later than stable .* shows typing as fast/);
    // the same gap, but typing too comes 700 ms later: the bot itself is slower
    const slow = computeVerdict(signOfLifeInput(jitter, stable, 750, 25));
    expect(slow.verdict).toBe('fail');
    expect(slow.reasons.join('\n')).toMatch(/latency regression: suite media/);
    // a suite whose chats show no typing (groups): judged on how soon the bot shows life in the rest of the run
    const groups = signOfLifeInput(jitter, stable, 30, 25);
    jitter.forEach((f, k) => groups.results.push(res(`g${k}`, 'canary', 'pass', { suite: 'groups', latencyMs: { first: f, final: f, firstToken: f } })));
    stable.forEach((f, k) => groups.results.push(res(`g${k}`, 'stable', 'pass', { suite: 'groups', latencyMs: { first: f, final: f, firstToken: f } })));
    const inGroups = computeVerdict(groups);
    expect(inGroups.verdict, inGroups.reasons.join('\n')).toBe('pass');
    const slowGroups = signOfLifeInput(jitter, stable, 750, 25);
    jitter.forEach((f, k) => slowGroups.results.push(res(`g${k}`, 'canary', 'pass', { suite: 'groups', latencyMs: { first: f, final: f, firstToken: f } })));
    stable.forEach((f, k) => slowGroups.results.push(res(`g${k}`, 'stable', 'pass', { suite: 'groups', latencyMs: { first: f, final: f, firstToken: f } })));
    expect(computeVerdict(slowGroups).reasons.join('\n')).toMatch(/latency regression: suite groups/);
    // a stall users notice fails even with typing shown at once
    const stall = computeVerdict(signOfLifeInput(stable.map((x) => x + 4000), stable, 30, 25));
    expect(stall.verdict).toBe('fail');
  });

  it('does not flag equal distributions: false-alarm rate under 5% over 1,000 seeded trials', () => {
    const rand = seededRandom(20250101);
    let alarms = 0;
    for (let t = 0; t < 1000; t++) {
      if (computeVerdict(latencyInput(rand, 1000, 1000, policy)).verdict !== 'pass') alarms++;
    }
    expect(alarms / 1000).toBeLessThan(0.05);
    // and the test itself is calibrated: with no tolerance, the alarm rate stays near alpha, not far above it
    const rand2 = seededRandom(99);
    let raw = 0;
    for (let t = 0; t < 1000; t++) {
      if (computeVerdict(latencyInput(rand2, 1000, 1000, { ...policy, latencyTolerance: 0 })).verdict !== 'pass') raw++;
    }
    expect(raw / 1000).toBeLessThan(0.08);
  });

  it('a significant but small slowdown within tolerance is only noted', () => {
    const v = computeVerdict(latencyInput(seededRandom(5), 1100, 1000, { ...policy, latencyTolerance: 0.5 }, 29, 4));
    expect(v.verdict).toBe('pass');
    expect(v.reasons.some((r) => r.includes('within tolerance'))).toBe(true);
  });

  it('a large relative but tiny absolute slowdown (fast bots, 27 vs 14 ms) is only noted', () => {
    const v = computeVerdict(latencyInput(seededRandom(8), 27, 14, policy, 29, 4));
    expect(v.verdict).toBe('pass');
    expect(v.reasons.some((r) => r.includes('within tolerance'))).toBe(true);
    // the same ratio at human-visible latencies is still a regression
    expect(computeVerdict(latencyInput(seededRandom(8), 2700, 1400, policy, 29, 4)).verdict).toBe('fail');
  });

  it('compares per suite and names only the slow one', () => {
    const rand = seededRandom(77);
    const a = latencyInput(rand, 1000, 1000, policy);
    const b = latencyInput(rand, 2000, 1000, policy);
    const toRag = <T extends { suite: string; scenario: string }>(r: T): T => ({ ...r, suite: 'rag', scenario: `rag-${r.scenario}` });
    const merged: VerdictInput = {
      ...a,
      results: [...a.results, ...b.results.map(toRag)],
      history: { runs: [], scenarioRuns: [...a.history.scenarioRuns, ...b.history.scenarioRuns.map(toRag)] },
    };
    const v = computeVerdict(merged);
    expect(v.verdict).toBe('fail');
    const latencyReasons = v.reasons.filter((r) => r.startsWith('latency regression'));
    expect(latencyReasons).toHaveLength(1);
    expect(latencyReasons[0]).toMatch(/suite rag:/);
  });

  it('skips the comparison with too few samples', () => {
    const v = computeVerdict(latencyInput(seededRandom(3), 5000, 1000, policy, 0, 2));
    expect(v.verdict).toBe('pass');
  });

  it('fails when canary p95 is over the suite budget, with default fallback', () => {
    const results = [
      res('joke', 'canary', 'pass', { latencyMs: { first: 100, final: 9000 } }),
      res('joke', 'stable', 'pass', { latencyMs: { first: 100, final: 1000 } }),
      res('mem', 'canary', 'pass', { suite: 'memories', latencyMs: { first: 100, final: 2500 } }),
    ];
    const v = computeVerdict(input(results, {}, { latencyP95BudgetMs: { jokes: 5000, default: 3000 } }));
    expect(v.verdict).toBe('fail');
    expect(v.reasons).toContain('latency budget: suite jokes: canary p95 9000 ms over budget 5000 ms (1 replies)');
    expect(v.reasons.join('\n')).not.toMatch(/memories/);
    const v2 = computeVerdict(input(results, {}, { latencyP95BudgetMs: { default: 2000 } }));
    expect(v2.reasons.join('\n')).toMatch(/suite memories: canary p95 2500 ms over budget 2000 ms/);
    expect(computeVerdict(input(results, {}, { latencyP95BudgetMs: {} })).verdict).toBe('pass');
  });

  it('p95 window covers history; a budget breach stable shares is inconclusive', () => {
    const hist = [row(1, 'joke', 'canary', 'pass', 8000), row(1, 'joke', 'stable', 'pass', 8000), row(2, 'joke', 'canary', 'error', 99999)];
    const results = [res('joke', 'canary', 'pass', { latencyMs: { first: 1, final: 1000 } }), res('joke', 'stable', 'pass')];
    const v = computeVerdict(input(results, { history: { runs: [], scenarioRuns: hist } }, { latencyP95BudgetMs: { default: 5000 } }));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons.join('\n')).toMatch(/stable slow too: suite jokes: canary p95 7650 ms over budget 5000 ms/);
  });
});
