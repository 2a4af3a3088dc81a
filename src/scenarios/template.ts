/**
 * `{{variable}}` templates in scenario strings. Built-ins: nonce, run_id, date. Others come from `save` (name)
 * and `recall` (as) steps. Expanded fields: send, click text/regex, save regex, remember value (keys are literal),
 * web url/text/selector, and every string inside assertion values. Regex fields get their values escaped.
 */
import { TgCanaryError } from '../core/errors.js';
import type { AssertionSpec, ExpectSpec, Step } from '../core/types.js';

/** `bot`: the target bot's username (e.g. for `/command@{{bot}}` in a group). */
export const BUILTIN_VARS = ['nonce', 'run_id', 'date', 'bot'] as const;

const VAR_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Names used as `{{name}}` in `text`, in order of appearance (duplicates kept out). */
export function templateVars(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VAR_RE)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces `{{name}}` with `vars[name]`. An unknown name throws TgCanaryError SCENARIO_UNKNOWN_VARIABLE.
 * With `regex: true` the values are escaped for use inside a regular expression.
 */
export function applyTemplate(text: string, vars: Record<string, string>, opts: { regex?: boolean } = {}): string {
  return text.replace(VAR_RE, (_all, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(vars, name)) {
      throw new TgCanaryError('SCENARIO_UNKNOWN_VARIABLE', `unknown variable {{${name}}}`, {
        kind: 'config',
        hint: `define it with a save or recall step before it is used, or use a built-in: ${BUILTIN_VARS.join(', ')}`,
      });
    }
    const value = vars[name];
    return opts.regex ? escapeRegex(value) : value;
  });
}

function deep(value: unknown, vars: Record<string, string>, regex: boolean): unknown {
  if (typeof value === 'string') return applyTemplate(value, vars, { regex });
  if (Array.isArray(value)) return value.map((v) => deep(v, vars, regex));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, vars, regex)]));
  }
  return value;
}

/** Expands the string values of one assertion (escaped for `regex`-type assertions). */
export function applyTemplateToAssertion(a: AssertionSpec, vars: Record<string, string>): AssertionSpec {
  if (a.value === undefined) return a;
  return { ...a, value: deep(a.value, vars, /regex$/.test(a.type)) };
}

function expandExpect(e: ExpectSpec, vars: Record<string, string>): ExpectSpec {
  return { ...e, assert: e.assert.map((a) => applyTemplateToAssertion(a, vars)) };
}

/** A copy of `step` with every templated field expanded (see the module comment for the list). */
export function applyTemplateToStep(step: Step, vars: Record<string, string>): Step {
  const t = (s: string): string => applyTemplate(s, vars);
  switch (step.kind) {
    case 'send':
      return { ...step, text: t(step.text) };
    case 'expect':
      return { ...step, expect: expandExpect(step.expect, vars) };
    case 'click': {
      const button = 'text' in step.button ? { text: t(step.button.text) } : { regex: applyTemplate(step.button.regex, vars, { regex: true }) };
      return { ...step, button, ...(step.expect ? { expect: expandExpect(step.expect, vars) } : {}) };
    }
    case 'save':
      return { ...step, regex: applyTemplate(step.regex, vars, { regex: true }) };
    case 'remember':
      return { ...step, value: t(step.value) };
    case 'web':
      return {
        ...step,
        url: t(step.url),
        ...(step.text !== undefined ? { text: t(step.text) } : {}),
        ...(step.selector !== undefined ? { selector: t(step.selector) } : {}),
      };
    default:
      return step;
  }
}
