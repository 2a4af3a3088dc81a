import { describe, expect, it } from 'vitest';
import { compileSafeRegex, safeRegexProblem } from './safe-regex.js';

describe('safe regex (re2js)', () => {
  it('runs the patterns scenarios use, with groups, flags and Unicode', () => {
    const text = 'x Reference: ABC123 · 10 km = 6.21 miles · Привет · ✅ HELLO · é';
    expect(compileSafeRegex('Reference: ([A-Z0-9]{6})\\b').exec(text)?.groups[1]).toBe('ABC123');
    expect(compileSafeRegex('\\b10 km = 6\\.21 miles\\b').test(text)).toBe(true);
    expect(compileSafeRegex('[А-Яа-яЁё]{3,}').exec(text)?.match).toBe('Привет');
    expect(compileSafeRegex('/hello/i').test(text)).toBe(true);
    expect(compileSafeRegex('hello').test(text)).toBe(false);
    expect(compileSafeRegex('(?<ref>[A-Z]{3})\\d').exec(text)?.groups[1]).toBe('ABC');
    expect(compileSafeRegex('\\u00e9$').test(text)).toBe(true);
    expect(compileSafeRegex('(a)|(b)').exec('b')?.groups).toEqual(['b', undefined, 'b']);
    expect(compileSafeRegex('a(b)?(c)').groupCount).toBe(2);
    expect(compileSafeRegex('[(?=]x').test('(x')).toBe(true); // inside a class, (?= is literal
  });

  it('returns at once on catastrophic-backtracking patterns against hostile input', () => {
    const re = compileSafeRegex('^(a+)+$');
    const hostile = `${'a'.repeat(50_000)}!`;
    const t0 = performance.now();
    expect(re.test(hostile)).toBe(false);
    expect(re.exec(hostile)).toBeNull();
    expect(compileSafeRegex('(x+x+)+y').test('x'.repeat(10_000))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects lookaround and backreferences with a message naming the construct', () => {
    expect(safeRegexProblem('6\\.(?!21)\\d+')).toMatch(/negative lookahead \(\?!…\).*RE2/u);
    expect(safeRegexProblem('(?=a)b')).toMatch(/lookahead \(\?=…\)/u);
    expect(safeRegexProblem('(?<=a)b')).toMatch(/lookbehind/u);
    expect(safeRegexProblem('(?<!a)b')).toMatch(/negative lookbehind/u);
    expect(safeRegexProblem('(a)\\1')).toMatch(/backreference \\1/u);
    expect(safeRegexProblem('(?<n>a)\\k<n>')).toMatch(/named backreference/u);
    expect(safeRegexProblem('a[')).toMatch(/not a valid regular expression/u);
    expect(safeRegexProblem('\\(?=x')).toBeUndefined(); // escaped paren: a literal "(" then an optional "="... valid
  });
});
