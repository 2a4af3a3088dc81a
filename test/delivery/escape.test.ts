import { describe, expect, it } from 'vitest';
import { escapeHtml, fitEscaped } from '../../src/delivery/escape.js';
import { isPermanentStatus } from '../../src/delivery/http.js';

describe('fitEscaped', () => {
  it('returns the escaped text when it fits', () => {
    expect(fitEscaped('a<b', 10, escapeHtml)).toBe('a&lt;b');
  });

  it('cuts the raw text, never an entity, and stays within the limit', () => {
    const raw = '<<<<<<<<<<';
    for (let max = 1; max <= 40; max += 1) {
      const out = fitEscaped(raw, max, escapeHtml);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/…$/, '')).toMatch(/^(&lt;)*$/);
    }
    expect(fitEscaped(raw, 13, escapeHtml)).toBe('&lt;&lt;&lt;…');
  });

  it('never ends on half of an emoji', () => {
    expect(fitEscaped('ab😀cd', 4, (s) => s)).toBe('ab…');
  });
});

describe('isPermanentStatus', () => {
  it('4xx is permanent except 408 and 429; 5xx and 2xx are not', () => {
    expect([400, 401, 403, 404, 410, 413].map(isPermanentStatus)).toEqual([true, true, true, true, true, true]);
    expect([408, 429, 500, 502, 503, 200].map(isPermanentStatus)).toEqual([false, false, false, false, false, false]);
  });
});
