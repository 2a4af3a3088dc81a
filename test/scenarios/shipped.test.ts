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
    for (const suite of ['joke', 'memory', 'favor', 'rag', 'groups']) expect(bySuite.get(suite) ?? 0).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
  });

  it('fit LLM bots: answer deadlines 15-30 s, settle windows 300-800 ms, scenario timeouts at most 2 min', async () => {
    for (const s of await loadScenarios(dir, opts)) {
      expect(s.timeoutMs, `${s.name} timeout`).toBeLessThanOrEqual(120_000);
      let budget = 0;
      for (const step of s.steps) {
        const e = step.kind === 'expect' ? step.expect : step.kind === 'click' ? step.expect : undefined;
        if (!e) continue;
        expect(e.settleMs, `${s.name} settle`).toBeGreaterThanOrEqual(300);
        expect(e.settleMs, `${s.name} settle`).toBeLessThanOrEqual(800);
        expect(e.timeoutMs, `${s.name} answer deadline`).toBeGreaterThanOrEqual(15_000);
        expect(e.timeoutMs, `${s.name} answer deadline`).toBeLessThanOrEqual(30_000);
        budget += e.timeoutMs;
      }
      // every step may use its whole deadline and the scenario still ends by itself
      expect(s.timeoutMs, `${s.name}: timeout below the sum of its answer deadlines`).toBeGreaterThanOrEqual(budget);
    }
  });

  it('are not tied to one bot\'s wording: no starts-with, no forbidden words a correct caveat may say', async () => {
    for (const s of await loadScenarios(dir, opts)) {
      for (const step of s.steps) {
        const e = step.kind === 'expect' ? step.expect : step.kind === 'click' ? step.expect : undefined;
        for (const a of e?.assert ?? []) {
          expect(a.type, `${s.name}: starts-with ties the scenario to the first word of one bot`).not.toBe('starts-with');
          if (a.type === 'not-icontains-any' || a.type === 'not-icontains' || a.type === 'not-contains-any') {
            const words = ([] as unknown[]).concat(a.value).map((v) => String(v).toLowerCase());
            for (const w of words) expect(['thread', 'bluetooth', 'wi-fi', 'weekends', '24/7', 'z-wave', 'lifetime'], `${s.name}: "${w}"`).not.toContain(w);
          }
        }
      }
    }
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
