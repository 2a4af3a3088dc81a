import { describe, expect, it } from 'vitest';
import type { AssertionSpec } from '../core/types.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';
import type { AssertionOutcome } from './types.js';

const EMPTY: string[] = [];
const UNICODE = 'Привет 👋🏽 мир! שלום עולם مرحبا بالعالم — naïve café 🇫🇷';
const LONG = `${'a'.repeat(2000)}NEEDLE${'б'.repeat(2000)}${'z'.repeat(90)}`; // 4,096 code points

function grade(type: string, value: unknown, texts: string | string[]): Promise<AssertionOutcome> {
  const spec: AssertionSpec = { type, value, weight: 1, critical: false };
  return scoreAssertion(spec, scorerContext(textReply(texts)));
}

describe('fixtures', () => {
  it('LONG has 4,096 code points', () => {
    expect(Array.from(LONG)).toHaveLength(4096);
  });
});

describe('equals', () => {
  it('matches exact text (trimmed)', async () => {
    expect((await grade('equals', 'Booked!', '  Booked!\n')).pass).toBe(true);
    expect((await grade('equals', 'Booked!', 'booked!')).pass).toBe(false);
  });
  it('handles empty, unicode, long and negation', async () => {
    expect((await grade('equals', 'x', EMPTY)).pass).toBe(false);
    expect((await grade('equals', UNICODE, UNICODE)).pass).toBe(true);
    expect((await grade('equals', LONG, LONG)).pass).toBe(true);
    const neg = await grade('not-equals', 'x', 'x');
    expect(neg).toMatchObject({ pass: false, score: 0, type: 'not-equals' });
    expect((await grade('not-equals', 'x', EMPTY)).pass).toBe(true);
  });
});

describe('contains / icontains', () => {
  it('is case-sensitive vs insensitive', async () => {
    expect((await grade('contains', 'Orbit', 'the orbit x1')).pass).toBe(false);
    expect((await grade('icontains', 'Orbit', 'the orbit x1')).pass).toBe(true);
  });
  it('handles empty, unicode, long and negation', async () => {
    expect((await grade('contains', 'a', EMPTY)).pass).toBe(false);
    expect((await grade('icontains', 'a', EMPTY)).pass).toBe(false);
    expect((await grade('contains', '👋🏽', UNICODE)).pass).toBe(true);
    expect((await grade('icontains', 'ПРИВЕТ', UNICODE)).pass).toBe(true);
    expect((await grade('icontains', 'שלום', UNICODE)).pass).toBe(true);
    expect((await grade('contains', 'NEEDLE', LONG)).pass).toBe(true);
    expect((await grade('icontains', 'needle', LONG)).pass).toBe(true);
    expect((await grade('not-contains', 'error', 'all good')).pass).toBe(true);
    const neg = await grade('not-icontains', 'ERROR', 'an error');
    expect(neg.pass).toBe(false);
    expect(neg.reason).toContain('not-icontains');
  });
});

describe('contains-any / contains-all / icontains-any / icontains-all', () => {
  it('grades lists', async () => {
    expect((await grade('contains-any', ['Zigbee', 'Matter'], 'supports Matter')).pass).toBe(true);
    expect((await grade('contains-any', ['zigbee'], 'supports Zigbee')).pass).toBe(false);
    expect((await grade('icontains-any', ['zigbee'], 'supports Zigbee')).pass).toBe(true);
    const all = await grade('contains-all', ['Zigbee', 'Matter', 'Thread'], 'Zigbee and Matter');
    expect(all.pass).toBe(false);
    expect(all.score).toBeCloseTo(2 / 3);
    expect(all.reason).toContain('Thread');
    expect((await grade('icontains-all', ['ZIGBEE', 'matter'], 'Zigbee and Matter')).pass).toBe(true);
  });
  it('handles empty, unicode, long and negation', async () => {
    for (const t of ['contains-any', 'contains-all', 'icontains-any', 'icontains-all']) {
      expect((await grade(t, ['x'], EMPTY)).pass).toBe(false);
      expect((await grade(t, ['мир', '🇫🇷'], UNICODE)).pass).toBe(true);
      expect((await grade(t, ['NEEDLE', 'zzz'], LONG)).pass).toBe(true);
      expect((await grade(`not-${t}`, ['NEEDLE', 'zzz'], LONG)).pass).toBe(false);
      expect((await grade(`not-${t}`, ['nope'], LONG)).pass).toBe(true);
    }
    expect((await grade('icontains-all', ['МИР', 'CAFÉ'], UNICODE)).pass).toBe(true);
  });
});

describe('regex', () => {
  it('supports bare and /…/flags forms', async () => {
    expect((await grade('regex', '\\d+ km = [\\d.]+ miles', '10 km = 6.21 miles')).pass).toBe(true);
    expect((await grade('regex', '/^booked/i', 'Booked!')).pass).toBe(true);
    expect((await grade('regex', '^booked', 'Booked!')).pass).toBe(false);
  });
  it('handles empty, unicode, long and negation', async () => {
    expect((await grade('regex', '.+', EMPTY)).pass).toBe(false);
    expect((await grade('regex', '^$', EMPTY)).pass).toBe(true);
    expect((await grade('regex', '/\\p{Script=Hebrew}+/u', UNICODE)).pass).toBe(true);
    expect((await grade('regex', '/\\p{Extended_Pictographic}/u', UNICODE)).pass).toBe(true);
    expect((await grade('regex', 'a{1000}NEEDLE', LONG)).pass).toBe(true); // RE2 caps repeat counts at 1000
    expect((await grade('not-regex', 'error|fail', 'all fine')).pass).toBe(true);
    expect((await grade('not-regex', 'a{1000}', LONG)).pass).toBe(false);
  });
  it('fails (does not throw) on an invalid pattern substituted at run time', async () => {
    const r = await grade('regex', '(', 'x');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/threw/u);
  });
});

describe('starts-with', () => {
  it('checks the start, ignoring leading whitespace', async () => {
    expect((await grade('starts-with', 'Pourquoi', '  Pourquoi les…')).pass).toBe(true);
    expect((await grade('starts-with', 'Why', 'So why')).pass).toBe(false);
  });
  it('handles empty, unicode, long and negation', async () => {
    expect((await grade('starts-with', 'a', EMPTY)).pass).toBe(false);
    expect((await grade('starts-with', 'Привет 👋🏽', UNICODE)).pass).toBe(true);
    expect((await grade('starts-with', 'aaaa', LONG)).pass).toBe(true);
    expect((await grade('not-starts-with', 'Sorry', 'Sorry, no')).pass).toBe(false);
    expect((await grade('not-starts-with', 'Sorry', EMPTY)).pass).toBe(true);
  });
});

describe('is-json', () => {
  it('accepts JSON, fenced JSON, and rejects prose', async () => {
    expect((await grade('is-json', undefined, '{"a": [1, 2]}')).pass).toBe(true);
    expect((await grade('is-json', undefined, '```json\n{"a": 1}\n```')).pass).toBe(true);
    expect((await grade('is-json', undefined, 'Here: {"a": 1}')).pass).toBe(false);
  });
  it('handles empty, unicode, long and negation', async () => {
    expect((await grade('is-json', undefined, EMPTY)).pass).toBe(false);
    expect((await grade('is-json', undefined, JSON.stringify({ t: UNICODE }))).pass).toBe(true);
    expect((await grade('is-json', undefined, UNICODE)).pass).toBe(false);
    const longJson = JSON.stringify({ t: 'x'.repeat(4088) });
    expect(Array.from(longJson)).toHaveLength(4096);
    expect((await grade('is-json', undefined, longJson)).pass).toBe(true);
    expect((await grade('is-json', undefined, LONG)).pass).toBe(false);
    expect((await grade('not-is-json', undefined, 'plain text')).pass).toBe(true);
  });
});
