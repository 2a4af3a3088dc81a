/** Load-time checks of the keyboard and button assertions' values (ui-scorers.ts): a message with the fix. */
import { safeRegexProblem } from '../util/safe-regex.js';
import { isRecord } from './values.js';

type Check = (value: unknown) => string | undefined;

const keyboardCheck: Check = (v) => {
  const fix = 'needs the rows of button texts, e.g. value: [["🍕 Order", "📦 Status"], ["❓ Help"]]';
  if (!Array.isArray(v) || v.length === 0) return fix;
  for (const [i, row] of v.entries()) {
    if (!Array.isArray(row) || row.length === 0) return `row ${i} must be a non-empty list of button texts; ${fix}`;
    if (row.some((t) => typeof t !== 'string' || t === '')) return `row ${i} has a button text that is not a non-empty string; ${fix}`;
  }
  return undefined;
};

const buttonMatch = (field: string): Check => (v) => {
  const fix = `needs { button: "<button text>", and one of equals, prefix or regex } for the ${field}, e.g. value: { button: "📖 Docs", prefix: "https://" }`;
  if (!isRecord(v)) return fix;
  const extra = Object.keys(v).filter((k) => !['button', 'equals', 'prefix', 'regex'].includes(k));
  if (extra.length) return `has unknown key ${extra[0]}; ${fix}`;
  if (typeof v.button !== 'string' || v.button === '') return `button must be the button's text; ${fix}`;
  const how = ['equals', 'prefix', 'regex'].filter((k) => v[k] !== undefined);
  if (how.length !== 1) return `needs exactly one of equals, prefix or regex; ${fix}`;
  const key = how[0] as string;
  if (typeof v[key] !== 'string') return `${key} must be a string; ${fix}`;
  if (key === 'regex') return safeRegexProblem((v.regex as string).replace(/\{\{\s*[\w.-]+\s*\}\}/gu, 'x'));
  return undefined;
};

export const UI_CHECKS = {
  keyboard: keyboardCheck,
  'has-button': (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? undefined : 'needs the button text, e.g. value: "❓ Help"'),
  'keyboard-removed': (v: unknown): string | undefined => (v === undefined || v === null ? undefined : 'takes no value'),
  'force-reply': (v: unknown): string | undefined => (v === undefined || v === null ? undefined : 'takes no value'),
  'button-url': buttonMatch('URL'),
  'button-query': buttonMatch('switch-inline query'),
} satisfies Record<string, Check>;
