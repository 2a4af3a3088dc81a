/** Contract of the run history role: what is written comes back exactly, in the documented order. */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/core/types.js';
import { HOSTILE, runResult, scenarioResult } from '../fixtures.js';
import { contractContext, T0, type MakeStoreHarness } from './harness.js';

const HOUR = 3_600_000;

/** A finished run of scenarios `names` at `t0` (canary and stable each). */
function run(id: string, t0: number, opts: Parameters<typeof runResult>[2] = {}): RunResult {
  return runResult(id, t0, opts);
}

export function describeRunHistoryContract(make: MakeStoreHarness): void {
  describe('run history', () => {
    const c = contractContext(make);

    it('gives a finished run back exactly as stored, hostile texts included', () => {
      const r = run('r1', T0, { texts: [HOSTILE.html, HOSTILE.loneHigh, HOSTILE.emoji, HOSTILE.control], scenarios: ['joke', 'memory'] });
      c.store.finishRun(r);
      expect(c.store.getRun('r1')).toStrictEqual(r);
      expect(c.store.latestRun()).toStrictEqual(r);
      expect(c.store.getRun('nope')).toBeUndefined();
    });

    it('keeps nothing the caller changes after saving', () => {
      const r = run('r1', T0);
      c.store.finishRun(r);
      const copy = structuredClone(r);
      r.scenarios[0].reasons.push('changed later');
      r.verdict.reasons.push('changed later');
      expect(c.store.getRun('r1')).toStrictEqual(copy);
      const read = c.store.getRun('r1') as RunResult;
      read.scenarios.pop();
      expect(c.store.getRun('r1')).toStrictEqual(copy);
    });

    it('a begun run is pending (with its owner) until finished, and is never the latest run', () => {
      c.store.finishRun(run('done', T0));
      c.store.beginRun({ runId: 'b', startedAt: T0 + 2 * HOUR, owner: 'host:2' });
      c.store.beginRun({ runId: 'a', startedAt: T0 + HOUR, revision: 'v2', owner: 'host:1' });
      expect(c.store.pendingRuns()).toStrictEqual([
        { runId: 'a', startedAt: T0 + HOUR, owner: 'host:1' },
        { runId: 'b', startedAt: T0 + 2 * HOUR, owner: 'host:2' },
      ]);
      expect(c.store.latestRun()?.runId).toBe('done');
      const s = scenarioResult('joke', 'canary', T0 + HOUR + 5, 'pass', ['hi']);
      c.store.saveScenario('a', s);
      const pending = c.store.getRun('a');
      expect(pending).toMatchObject({ runId: 'a', startedAt: T0 + HOUR, finishedAt: s.finishedAt, aborted: false, revision: 'v2' });
      expect(pending?.verdict).toMatchObject({ verdict: 'pending', decision: 'hold', revision: 'v2' });
      expect(pending?.scenarios).toStrictEqual([s]);
      // beginning it again keeps what it had and fills in what was missing
      c.store.beginRun({ runId: 'b', startedAt: T0 + 3 * HOUR, revision: 'v3' });
      expect(c.store.pendingRuns()[1]).toStrictEqual({ runId: 'b', startedAt: T0 + 2 * HOUR, owner: 'host:2' });
      expect(c.store.listRuns({}).find((x) => x.runId === 'b')).toMatchObject({ revision: 'v3', verdict: 'pending', finishedAt: null, score: 0 });
      c.store.finishRun(run('a', T0 + HOUR));
      expect(c.store.pendingRuns().map((p) => p.runId)).toStrictEqual(['b']);
      expect(c.store.latestRun()?.runId).toBe('a');
    });

    it('saving a scenario again replaces it in place; attempts of a repeated scenario are kept apart', () => {
      c.store.beginRun({ runId: 'r', startedAt: T0 });
      const first = scenarioResult('joke', 'canary', T0, 'fail', ['no']);
      const other = scenarioResult('memory', 'canary', T0 + 10, 'pass', ['yes']);
      c.store.saveScenario('r', first);
      c.store.saveScenario('r', other);
      const again = scenarioResult('joke', 'canary', T0 + 20, 'pass', ['a joke']);
      c.store.saveScenario('r', again);
      expect(c.store.getRun('r')?.scenarios).toStrictEqual([again, other]);
      const a1 = { ...scenarioResult('rep', 'stable', T0 + 30, 'pass', ['x']), attempt: 1 };
      const a2 = { ...scenarioResult('rep', 'stable', T0 + 40, 'fail', ['y']), attempt: 2 };
      c.store.saveScenario('r', a1);
      c.store.saveScenario('r', a2);
      expect(c.store.getRun('r')?.scenarios.map((s) => [s.scenario, s.attempt])).toStrictEqual([
        ['joke', undefined], ['memory', undefined], ['rep', 1], ['rep', 2],
      ]);
      // a scenario saved before its run was begun begins it
      c.store.saveScenario('late', other);
      expect(c.store.pendingRuns().map((p) => [p.runId, p.startedAt])).toStrictEqual([['r', T0], ['late', other.startedAt]]);
    });

    it('finishing a run stores its scenarios as given, replacing those saved on the way', () => {
      c.store.beginRun({ runId: 'r', startedAt: T0 });
      c.store.saveScenario('r', scenarioResult('gone', 'canary', T0, 'pass', ['x']));
      const r = run('r', T0, { scenarios: ['joke'] });
      c.store.finishRun(r);
      expect(c.store.getRun('r')?.scenarios.map((s) => s.scenario)).toStrictEqual(['joke', 'joke']);
    });

    it('lists runs newest first (ties by insertion, later first), before a time, up to a limit (default 50)', () => {
      c.store.finishRun(run('old', T0));
      c.store.finishRun(run('tie-1', T0 + HOUR));
      c.store.finishRun(run('tie-2', T0 + HOUR));
      c.store.beginRun({ runId: 'now', startedAt: T0 + 2 * HOUR });
      expect(c.store.listRuns({}).map((r) => r.runId)).toStrictEqual(['now', 'tie-2', 'tie-1', 'old']);
      expect(c.store.listRuns({ last: 2 }).map((r) => r.runId)).toStrictEqual(['now', 'tie-2']);
      expect(c.store.listRuns({ before: T0 + HOUR }).map((r) => r.runId)).toStrictEqual(['old']);
      expect(c.store.listRuns({ last: 0 })).toStrictEqual([]);
      expect(c.store.listRuns({ last: 1 })[0]).toStrictEqual({
        runId: 'now', startedAt: T0 + 2 * HOUR, finishedAt: null, verdict: 'pending', score: 0, aborted: false,
      });
      const old = c.store.listRuns({}).find((r) => r.runId === 'old');
      expect(old).toStrictEqual({ runId: 'old', startedAt: T0, finishedAt: run('old', T0).finishedAt, verdict: 'pass', score: 1, aborted: false, revision: 'v1.2.3' });
      for (let i = 0; i < 55; i += 1) c.store.beginRun({ runId: `bulk-${i}`, startedAt: T0 + 3 * HOUR + i });
      expect(c.store.listRuns({})).toHaveLength(50);
      expect(c.store.listRuns({})[0].runId).toBe('bulk-54');
    });

    it('the latest run is the newest finished one by start time', () => {
      const early = run('early', T0);
      early.finishedAt = T0 + 5 * HOUR;
      c.store.finishRun(early);
      c.store.finishRun(run('later', T0 + HOUR));
      c.store.beginRun({ runId: 'running', startedAt: T0 + 2 * HOUR });
      expect(c.store.latestRun()?.runId).toBe('later');
    });

    it('scenario history: newest run first, then in run order; `last` counts runs, or rows with scenario and target', () => {
      c.store.finishRun(run('r1', T0, { scenarios: ['joke', 'memory'] }));
      c.store.finishRun(run('r2', T0 + HOUR, { canary: 'fail', scenarios: ['joke', 'memory'] }));
      c.store.finishRun(run('r3', T0 + 2 * HOUR, { scenarios: ['memory'] }));
      const all = c.store.scenarioHistory({});
      expect(all.map((r) => `${r.runId}:${r.scenario}:${r.target}`)).toStrictEqual([
        'r3:memory:canary', 'r3:memory:stable',
        'r2:joke:canary', 'r2:joke:stable', 'r2:memory:canary', 'r2:memory:stable',
        'r1:joke:canary', 'r1:joke:stable', 'r1:memory:canary', 'r1:memory:stable',
      ]);
      expect(c.store.scenarioHistory({ last: 2 }).map((r) => r.runId)).toStrictEqual(['r3', 'r3', 'r2', 'r2', 'r2', 'r2']);
      // `last` counts the runs that ran the scenario
      expect(c.store.scenarioHistory({ scenario: 'joke', last: 1 }).map((r) => `${r.runId}:${r.target}`)).toStrictEqual(['r2:canary', 'r2:stable']);
      expect(c.store.scenarioHistory({ target: 'stable', last: 1 }).map((r) => `${r.runId}:${r.scenario}`)).toStrictEqual(['r3:memory']);
      // with both, `last` counts rows
      expect(c.store.scenarioHistory({ scenario: 'joke', target: 'canary', last: 1 }).map((r) => r.runId)).toStrictEqual(['r2']);
      expect(c.store.scenarioHistory({ scenario: 'memory', target: 'canary' }).map((r) => r.runId)).toStrictEqual(['r3', 'r2', 'r1']);
      const failed = all.find((r) => r.runId === 'r2' && r.scenario === 'joke' && r.target === 'canary');
      expect(failed).toMatchObject({ startedAt: T0 + HOUR, suite: 'smoke', status: 'fail', score: 0.25, latencyFirstMs: 200, latencyFinalMs: 301, attempt: 1 });
      expect(Array.isArray(failed?.causes)).toBe(true);
      const passed = all.find((r) => r.runId === 'r1' && r.scenario === 'joke' && r.target === 'canary');
      expect(passed).toStrictEqual({
        runId: 'r1', startedAt: T0, scenario: 'joke', suite: 'smoke', target: 'canary', status: 'pass', score: 1,
        latencyFirstMs: 200, latencyFinalMs: 301, attempt: 1,
      });
    });

    it('recent reply texts: graded replies only, newest first, up to the limit', () => {
      c.store.finishRun(run('r1', T0, { texts: ['first'] }));
      c.store.finishRun(run('r2', T0 + HOUR, { texts: ['second', 'part two'] }));
      c.store.beginRun({ runId: 'r3', startedAt: T0 + 2 * HOUR });
      const ungraded = scenarioResult('joke', 'canary', T0 + 2 * HOUR, 'pass', ['not graded']);
      ungraded.assertions = [];
      c.store.saveScenario('r3', ungraded);
      expect(c.store.recentReplyTexts('joke', 'canary', 10)).toStrictEqual(['second\npart two', 'first']);
      expect(c.store.recentReplyTexts('joke', 'canary', 1)).toStrictEqual(['second\npart two']);
      expect(c.store.recentReplyTexts('joke', 'stable', 10)).toHaveLength(2);
      expect(c.store.recentReplyTexts('other', 'canary', 10)).toStrictEqual([]);
    });

    it('last success per target: the finish time of the newest passing run, never a failing one', () => {
      expect(c.store.lastSuccessAt('canary')).toBeNull();
      const r1 = run('r1', T0);
      c.store.finishRun(r1);
      const r2 = run('r2', T0 + HOUR, { canary: 'fail' });
      c.store.finishRun(r2);
      expect(c.store.lastSuccessAt('canary')).toBe(r1.finishedAt);
      expect(c.store.lastSuccessAt('stable')).toBe(r2.finishedAt);
      // a run stored again with another outcome changes its answer
      c.store.finishRun(run('r1', T0, { canary: 'fail' }));
      expect(c.store.lastSuccessAt('canary')).toBeNull();
    });

    it('last success of a run stored without per-target verdicts comes from its scenarios', () => {
      const bare = run('bare', T0, { stable: 'inconclusive' });
      bare.verdict.targets = {};
      c.store.finishRun(bare);
      expect(c.store.lastSuccessAt('canary')).toBe(bare.finishedAt);
      expect(c.store.lastSuccessAt('stable')).toBeNull(); // its scenarios are errors: inconclusive
      const aborted = run('aborted', T0 + HOUR);
      aborted.verdict.targets = {};
      aborted.aborted = true;
      // canary passed what it ran, but the run was aborted: inconclusive, not a success; stable only skipped
      aborted.scenarios = aborted.scenarios.map((x) => (x.target === 'stable' ? { ...x, status: 'skipped' as const } : x));
      c.store.finishRun(aborted);
      expect(c.store.lastSuccessAt('canary')).toBe(bare.finishedAt);
      expect(c.store.lastSuccessAt('stable')).toBeNull();
    });

    it('keeps the history across a restart', () => {
      const r = run('r1', T0);
      c.store.finishRun(r);
      c.store.beginRun({ runId: 'p', startedAt: T0 + HOUR, owner: 'host:9' });
      const s = c.reopen();
      expect(s.getRun('r1')).toStrictEqual(r);
      expect(s.pendingRuns()).toStrictEqual([{ runId: 'p', startedAt: T0 + HOUR, owner: 'host:9' }]);
    });
  });
}
