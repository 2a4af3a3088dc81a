/**
 * Load-time checks of assertion values: returns a message that says what to write instead, or undefined when
 * the value is fine. `{{var}}` placeholders are allowed anywhere a string is (they are filled in at run time).
 */
import { SUPPORTED_LANGUAGES } from './language.js';
import { allAssertionTypes, resolveAssertionType, type ScorerName } from './registry.js';
import { isRecord } from './values.js';
import { safeRegexProblem } from '../util/safe-regex.js';
import { parseClaims } from './claims.js';
import { parseLikeStableOptions } from './like-stable.js';
import { BOT_SURFACE_CHECKS } from './bot-surface.js';
import { UI_CHECKS } from './ui-validate.js';
import { MEDIA_CHECKS } from './media-validate.js';

type Check = (value: unknown) => string | undefined;

const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/gu;

const nonEmptyString = (what: string): Check => (v) =>
  (typeof v === 'string' && v.trim() !== '') || typeof v === 'number'
    ? undefined
    : `needs ${what} as a non-empty string, e.g. value: "hello"`;

const stringList: Check = (v) => {
  if (!Array.isArray(v) || v.length === 0) return 'needs a non-empty list of strings, e.g. value: ["yes", "sure"]';
  const bad = v.findIndex((x) => !((typeof x === 'string' && x !== '') || typeof x === 'number'));
  return bad < 0 ? undefined : `item ${bad} must be a non-empty string`;
};

const regexCheck: Check = (v) => {
  if (typeof v !== 'string' || v === '') return 'needs a regular expression as a string, e.g. value: "\\\\d+ km"';
  const problem = safeRegexProblem(v.replace(PLACEHOLDER, 'x'));
  return problem === undefined ? undefined : problem;
};

const noValue = (why: string): Check => (v) => (v === undefined || v === null ? undefined : why);

const positive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;
const nonNegInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;

const latencyCheck: Check = (v) => {
  const fix = 'needs a number of ms (final) or { first?: ms, final?: ms }, e.g. value: { first: 2000, final: 8000 }';
  if (typeof v === 'number') return positive(v) ? undefined : fix;
  if (!isRecord(v)) return fix;
  const extra = Object.keys(v).filter((k) => k !== 'first' && k !== 'final');
  if (extra.length > 0) return `has unknown key ${extra[0]}; ${fix}`;
  if (v.first === undefined && v.final === undefined) return fix;
  if (v.first !== undefined && !positive(v.first)) return `first must be a positive number of ms; ${fix}`;
  if (v.final !== undefined && !positive(v.final)) return `final must be a positive number of ms; ${fix}`;
  return undefined;
};

const lengthCheck: Check = (v) => {
  const fix = 'needs { min?, max? } in characters, e.g. value: { min: 10, max: 4096 }';
  if (!isRecord(v)) return fix;
  const extra = Object.keys(v).filter((k) => k !== 'min' && k !== 'max');
  if (extra.length > 0) return `has unknown key ${extra[0]}; ${fix}`;
  if (v.min === undefined && v.max === undefined) return fix;
  if (v.min !== undefined && !nonNegInt(v.min)) return `min must be a whole number ≥ 0; ${fix}`;
  if (v.max !== undefined && !nonNegInt(v.max)) return `max must be a whole number ≥ 0; ${fix}`;
  if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) return `min ${v.min} is above max ${v.max}`;
  return undefined;
};

const languageCheck: Check = (v) => {
  const list = SUPPORTED_LANGUAGES.join(', ');
  if (typeof v !== 'string') return `needs an ISO 639-1 code, one of: ${list}`;
  return SUPPORTED_LANGUAGES.includes(v.trim().toLowerCase()) ? undefined : `"${v}" is not supported; use one of: ${list}`;
};

const phrasesCheck: Check = (v) => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? 'extra phrase must not be empty' : undefined;
  return stringList(v) === undefined ? undefined : 'takes no value, or extra phrasings as a string or a list of strings';
};

const novelCheck: Check = (v) => {
  const fix = 'takes no value or { last?: number (default 20), maxSimilarity?: 0..1 (default 0.8) }';
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) return fix;
  const extra = Object.keys(v).filter((k) => k !== 'last' && k !== 'maxSimilarity');
  if (extra.length > 0) return `has unknown key ${extra[0]}; ${fix}`;
  if (v.last !== undefined && !(nonNegInt(v.last) && (v.last as number) > 0)) return `last must be a whole number ≥ 1; ${fix}`;
  const m = v.maxSimilarity;
  if (m !== undefined && !(typeof m === 'number' && m > 0 && m <= 1)) return `maxSimilarity must be in (0, 1]; ${fix}`;
  return undefined;
};

const leakCheck: Check = (v) => {
  if (v === undefined || v === null) return undefined;
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
  if (!list || list.some((x) => typeof x !== 'string' || x === '')) return 'takes no value, or extra leak patterns (regular expressions) as a string or a list';
  for (const p of list as string[]) {
    const problem = safeRegexProblem(p.replace(PLACEHOLDER, 'x'));
    if (problem) return `pattern ${JSON.stringify(p)} ${problem}`;
  }
  return undefined;
};

const claimsCheck: Check = (v) => {
  try {
    parseClaims(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

const likeStableCheck: Check = (v) => {
  try {
    parseLikeStableOptions(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

const jsCheck: Check = (v) => {
  const fix = 'needs a path to an .mjs file relative to the scenario, or { file, export? }';
  const file = typeof v === 'string' ? v : isRecord(v) ? v.file : undefined;
  if (typeof file !== 'string' || file.trim() === '') return fix;
  if (!/\.(mjs|js)$/u.test(file)) return `"${file}" should be an .mjs file; ${fix}`;
  if (isRecord(v) && v.export !== undefined && (typeof v.export !== 'string' || v.export === '')) return `export must be a name; ${fix}`;
  return undefined;
};

const similarCheck: Check = (v) => (typeof v === 'string' ? nonEmptyString('the expected text')(v) : stringList(v));

const CHECKS: Readonly<Record<ScorerName, Check>> = {
  equals: (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? undefined
    : 'needs the expected text as a string, e.g. value: "Booked!"'),
  contains: nonEmptyString('the text to find'),
  icontains: nonEmptyString('the text to find'),
  'contains-any': stringList,
  'contains-all': stringList,
  'icontains-any': stringList,
  'icontains-all': stringList,
  regex: regexCheck,
  'starts-with': nonEmptyString('the expected start'),
  'is-json': noValue('takes no value (JSON schema checks are not supported; use javascript)'),
  levenshtein: nonEmptyString('the expected text'),
  similar: similarCheck,
  latency: latencyCheck,
  length: lengthCheck,
  novel: novelCheck,
  language: languageCheck,
  'not-refusal': phrasesCheck,
  'not-error': phrasesCheck,
  'not-leak': leakCheck,
  complete: noValue('takes no value'),
  claims: claimsCheck,
  'like-stable': likeStableCheck,
  javascript: jsCheck,
  'llm-rubric': nonEmptyString('the rubric'),
  ...BOT_SURFACE_CHECKS,
  ...UI_CHECKS,
  ...MEDIA_CHECKS,
};

/** An error message with the fix, or undefined when `value` suits assertion `type`. */
export function validateAssertionValue(type: string, value: unknown): string | undefined {
  const resolved = resolveAssertionType(type);
  if (!resolved) {
    if (type.startsWith('not-') && resolveAssertionType(type.slice(4))) {
      return `${type.slice(4)} cannot be negated with not-`;
    }
    return `unknown assertion type "${type}"; known types: ${allAssertionTypes().join(', ')}`;
  }
  const problem = CHECKS[resolved.name](value);
  return problem === undefined ? undefined : `${type} ${problem}`;
}
