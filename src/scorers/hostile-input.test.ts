import { describe, expect, it } from 'vitest';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';

/** Replies built to make backtracking patterns explode; every check must stay fast on each (~100 k characters). */
const N = 100_000;
const HOSTILE: Record<string, string> = {
  'one letter': 'a'.repeat(N),
  'spaces after an error word': `Error${' '.repeat(N)}`,
  'stack-trace-like line': `    at ${'a.'.repeat(N / 2)}`,
  'stack-trace-like with colons': `    at ${'x:1'.repeat(N / 3)}`,
  'open braces': '{'.repeat(N),
  'quotes and backslashes': `{"${'\\"'.repeat(N / 2)}`,
  'nested JSON': `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  digits: '1'.repeat(N),
  'digit groups': '1,2'.repeat(N / 3),
  'secret prefix': `sk-${'a'.repeat(N)}`,
  'bot token prefix': `12345678:AA${'-'.repeat(N)}`,
  emoji: '⚠️'.repeat(N / 2),
  'sentences without end': 'and the of '.repeat(N / 11),
  'commas and negations': 'not Z-Wave, '.repeat(N / 12),
  'except chains': 'except Z-Wave '.repeat(N / 14),
  'capitalised words': 'Zigbee '.repeat(N / 7),
  'newlines and dashes': '-\n'.repeat(N / 2),
  'HTTP codes': 'HTTP '.repeat(N / 5),
};

describe('default checks, claims and like-stable on hostile replies', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`stay fast: ${name}`, async () => {
      const ctx = scorerContext(textReply(text), { baseline: textReply(text.slice(0, 5000)) });
      const specs = [
        { type: 'not-error' }, { type: 'not-leak' }, { type: 'complete' }, { type: 'not-refusal' },
        { type: 'claims', value: [{ about: 'Z-Wave', says: 'no' }] }, { type: 'like-stable' },
      ];
      for (const s of specs) {
        const t0 = performance.now();
        const r = await scoreAssertion({ ...s, weight: 1, critical: true }, ctx);
        const ms = performance.now() - t0;
        expect(ms, `${s.type} took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
        expect(typeof r.pass).toBe('boolean');
      }
    });
  }
});
