import { describe, expect, it } from 'vitest';
import { TgCanaryError } from '../../src/core/errors.js';
import { applyTemplate, applyTemplateToStep, templateVars } from '../../src/scenarios/index.js';

describe('applyTemplate', () => {
  const vars = { nonce: 'ab12', run_id: 'r-1', date: '2025-01-02', ref: 'X(1)' };

  it('replaces built-ins and captured values, with or without inner spaces', () => {
    expect(applyTemplate('joke {{nonce}} {{ run_id }} {{date}} {{ref}}', vars)).toBe('joke ab12 r-1 2025-01-02 X(1)');
    expect(applyTemplate('no vars { {x}} {{1x}}', vars)).toBe('no vars { {x}} {{1x}}');
  });

  it('throws SCENARIO_UNKNOWN_VARIABLE for an unknown name', () => {
    expect(() => applyTemplate('{{city}}', vars)).toThrow(TgCanaryError);
    expect(() => applyTemplate('{{city}}', vars)).toThrow('unknown variable {{city}}');
  });

  it('escapes values in regex fields', () => {
    expect(applyTemplate('^{{ref}}$', vars, { regex: true })).toBe('^X\\(1\\)$');
    const step = applyTemplateToStep({ kind: 'click', button: { regex: '^{{ref}}' } }, vars);
    expect(step).toEqual({ kind: 'click', button: { regex: '^X\\(1\\)' } });
    const exp = applyTemplateToStep({ kind: 'expect', expect: { timeoutMs: 1, settleMs: 1, minMessages: 1, assert: [
      { type: 'regex', value: '{{ref}}', weight: 1, critical: false },
      { type: 'icontains-all', value: ['{{ref}}', '{{nonce}}'], weight: 1, critical: false },
    ] } }, vars);
    expect(exp.kind === 'expect' && exp.expect.assert.map((a) => a.value)).toEqual(['X\\(1\\)', ['X(1)', 'ab12']]);
  });

  it('lists variables once, in order', () => {
    expect(templateVars('{{a}} {{b}} {{ a }}')).toEqual(['a', 'b']);
  });
});
