import { describe, expect, it } from 'vitest';
import { BUILTIN_CHECKS_POLICY, mergeChecksPolicy, resolveChecks } from './default-checks.js';
import { validateAssertionValue } from './validate.js';

describe('default checks', () => {
  it('are on for every suite, with not-refusal for content suites and like-stable for rag and favor', () => {
    const p = BUILTIN_CHECKS_POLICY;
    expect(resolveChecks(p, 'memory')).toEqual(['not-error', 'not-leak', 'complete']);
    expect(resolveChecks(p, 'joke')).toEqual(['not-error', 'not-leak', 'complete', 'not-refusal']);
    expect(resolveChecks(p, 'rag')).toEqual(['not-error', 'not-leak', 'complete', 'like-stable']);
    expect(resolveChecks(p, 'favor')).toEqual(['not-error', 'not-leak', 'complete', 'not-refusal', 'like-stable']);
  });

  it('switch per config, per suite, per scenario, per expect — the most specific wins', () => {
    const p = mergeChecksPolicy({ defaults: { 'not-refusal': true }, suites: { rag: { 'like-stable': false }, smalltalk: { complete: false } } });
    expect(resolveChecks(p, 'memory')).toEqual(['not-error', 'not-leak', 'complete', 'not-refusal']);
    expect(resolveChecks(p, 'rag')).toEqual(['not-error', 'not-leak', 'complete', 'not-refusal']);
    expect(resolveChecks(p, 'smalltalk')).toEqual(['not-error', 'not-leak', 'not-refusal']);
    expect(resolveChecks(p, 'favor', { 'not-leak': false })).toEqual(['not-error', 'complete', 'not-refusal', 'like-stable']);
    expect(resolveChecks(p, 'favor', { 'not-leak': false }, { 'not-leak': true, 'like-stable': false })).toEqual(['not-error', 'not-leak', 'complete', 'not-refusal']);
    expect(p.suites.joke).toEqual({ 'not-refusal': true }); // built-in suite defaults survive a merge
  });
});

describe('validation of the new assertion types', () => {
  it('accepts good values and explains bad ones', () => {
    expect(validateAssertionValue('claims', [{ about: 'Z-Wave', says: 'no' }])).toBeUndefined();
    expect(validateAssertionValue('claims', [{ about: 'Z-Wave' }])).toMatch(/^claims claim 0 needs says: yes or says: no/u);
    expect(validateAssertionValue('like-stable', undefined)).toBeUndefined();
    expect(validateAssertionValue('like-stable', { maxLengthRatio: 3, judge: false })).toBeUndefined();
    expect(validateAssertionValue('like-stable', 'yes')).toMatch(/takes no value or/u);
    expect(validateAssertionValue('complete', 'x')).toMatch(/takes no value/u);
    expect(validateAssertionValue('not-leak', ['INT-\\d+'])).toBeUndefined();
    expect(validateAssertionValue('not-leak', ['(?=x)'])).toMatch(/lookahead/u);
    expect(validateAssertionValue('regex', '^(?!x)')).toMatch(/^regex uses a negative lookahead/u);
  });
});
