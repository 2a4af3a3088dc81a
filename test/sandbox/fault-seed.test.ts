/** A fault's own `seed` replays the same hits whatever other faults draw in between. */
import { describe, expect, it } from 'vitest';
import { FaultEngine } from '@tg-canary/sandbox/internal/faults';

function hits(engine: FaultEngine, bot: string, n: number): boolean[] {
  return Array.from({ length: n }, () => engine.takeBot(bot).length > 0);
}

describe('fault seed', () => {
  it('the same seed hits the same calls; another seed other calls; other faults do not shift the draws', () => {
    const a = new FaultEngine();
    a.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error', probability: 0.3, seed: 1 });
    const first = hits(a, 'canary_bot', 40);

    const b = new FaultEngine();
    b.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error', probability: 0.3, seed: 1 });
    b.add({ kind: 'error_text', bot: 'stable_bot', text: 'Error', probability: 0.3, seed: 2 });
    const again: boolean[] = [];
    const stable: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      stable.push(b.takeBot('stable_bot').length > 0); // interleaved draws of another fault
      again.push(b.takeBot('canary_bot').length > 0);
    }
    expect(again).toEqual(first);
    expect(stable).not.toEqual(first);
    const rate = first.filter(Boolean).length / first.length;
    expect(rate).toBeGreaterThan(0.1);
    expect(rate).toBeLessThan(0.6);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => new FaultEngine().add({ kind: 'silence', bot: 'x', seed: 1.5 })).toThrow(/seed/);
  });
});
