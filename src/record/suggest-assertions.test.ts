import { describe, expect, it } from 'vitest';
import { checkFindings, namesIn, numberPattern, numbersIn, suggestAssertions } from './suggest-assertions.js';

const asRegExp = (literal: string): RegExp => {
  const m = /^\/(.*)\/([a-z]*)$/su.exec(literal);
  if (!m) throw new Error(`not a regex literal: ${literal}`);
  return new RegExp(m[1] as string, m[2]);
};

describe('suggested assertions', () => {
  it('take standalone numbers, never the digits inside a code', () => {
    expect(numbersIn('✅ Booked a table for 4. Reference: X7K2QZ')).toEqual(['4']);
    expect(numbersIn('10 km = 6.21 miles, or 6,21; v2 and 3rd are not numbers')).toEqual(['10', '6.21', '6,21']);
  });

  it('match a number whichever decimal mark the bot uses, and not inside a longer one', () => {
    const re = asRegExp(numberPattern('6.21'));
    expect(re.test('about 6,21 mi')).toBe(true);
    expect(re.test('6.21 miles')).toBe(true);
    expect(re.test('16.21 miles')).toBe(false);
    expect(re.test('6.215 miles')).toBe(false);
    // RE2 runs scenario regexes: no lookarounds
    expect(numberPattern('4')).not.toMatch(/\(\?[<=!]/u);
  });

  it('find names inside sentences, not the first word of one', () => {
    expect(namesIn('The hub supports Zigbee and Matter. It is made by Orbit X1 Labs.')).toEqual(['Zigbee', 'Matter', 'Orbit X1 Labs']);
    expect(namesIn('Booked a table. Reference: P84W6T')).toEqual([]);
  });

  it('suggest the language, numbers (echoed ones first), stated names and like-stable, each passing on the reply', () => {
    const s = suggestAssertions('The Orbit X1 weighs 1.2 kg and supports Zigbee; it costs 99 dollars, model 3.', { stable: true, prompt: 'Is 3 the model?' });
    expect(s.map((a) => a.type)).toEqual(['language', 'regex', 'regex', 'regex', 'claims', 'like-stable']);
    expect(s[0]).toMatchObject({ type: 'language', value: 'en' });
    expect(s[1]).toMatchObject({ type: 'regex', value: '/\\b3\\b/', why: 'the reply repeated 3 from the message' });
    expect(s.find((a) => a.type === 'claims')).toMatchObject({ value: [{ about: 'Orbit X1', says: 'yes' }, { about: 'Zigbee', says: 'yes' }] });
  });

  it('suggest no language for a few letters, no like-stable without a stable bot, nothing for silence', () => {
    expect(suggestAssertions('OK 42', { stable: false })).toEqual([{ type: 'regex', value: '/\\b42\\b/', why: 'the reply said 42' }]);
    expect(suggestAssertions('   ', { stable: true })).toEqual([]);
  });

  it('leave out a name the reply denies', () => {
    const s = suggestAssertions('Sorry, the hub does not support Zigbee at all, and never will.', { stable: false });
    expect(s.some((a) => a.type === 'claims')).toBe(false);
  });

  it('tell which default checks the recorded reply already fails', () => {
    expect(checkFindings('All good.')).toEqual({ 'not-error': true, 'not-leak': true, complete: true });
    expect(checkFindings('The answer is that the').complete).toBe(false);
  });
});
