import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenarios } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';

const dir = join(import.meta.dirname, '../../scenarios');
const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };

describe('shipped scenarios', () => {
  it('all load with the real scorer checks, at least two per suite', async () => {
    const all = await loadScenarios(dir, opts);
    const bySuite = new Map<string, number>();
    for (const s of all) bySuite.set(s.suite, (bySuite.get(s.suite) ?? 0) + 1);
    for (const suite of ['joke', 'memory', 'favor', 'rag']) expect(bySuite.get(suite) ?? 0).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
  });

  it('stay fast: settle windows 300-800 ms, scenario timeouts at most 30 s', async () => {
    for (const s of await loadScenarios(dir, opts)) {
      expect(s.timeoutMs).toBeLessThanOrEqual(30_000);
      for (const step of s.steps) {
        const e = step.kind === 'expect' ? step.expect : step.kind === 'click' ? step.expect : undefined;
        if (!e) continue;
        expect(e.settleMs, `${s.name} settle`).toBeGreaterThanOrEqual(300);
        expect(e.settleMs, `${s.name} settle`).toBeLessThanOrEqual(800);
      }
    }
  });

  it('rag scenarios ask at least three questions, each graded on facts and on wrong values', async () => {
    const rag = await loadScenarios(dir, { ...opts, filter: { suite: 'rag' } });
    const sends = rag.flatMap((s) => s.steps.filter((st) => st.kind === 'send'));
    expect(sends.length).toBeGreaterThanOrEqual(3);
    const types = rag.flatMap((s) => s.steps.flatMap((st) => (st.kind === 'expect' ? st.expect.assert.map((a) => a.type) : [])));
    expect(types).toContain('icontains-all');
    expect(types).toContain('not-icontains-any');
  });

  it('filters by glob name and by suite', async () => {
    const jokes = await loadScenarios(dir, { ...opts, filter: { name: 'joke-*' } });
    expect(jokes.map((s) => s.name).sort()).toEqual(['joke-french', 'joke-fresh', 'joke-russian']);
    const one = await loadScenarios(dir, { ...opts, filter: { name: 'favor-booking' } });
    expect(one).toHaveLength(1);
    expect(one[0].steps.map((s) => s.kind)).toEqual(['send', 'expect', 'click', 'save']);
    await expect(loadScenarios(dir, { ...opts, filter: { suite: 'nope' } })).rejects.toMatchObject({ code: 'SCENARIO_NONE_MATCHED' });
  });
});
