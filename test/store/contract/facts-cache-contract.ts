/** Contract of the facts role (memory checks) and the scenario cache role. */
import { describe, expect, it } from 'vitest';
import { HOSTILE } from '../fixtures.js';
import { contractContext, T0, type MakeStoreHarness } from './harness.js';

export function describeFactsContract(make: MakeStoreHarness): void {
  describe('planted facts', () => {
    const c = contractContext(make);

    it('gives a planted fact back per key and target', () => {
      expect(c.store.getFact('name', 'canary')).toBeUndefined();
      c.store.plantFact({ key: 'name', target: 'canary', value: HOSTILE.invisible, runId: 'r1', at: T0 });
      expect(c.store.getFact('name', 'canary')).toStrictEqual({ value: HOSTILE.invisible, runId: 'r1', at: T0 });
      expect(c.store.getFact('name', 'stable')).toBeUndefined();
      expect(c.store.getFact('other', 'canary')).toBeUndefined();
    });

    it('the newest fact wins: a late write of an older one changes nothing, an equal time replaces', () => {
      c.store.plantFact({ key: 'k', target: 'stable', value: 'new', runId: 'r2', at: T0 + 10 });
      c.store.plantFact({ key: 'k', target: 'stable', value: 'old', runId: 'r1', at: T0 });
      expect(c.store.getFact('k', 'stable')).toStrictEqual({ value: 'new', runId: 'r2', at: T0 + 10 });
      c.store.plantFact({ key: 'k', target: 'stable', value: 'same time', runId: 'r3', at: T0 + 10 });
      expect(c.store.getFact('k', 'stable')?.value).toBe('same time');
    });

    it('a fact planted by one process is read by the next run after a restart', () => {
      c.store.plantFact({ key: 'k', target: 'canary', value: 'v', runId: 'r1', at: T0 });
      expect(c.open().getFact('k', 'canary')?.value).toBe('v');
      expect(c.reopen().getFact('k', 'canary')).toStrictEqual({ value: 'v', runId: 'r1', at: T0 });
    });
  });
}

export function describeScenarioCacheContract(make: MakeStoreHarness): void {
  describe('scenario cache', () => {
    const c = contractContext(make);

    it('keeps one set: a new key replaces whatever was there', () => {
      expect(c.store.cachedScenarioSet('a')).toBeUndefined();
      c.store.saveScenarioSet('a', '[1]');
      c.store.saveScenarioSet('a', '[2]');
      expect(c.store.cachedScenarioSet('a')).toBe('[2]');
      c.store.saveScenarioSet('b', '[3]');
      expect(c.store.cachedScenarioSet('a')).toBeUndefined();
      expect(c.store.cachedScenarioSet('b')).toBe('[3]');
      expect(c.reopen().cachedScenarioSet('b')).toBe('[3]');
    });
  });
}
