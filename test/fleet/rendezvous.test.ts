import { describe, expect, it } from 'vitest';
import { rendezvousAssign, rendezvousOwner } from '../../src/fleet/rendezvous.js';

const PAIRS = Array.from({ length: 200 }, (_, i) => `pair-${i}`);

describe('rendezvous assignment of bot pairs to test accounts', () => {
  it('is stable: the same names give the same owner whatever the order of the accounts', () => {
    const a = rendezvousAssign(PAIRS, ['a1', 'a2', 'a3']);
    const b = rendezvousAssign(PAIRS, ['a3', 'a1', 'a2']);
    expect([...a]).toStrictEqual([...b]);
    // every account gets a share (not all on one)
    const counts = new Map<string, number>();
    for (const acc of a.values()) counts.set(acc, (counts.get(acc) ?? 0) + 1);
    for (const acc of ['a1', 'a2', 'a3']) expect(counts.get(acc) ?? 0).toBeGreaterThan(40);
  });

  it('adding an account moves only the pairs the new account wins (about 1/n), all of them to it', () => {
    const before = rendezvousAssign(PAIRS, ['a1', 'a2', 'a3']);
    const after = rendezvousAssign(PAIRS, ['a1', 'a2', 'a3', 'a4']);
    const moved = PAIRS.filter((p) => before.get(p) !== after.get(p));
    expect(moved.every((p) => after.get(p) === 'a4')).toBe(true);
    expect(moved.length).toBeGreaterThan(20);
    expect(moved.length).toBeLessThan(90);
  });

  it('removing (draining) an account moves only its pairs, spread over the others', () => {
    const all = rendezvousAssign(PAIRS, ['a1', 'a2', 'a3']);
    const without = rendezvousAssign(PAIRS, ['a1', 'a3']);
    for (const p of PAIRS) {
      if (all.get(p) !== 'a2') expect(without.get(p)).toBe(all.get(p));
      else expect(['a1', 'a3']).toContain(without.get(p));
    }
    const movedTo = new Set(PAIRS.filter((p) => all.get(p) === 'a2').map((p) => without.get(p)));
    expect(movedTo).toStrictEqual(new Set(['a1', 'a3']));
  });

  it('gives no owner when no account is left', () => {
    expect(rendezvousOwner('pair-1', [])).toBeUndefined();
    expect(rendezvousAssign(['pair-1'], []).size).toBe(0);
  });
});
