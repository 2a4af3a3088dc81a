/**
 * The failure-rate verdict on constructed histories: healthy canaries pass, clearly worse ones fail (also when their
 * failures hop between scenarios), a shared outage is inconclusive, small samples are "insufficient evidence", and
 * infrastructure errors stay out of the rates.
 */
import { describe, expect, it } from 'vitest';
import { failureCauses, normalizeCauseText } from './failure-cause.js';
import type { ScenarioHistoryRow } from './ports.js';
import { seededRandom } from './stats.js';
import type { Reply, ScenarioResult, TargetName } from './types.js';
import { computeVerdict, DEFAULT_VERDICT_POLICY, type VerdictInput, type VerdictPolicy } from './verdict-policy.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const GREETING = 'Hello! How can I help you today?';
const OUTAGE = '⚠️ Error: upstream model overloaded (request 8f3a9c21d0)';

const SCENARIOS: { name: string; suite: string }[] = [
  { name: 'rag-warranty', suite: 'rag' },
  { name: 'rag-zwave', suite: 'rag' },
  { name: 'rag-battery', suite: 'rag' },
  { name: 'favor-convert', suite: 'favor' },
  { name: 'favor-booking', suite: 'favor' },
  { name: 'favor-reminder', suite: 'favor' },
];

function reply(text: string): Reply {
  return {
    messages: text === '' ? [] : [{ id: 2, text, firstSeenAt: T0 + 500, lastChangeAt: T0 + 500, edits: 0 }],
    text, sentAt: T0, editCount: 0, messageCount: text === '' ? 0 : 1, settled: true,
  };
}

/** One attempt; `text` is what the bot answered (graded at step 1). */
function attempt(s: { name: string; suite: string }, target: TargetName, pass: boolean, text: string, n?: number): ScenarioResult {
  return {
    scenario: s.name, suite: s.suite, target, bot: `${target}_bot`, status: pass ? 'pass' : 'fail', score: pass ? 1 : 0,
    startedAt: T0, finishedAt: T0 + 1000, latencyMs: { first: 500, final: 500 },
    reasons: pass ? [] : ['a critical assertion failed'],
    ...(n !== undefined ? { attempt: n } : {}),
    steps: [
      { index: 0, kind: 'send', startedAt: T0, finishedAt: T0, sent: { id: 1, text: 'prompt', at: T0 } },
      { index: 1, kind: 'expect', startedAt: T0, finishedAt: T0 + 900, reply: reply(text) },
    ],
    assertions: [{ type: 'icontains', pass, score: pass ? 1 : 0, weight: 1, critical: true, reason: pass ? 'ok' : 'missing fact', step: 1 }],
  };
}

type Behaviour = (scenario: string, k: number) => { pass: boolean; text: string };
const healthy: Behaviour = () => ({ pass: true, text: 'a good answer' });

/** One run: every scenario `repeat` times on both targets. */
function run(canary: Behaviour, stable: Behaviour, repeat = 2): ScenarioResult[] {
  const out: ScenarioResult[] = [];
  for (const s of SCENARIOS) {
    for (let k = 1; k <= repeat; k++) {
      for (const [target, b] of [['canary', canary], ['stable', stable]] as const) {
        const o = b(s.name, k);
        out.push(attempt(s, target, o.pass, o.text, repeat > 1 ? k : undefined));
      }
    }
  }
  return out;
}

/** History rows of earlier runs as the store returns them (causes computed as the writer does), newest first. */
function toHistory(runs: ScenarioResult[][]): ScenarioHistoryRow[] {
  return runs.flatMap((results, i) =>
    results.map((r) => ({
      runId: `run-${i + 1}`, startedAt: T0 - (i + 1) * 3_600_000, scenario: r.scenario, suite: r.suite, target: r.target,
      status: r.status, score: r.score, latencyFirstMs: 500, latencyFinalMs: 500, attempt: r.attempt ?? 1,
      ...(r.status === 'fail' ? { causes: failureCauses(r) } : {}),
    })),
  );
}

function judge(current: ScenarioResult[], previous: ScenarioResult[][] = [], policy: Partial<VerdictPolicy> = {}, over: Partial<VerdictInput> = {}): ReturnType<typeof computeVerdict> {
  return computeVerdict({
    runId: 'run-now', startedAt: T0, finishedAt: T0 + 60_000, aborted: false, results: current,
    history: { runs: previous.map((_, i) => ({ runId: `run-${i + 1}`, verdict: 'pass' })), scenarioRuns: toHistory(previous) },
    policy: { ...DEFAULT_VERDICT_POLICY, ...policy },
    ...over,
  });
}

/** A replica with a stale config: every third message it answers gets the generic greeting instead. */
function staleReplica(): Behaviour {
  let i = 0;
  return () => (++i % 3 === 0 ? { pass: false, text: GREETING } : { pass: true, text: 'a good answer' });
}

/** A model provider failing at random with probability `p` (seeded). */
function flakyProvider(seed: number, p: number): Behaviour {
  const rand = seededRandom(seed);
  return () => (rand() < p ? { pass: false, text: OUTAGE } : { pass: true, text: 'a good answer' });
}

const reasons = (v: ReturnType<typeof computeVerdict>): string => v.reasons.join('\n');

describe('failure causes', () => {
  it('reads error text and class, silence, and short canned replies', () => {
    const s = SCENARIOS[0] as { name: string; suite: string };
    expect(failureCauses(attempt(s, 'canary', false, OUTAGE))).toEqual(['text:error: upstream model overloaded request #', 'class:unavailable']);
    expect(failureCauses(attempt(s, 'canary', false, 'Sorry — the request timed out after 30 s.'))).toContain('class:timeout');
    expect(failureCauses(attempt(s, 'canary', false, ''))).toEqual(['class:no-reply']);
    expect(failureCauses(attempt(s, 'canary', false, GREETING))).toEqual(['reply:hello how can i help you today']);
    expect(failureCauses(attempt(s, 'canary', true, OUTAGE))).toEqual([]);
    // numbers and ids vary between occurrences of one error: they are folded
    expect(normalizeCauseText('HTTP 502 at 12:01, trace 4be1f00dcafe')).toBe(normalizeCauseText('HTTP 503 at 09:44, trace 77aa00ffee11'));
  });
});

describe('failure rates on constructed histories', () => {
  it('healthy canary (a stray failure on each side) → pass, with the numbers', () => {
    let c = 0;
    let s = 0;
    const v = judge(
      run(() => ({ pass: ++c !== 4, text: c === 4 ? 'The Orbit X1 has a 1-year warranty.' : 'ok' }), () => ({ pass: ++s !== 9, text: s === 9 ? 'Booked for Tuesday.' : 'ok' })),
      [run(healthy, healthy), run(healthy, healthy)],
    );
    expect(v.verdict, reasons(v)).toBe('pass');
    expect(v.decision).toBe('promote');
    expect(reasons(v)).toMatch(/failure rate overall: canary 2\.8% \(1\/36\) vs stable 2\.8% \(1\/36\), Fisher p=0\.75\d \(level 0\.0\d+\)/);
    expect(v.failureRates?.runs).toBe(3);
    expect(v.failureRates?.overall.band).toBe('pass');
    expect(v.targets.canary?.suites.rag?.band).toBe('pass');
  });

  it('clearly worse canary (one scenario broken for good) → fail, rollback, names the suite', () => {
    const broken: Behaviour = (name) => (name === 'rag-zwave' ? { pass: false, text: 'Yes, the hub supports Z-Wave.' } : { pass: true, text: 'ok' });
    const v = judge(run(broken, healthy, 3), [run(broken, healthy, 3), run(broken, healthy, 3)]);
    expect(v.verdict, reasons(v)).toBe('fail');
    expect(v.decision).toBe('rollback');
    expect(reasons(v)).toMatch(/canary regression: failure rate rag: canary fails more often than stable: canary 33% \(9\/27\) vs stable 0% \(0\/27\), Fisher p=/);
    expect(v.failureRates?.suites.rag?.band).toBe('fail');
    expect(v.failureRates?.suites.favor?.band).toBe('pass');
    expect(v.targets.canary?.suites.favor?.band).toBe('pass');
  });

  it('hopping failures: a stale replica greeting one message in three fails, though no scenario fails twice in a row', () => {
    const replica = staleReplica();
    const history = [run(replica, healthy)];
    const now = run(replica, healthy);
    // the failures hop: no scenario fails on every attempt, every scenario passes at least once
    for (const s of SCENARIOS) expect(now.some((r) => r.target === 'canary' && r.scenario === s.name && r.status === 'pass')).toBe(true);
    const v = judge(now, history);
    expect(v.verdict, reasons(v)).toBe('fail');
    expect(reasons(v)).toMatch(/canary regression: failure rate overall: canary fails more often than stable: canary 33% \(8\/24\) vs stable 0% \(0\/24\), Fisher p=0\.002 \(level 0\.017\)/);
    // the same replica judged on this run alone is not yet enough at the Holm level of three comparisons
    const alone = judge(run(staleReplica(), healthy));
    expect(alone.verdict, reasons(alone)).toBe('inconclusive');
    expect(alone.decision).toBe('hold');
    expect(reasons(alone)).toMatch(/failure rate overall: marginal: canary 33% \(4\/12\) vs stable 0% \(0\/12\), Fisher p=0\.047/);
  });

  it('the same replica behind stable too (both greet one message in three) is no canary regression', () => {
    const v = judge(run(staleReplica(), staleReplica()), [run(staleReplica(), staleReplica())]);
    expect(v.verdict, reasons(v)).toBe('inconclusive');
    expect(v.decision).toBe('hold');
    expect(reasons(v)).toMatch(/shared cause: 4 canary failure\(s\) in this run .*same reply "hello how can i help you today" \(canary 8, stable 8\)/);
  });

  it('shared outage: a provider failing at random in both bots, different scenarios hit → inconclusive in each of 5 seeded runs', () => {
    const previous: ScenarioResult[][] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const now = run(flakyProvider(seed, 0.3), flakyProvider(seed + 100, 0.3), 2);
      const canaryFails = new Set(now.filter((r) => r.target === 'canary' && r.status === 'fail').map((r) => r.scenario));
      const stableFails = new Set(now.filter((r) => r.target === 'stable' && r.status === 'fail').map((r) => r.scenario));
      expect(canaryFails.size, `seed ${seed}`).toBeGreaterThan(0);
      const v = judge(now, [...previous].reverse());
      expect(v.verdict, `seed ${seed}: ${reasons(v)}`).toBe('inconclusive');
      expect(v.decision).toBe('hold');
      if (stableFails.size > 0 || seed > 1) expect(reasons(v)).toMatch(/shared cause: \d+ canary failure\(s\) in this run have a cause stable shows too .*error text "error: upstream model overloaded request #"/);
      previous.push(now);
    }
  });

  it('shared outage where canary is hit more often by chance (10/24 vs 2/24, same error text) → inconclusive, not fail', () => {
    const hits = (every: number[]): Behaviour => {
      let i = 0;
      return () => (every.includes(++i) ? { pass: false, text: OUTAGE } : { pass: true, text: 'ok' });
    };
    const canaryRun = (): Behaviour => hits([1, 3, 6, 8, 11]);
    const stableRun = (): Behaviour => hits([10]); // a scenario canary does not fail in this run
    const v = judge(run(canaryRun(), stableRun()), [run(canaryRun(), stableRun())]);
    expect(v.verdict, reasons(v)).toBe('inconclusive');
    expect(v.failureRates?.sharedCauses).toContainEqual({ cause: 'text:error: upstream model overloaded request #', canary: 10, stable: 2 });
    // the very same counts with different causes on each side are a canary regression
    const own = (every: number[], text: string): Behaviour => {
      let i = 0;
      return () => (every.includes(++i) ? { pass: false, text } : { pass: true, text: 'ok' });
    };
    const w = judge(run(own([1, 3, 6, 8, 11], 'KeyError: price'), own([10], OUTAGE)), [run(own([1, 3, 6, 8, 11], 'KeyError: price'), own([10], OUTAGE))]);
    expect(w.verdict, reasons(w)).toBe('fail');
    expect(reasons(w)).toMatch(/canary 42% \(10\/24\) vs stable 8\.3% \(2\/24\), Fisher p=0\.00\d/);
  });

  it('a shared cause canary hits far more often is still canary’s: always silent vs stable silent once → fail', () => {
    let s = 0;
    const silent: Behaviour = () => ({ pass: false, text: '' });
    const v = judge(run(silent, () => ({ pass: ++s !== 3, text: s === 3 ? '' : 'ok' })), [run(silent, healthy)]);
    expect(v.verdict, reasons(v)).toBe('fail');
    expect(v.failureRates?.sharedCauses).toEqual([]);
    // the class no-reply is not shared (canary 24 of 24, stable 1 of 24); only the attempts of the one scenario
    // stable also failed in this run are left out
    expect(reasons(v)).toMatch(/canary 100% \(22\/22\) vs stable 4\.2% \(1\/24\), Fisher p=2\.9e-12 \(level 0\.017\); left out as shared causes: canary 2, stable 0/);
  });

  it('small n → inconclusive "insufficient evidence", never rollback, when canary\'s failures may be transient (silence)', () => {
    const [a, b] = SCENARIOS as [{ name: string; suite: string }, { name: string; suite: string }];
    const v = judge([attempt(a, 'canary', false, ''), attempt(a, 'stable', true, 'ok'), attempt(b, 'canary', false, ''), attempt(b, 'stable', true, 'ok')]);
    expect(v.verdict).toBe('inconclusive');
    expect(v.decision).toBe('hold');
    expect(reasons(v)).toMatch(/insufficient evidence: canary 100% \(2\/2\) vs stable 0% \(0\/2\), Fisher p=0\.167; need at least 5 graded attempts per target/);
    expect(v.failureRates?.overall).toMatchObject({ insufficient: true, band: 'marginal' });
    // with a lower floor the most extreme table of 2 + 2 (p = 1/6) still cannot reach 0.05: still insufficient
    const low = judge([attempt(a, 'canary', false, ''), attempt(a, 'stable', true, 'ok'), attempt(b, 'canary', false, ''), attempt(b, 'stable', true, 'ok')], [], { failureMinSamples: 1 });
    expect(low.verdict).toBe('inconclusive');
    expect(low.failureRates?.overall.insufficient).toBe(true);
  });

  it('small n with wrong answers where stable is right: each scenario is a regression on its own → fail', () => {
    const [a, b] = SCENARIOS as [{ name: string; suite: string }, { name: string; suite: string }];
    const v = judge([attempt(a, 'canary', false, 'wrong'), attempt(a, 'stable', true, 'ok'), attempt(b, 'canary', false, 'wrong'), attempt(b, 'stable', true, 'ok')]);
    expect(v.verdict).toBe('fail');
    expect(reasons(v)).toMatch(/fails on canary and passes on stable, for a cause stable never shows/);
    expect(v.failureRates?.overall.insufficient).toBe(true);
  });

  it('infrastructure errors stay out of the rates and keep the run inconclusive', () => {
    const results = run(healthy, healthy, 1).map((r) =>
      r.target === 'canary' && r.suite === 'rag' ? { ...r, status: 'error' as const, errorCode: 'TG_FLOOD_WAIT', steps: [], assertions: [] } : r,
    );
    const v = judge(results);
    expect(v.verdict).toBe('inconclusive');
    expect(reasons(v)).toMatch(/infrastructure errors on canary: rag-warranty \(TG_FLOOD_WAIT\)/);
    expect(v.failureRates?.overall.canary).toEqual({ n: 3, failures: 0, rate: 0, shared: 0 });
    expect(v.failureRates?.overall.stable.n).toBe(6);
  });

  it('a clean run after failing ones passes (the fix), and runs of another revision leave the window', () => {
    const broken: Behaviour = (name) => (name.startsWith('rag') ? { pass: false, text: 'wrong' } : { pass: true, text: 'ok' });
    const clean = judge(run(healthy, healthy, 3), [run(broken, healthy, 3), run(broken, healthy, 3)]);
    expect(clean.verdict, reasons(clean)).toBe('pass');
    expect(reasons(clean)).toMatch(/canary was worse earlier in the window but failed nothing of its own in this run/);
    // one rag failure now: judged with the broken runs of the same revision it fails; of another revision, it does not
    let once = 0;
    const oneFail: Behaviour = (name) => (name === 'rag-zwave' && once++ === 0 ? { pass: false, text: 'wrong' } : { pass: true, text: 'ok' });
    const history = [run(broken, healthy, 3), run(broken, healthy, 3)];
    const runs = [{ runId: 'run-1', verdict: 'fail', revision: 'v1' }, { runId: 'run-2', verdict: 'fail', revision: 'v1' }];
    const same = judge(run(oneFail, healthy, 3), history, {}, { revision: 'v1', history: { runs, scenarioRuns: toHistory(history) } });
    expect(same.verdict, reasons(same)).toBe('fail');
    once = 0;
    const other = judge(run(oneFail, healthy, 3), history, {}, { revision: 'v2', history: { runs, scenarioRuns: toHistory(history) } });
    expect(other.failureRates?.runs).toBe(1);
    expect(other.verdict, reasons(other)).not.toBe('fail');
  });

  it('repeats carry pass rate and pass^k per scenario and target', () => {
    const replica = staleReplica();
    const v = judge(run(replica, healthy, 3));
    const rows = v.repeats?.filter((r) => r.target === 'canary') ?? [];
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(r).toMatchObject({ attempts: 3, graded: 3, passes: 2, passRate: 0.6667, k: 3, passK: 0 });
    }
    expect(v.repeats?.find((r) => r.target === 'stable')).toMatchObject({ passes: 3, passRate: 1, passK: 1 });
    expect(v.scenarios.filter((s) => s.name === 'rag-zwave' && s.target === 'canary').map((s) => s.attempt)).toEqual([1, 2, 3]);
  });
});
