import { describe, expect, it } from 'vitest';
import type { AssertionSpec, Reply } from '../core/types.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';
import { levenshtein, similarity } from './text.js';
import type { AssertionOutcome, ScorerContext } from './types.js';

const UNICODE = 'Привет 👋🏽 мир! שלום עולם مرحبا — café';
const LONG = 'The Orbit X1 comes with a 2-year warranty. '.repeat(100).slice(0, 4096);

function grade(
  type: string,
  value: unknown,
  reply: Reply,
  extra: Partial<AssertionSpec> = {},
  ctx: Partial<ScorerContext> = {},
): Promise<AssertionOutcome> {
  return scoreAssertion({ type, value, weight: 1, critical: false, ...extra }, scorerContext(reply, ctx));
}
const r = (t: string | string[]): Reply => textReply(t);

describe('text helpers', () => {
  it('computes levenshtein by code points', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('👋🏽', '👋')).toBe(1);
    expect(levenshtein('мир', 'мор')).toBe(1);
  });
  it('scores similarity 1 for same words, 0 for disjoint, in between for paraphrases', () => {
    expect(similarity('Hello, World!', 'hello world')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
    const s = similarity('The Orbit X1 has a two year warranty', 'The Orbit X1 comes with a 2-year warranty.');
    expect(s).toBeGreaterThan(0.4);
    expect(s).toBeLessThan(1);
    expect(similarity('', '')).toBe(1);
    expect(similarity('', 'x')).toBe(0);
  });
});

describe('levenshtein', () => {
  it('passes within the max distance (default 5, threshold overrides)', async () => {
    expect((await grade('levenshtein', 'Booked!', r('Booked.'))).pass).toBe(true);
    expect((await grade('levenshtein', 'Booked!', r('Reservation made'))).pass).toBe(false);
    expect((await grade('levenshtein', 'Booked!', r('Booked.'), { threshold: 0 })).pass).toBe(false);
  });
  it('handles empty, unicode and long replies', async () => {
    expect((await grade('levenshtein', 'abc', r([]))).pass).toBe(true); // distance 3 ≤ 5
    expect((await grade('levenshtein', 'abcdefg', r([]))).pass).toBe(false);
    expect((await grade('levenshtein', UNICODE, r(UNICODE.replace('мир', 'мор')))).pass).toBe(true);
    const long = await grade('levenshtein', LONG, r(LONG.slice(0, 4090)));
    expect(long.pass).toBe(false);
    expect(long.score).toBeGreaterThan(0.99);
  });
});

describe('similar', () => {
  it('passes paraphrases and fails unrelated answers', async () => {
    const ok = await grade('similar', 'The Orbit X1 comes with a 2-year warranty.', r('Orbit X1: it comes with a 2 year warranty'));
    expect(ok.pass).toBe(true);
    const bad = await grade('similar', 'The Orbit X1 comes with a 2-year warranty.', r("I couldn't find that."));
    expect(bad.pass).toBe(false);
    expect(bad.score).toBeLessThan(0.6);
  });
  it('takes the best of a list of expected texts and respects threshold', async () => {
    expect((await grade('similar', ['nothing here', 'hello there friend'], r('Hello there, friend!'))).pass).toBe(true);
    expect((await grade('similar', 'hello there friend', r('hello there'), { threshold: 0.95 })).pass).toBe(false);
  });
  it('handles empty, unicode, long and negation', async () => {
    expect((await grade('similar', 'x', r([]))).pass).toBe(false);
    expect((await grade('similar', 'Привет мир, шалом', r('привет, мир! шалом 👋'))).pass).toBe(true);
    expect((await grade('similar', 'שלום עולם', r('שלום עולם!'))).pass).toBe(true);
    expect((await grade('similar', LONG, r(LONG))).score).toBe(1);
    expect((await grade('not-similar', 'cats are great', r('The stock market fell'))).pass).toBe(true);
    expect((await grade('not-similar', LONG, r(LONG))).pass).toBe(false);
  });
});

describe('latency', () => {
  const timed = (first: number, final: number): Reply => textReply('hi', { latencyFirstMs: first, latencyFinalMs: final });
  it('checks final (number) and first/final (object)', async () => {
    expect((await grade('latency', 1000, timed(100, 900))).pass).toBe(true);
    expect((await grade('latency', 800, timed(100, 900))).pass).toBe(false);
    expect((await grade('latency', { first: 50 }, timed(100, 900))).reason).toContain('first latency 100 ms > 50 ms');
    expect((await grade('latency', { first: 200, final: 1000 }, timed(100, 900))).pass).toBe(true);
  });
  it('fails a missing reply, and is indifferent to unicode or length', async () => {
    const missing = await grade('latency', 1000, r([]));
    expect(missing.pass).toBe(false);
    expect(missing.reason).toContain('no reply');
    expect((await grade('latency', 100, textReply(UNICODE, { latencyFinalMs: 10 }))).pass).toBe(true);
    expect((await grade('latency', 100, textReply(LONG, { latencyFinalMs: 101 }))).pass).toBe(false);
  });
});

describe('length', () => {
  it('counts code points against min/max', async () => {
    expect((await grade('length', { min: 1 }, r([]))).pass).toBe(false);
    expect((await grade('length', { max: 0 }, r([]))).pass).toBe(true);
    expect((await grade('length', { min: 3, max: 3 }, r('👋🏽x'))).pass).toBe(true); // 👋 + skin tone + x
    expect((await grade('length', { max: 10 }, r('שלום עולם'))).pass).toBe(true);
    expect((await grade('length', { min: 6, max: 6 }, r('Привет'))).pass).toBe(true);
    expect((await grade('length', { max: 4096 }, r(LONG))).pass).toBe(true);
    const over = await grade('length', { max: 4095 }, r(LONG));
    expect(over.pass).toBe(false);
    expect(over.reason).toContain('4096');
  });
});

describe('novel', () => {
  const history = ['Why did the bicycle fall over? Because it was two-tired. My cat laughed.', 'Another, different reply'];
  const ctx = (h: string[]): Partial<ScorerContext> => ({ recentReplies: (n: number) => h.slice(0, n) });
  it('fails on a repeat or near-repeat and passes something new', async () => {
    const same = await grade('novel', undefined, r('why did the bicycle fall over?  because it was two-tired.  my cat laughed'), {}, ctx(history));
    expect(same.pass).toBe(false);
    expect(same.reason).toContain('the same as');
    const near = await grade('novel', undefined, r('Why did the bicycle fall over? Because it was two-tired. My dog laughed.'), {}, ctx(history));
    expect(near.pass).toBe(false);
    const fresh = await grade('novel', undefined, r("Why don't eggs tell jokes? They'd crack each other up."), {}, ctx(history));
    expect(fresh.pass).toBe(true);
  });
  it('honours last and maxSimilarity', async () => {
    const asked: number[] = [];
    const c: Partial<ScorerContext> = { recentReplies: (n: number) => { asked.push(n); return history.slice(1, 1 + n); } };
    expect((await grade('novel', { last: 1 }, r(history[0]), {}, c)).pass).toBe(true);
    expect(asked).toEqual([1]);
    expect((await grade('novel', undefined, r('Another different reply here'), {}, ctx(history))).pass).toBe(false);
    expect((await grade('novel', { maxSimilarity: 0.99 }, r('Another different reply here'), {}, ctx(history))).pass).toBe(true);
  });
  it('handles empty, unicode and long replies', async () => {
    expect((await grade('novel', undefined, r([]), {}, ctx([]))).pass).toBe(false);
    expect((await grade('novel', undefined, r(UNICODE), {}, ctx([UNICODE]))).pass).toBe(false);
    expect((await grade('novel', undefined, r(UNICODE), {}, ctx(['Совсем другой ответ']))).pass).toBe(true);
    expect((await grade('novel', undefined, r(LONG), {}, ctx([LONG.toUpperCase()]))).pass).toBe(false);
    expect((await grade('novel', undefined, r(LONG), {}, ctx([]))).pass).toBe(true);
  });
});
