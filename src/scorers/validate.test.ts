import { describe, expect, it } from 'vitest';
import { allAssertionTypes, isScorerName, needsLlmJudge, resolveAssertionType, SCORER_NAMES } from './registry.js';
import { validateAssertionValue as v } from './validate.js';

describe('registry', () => {
  it('derives names from the map and resolves not- forms only for negatable types', () => {
    expect(SCORER_NAMES).toContain('icontains-any');
    expect(SCORER_NAMES).toContain('llm-rubric');
    expect(resolveAssertionType('not-icontains')).toEqual({ name: 'icontains', negated: true });
    expect(resolveAssertionType('not-refusal')).toEqual({ name: 'not-refusal', negated: false });
    expect(resolveAssertionType('not-latency')).toBeUndefined();
    expect(resolveAssertionType('constains')).toBeUndefined();
    expect(isScorerName('not-regex')).toBe(true);
    expect(isScorerName('toString')).toBe(false);
    expect(isScorerName('__proto__')).toBe(false);
    expect(needsLlmJudge('llm-rubric')).toBe(true);
    expect(needsLlmJudge('contains')).toBe(false);
    expect(allAssertionTypes()).toContain('not-starts-with');
  });
});

describe('validateAssertionValue', () => {
  it('accepts good values', () => {
    const good: Array<[string, unknown]> = [
      ['equals', 'Booked!'], ['contains', 'km'], ['not-icontains', 'error'], ['contains-any', ['a', 'b']],
      ['regex', '\\d+ km'], ['regex', '/^hi/i'], ['regex', 'Your code is {{nonce}}'], ['starts-with', 'Why'],
      ['is-json', undefined], ['levenshtein', 'Booked!'], ['similar', 'text'], ['similar', ['a', 'b']],
      ['latency', 5000], ['latency', { first: 1000 }], ['latency', { first: 1000, final: 8000 }],
      ['length', { min: 1 }], ['length', { min: 1, max: 4096 }], ['language', 'fr'], ['language', 'EN'],
      ['not-refusal', undefined], ['not-error', 'kaputt'], ['not-error', ['a', 'b']], ['novel', undefined],
      ['novel', { last: 10, maxSimilarity: 0.9 }], ['javascript', './check.mjs'], ['javascript', { file: 'c.mjs', export: 'f' }],
      ['llm-rubric', 'Is polite'],
    ];
    for (const [type, value] of good) expect(v(type, value), `${type} ${JSON.stringify(value)}`).toBeUndefined();
  });

  it('rejects not- on every non-negatable type', () => {
    for (const t of ['levenshtein', 'latency', 'length', 'novel', 'javascript', 'llm-rubric']) {
      expect(v(`not-${t}`, 'x')).toBe(`${t} cannot be negated with not-`);
    }
  });

  it.each([
    ['nope', 'x', /unknown assertion type "nope"; known types: .*icontains/u],
    ['not-latency', 100, /latency cannot be negated/u],
    ['contains', '', /non-empty string/u],
    ['contains-any', [], /non-empty list of strings/u],
    ['icontains-all', ['a', 3, ''], /item 2/u],
    ['contains-any', 'a,b', /non-empty list/u],
    ['regex', '(unclosed', /not a valid regular expression/u],
    ['regex', 42, /regular expression as a string/u],
    ['is-json', { type: 'object' }, /takes no value/u],
    ['latency', -5, /number of ms/u],
    ['latency', { first: 'fast' }, /first must be a positive number/u],
    ['latency', { slow: 1 }, /unknown key slow/u],
    ['latency', {}, /first\?: ms/u],
    ['length', 10, /\{ min\?, max\? \}/u],
    ['length', { min: 5, max: 2 }, /min 5 is above max 2/u],
    ['length', { max: 1.5 }, /whole number/u],
    ['language', 'english', /not supported; use one of: .*fr/u],
    ['language', 3, /ISO 639-1/u],
    ['novel', { last: 0 }, /last must be/u],
    ['novel', { maxSimilarity: 2 }, /maxSimilarity/u],
    ['novel', 'x', /takes no value or/u],
    ['not-refusal', [1, ''], /extra phrasings/u],
    ['javascript', 'check.py', /\.mjs/u],
    ['javascript', { export: 'x' }, /path to an \.mjs/u],
    ['llm-rubric', '', /rubric/u],
    ['equals', { a: 1 }, /expected text/u],
  ])('%s %j → error', (type, value, re) => {
    const msg = v(type, value);
    expect(msg).toMatch(re);
  });
});
