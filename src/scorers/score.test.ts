import { describe, expect, it } from 'vitest';
import type { AssertionResult } from '../core/types.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion, scoreScenario } from './score.js';

const res = (type: string, pass: boolean, score: number, weight = 1, critical = false, step = 0): AssertionResult => ({
  type, pass, score, weight, critical, reason: `${type} reason`, step,
});

describe('scoreAssertion', () => {
  it('copies weight, critical and type; unknown types fail instead of falling back', async () => {
    const ctx = scorerContext(textReply('hello'));
    const r = await scoreAssertion({ type: 'icontains', value: 'HELLO', weight: 3, critical: true }, ctx);
    expect(r).toEqual({ type: 'icontains', pass: true, score: 1, weight: 3, critical: true, reason: 'reply contains "HELLO"' });
    const u = await scoreAssertion({ type: 'contians', value: 'x', weight: 1, critical: false }, ctx);
    expect(u.pass).toBe(false);
    expect(u.reason).toContain('unknown assertion type');
  });
  it('negates graded scores as 1 − score', async () => {
    const ctx = scorerContext(textReply('Zigbee and Matter'));
    const r = await scoreAssertion({ type: 'not-contains-all', value: ['Zigbee', 'Matter', 'Thread', 'Wifi'], weight: 1, critical: false }, ctx);
    expect(r.pass).toBe(true);
    expect(r.score).toBeCloseTo(0.5);
  });
});

describe('scoreScenario', () => {
  it('computes a weighted score and passes at the threshold', () => {
    const out = scoreScenario([res('a', true, 1, 3), res('b', false, 0, 1)], 0.75);
    expect(out.score).toBeCloseTo(0.75);
    expect(out.pass).toBe(true);
    expect(out.reasons).toEqual(['b (step 0) failed: b reason']);
  });
  it('fails below the threshold with a reason first', () => {
    const out = scoreScenario([res('a', true, 1, 1), res('b', false, 0, 2)], 0.5);
    expect(out.pass).toBe(false);
    expect(out.reasons[0]).toMatch(/score 0\.33 is below the threshold 0\.5/u);
  });
  it('fails when a critical assertion fails even with a high score', () => {
    const out = scoreScenario([res('a', true, 1, 10), res('latency', false, 0, 0.1, true, 2)], 0.5);
    expect(out.score).toBeGreaterThan(0.9);
    expect(out.pass).toBe(false);
    expect(out.reasons[0]).toContain('critical latency (step 2) failed');
  });
  it('treats no (weighted) assertions as a pass and ignores zero weights', () => {
    expect(scoreScenario([], 1)).toEqual({ score: 1, pass: true, reasons: [] });
    const out = scoreScenario([res('a', false, 0, 0), res('b', true, 1, 1)], 1);
    expect(out.score).toBe(1);
    expect(out.pass).toBe(true);
  });
});
