/** Load-time checks of media assertion values (see validate.ts): a message with the fix, or undefined. */
import { MEDIA_KINDS } from '../core/media-types.js';
import { safeRegexProblem } from '../util/safe-regex.js';
import type { MEDIA_SCORERS } from './media-scorers.js';
import { isRecord } from './values.js';

type Check = (value: unknown) => string | undefined;

const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/u;

const text = (what: string): Check => (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : `needs ${what} as a non-empty string`);

const texts = (what: string, example: string): Check => (v) => {
  const list = Array.isArray(v) ? v : [v];
  return list.length > 0 && list.every((x) => typeof x === 'string' && x.trim() !== '') ? undefined : `needs ${what} as a string or a list of strings, e.g. value: ${example}`;
};

const kinds: Check = (v) => {
  const list = Array.isArray(v) ? v : [v];
  const fix = `one of ${MEDIA_KINDS.join(', ')}`;
  if (list.length === 0 || !list.every((x) => typeof x === 'string')) return `needs a media kind or a list of them: ${fix}`;
  const bad = (list as string[]).find((k) => !PLACEHOLDER.test(k) && !(MEDIA_KINDS as readonly string[]).includes(k.trim().toLowerCase()));
  return bad === undefined ? undefined : `"${bad}" is not a media kind; use ${fix}`;
};

const range = (unit: string, example: string): Check => (v) => {
  const fix = `needs { min?, max? } in ${unit} (or a number = min), e.g. value: ${example}`;
  const ok = (x: unknown): boolean => x === undefined || (typeof x === 'number' && Number.isFinite(x) && x >= 0);
  if (typeof v === 'number') return ok(v) ? undefined : fix;
  if (!isRecord(v)) return fix;
  const extra = Object.keys(v).find((k) => k !== 'min' && k !== 'max');
  if (extra !== undefined) return `has unknown key ${extra}; ${fix}`;
  if ((v.min === undefined && v.max === undefined) || !ok(v.min) || !ok(v.max)) return fix;
  if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) return `min ${v.min} is above max ${v.max}`;
  return undefined;
};

const sha256: Check = (v) =>
  typeof v === 'string' && (/^[0-9a-fA-F]{64}$/u.test(v.trim()) || PLACEHOLDER.test(v)) ? undefined : 'needs the SHA-256 of the file as 64 hex digits (`sha256sum file`)';

const regex: Check = (v) => {
  if (typeof v !== 'string' || v === '') return 'needs a regular expression as a string';
  return safeRegexProblem(v.replace(new RegExp(PLACEHOLDER.source, 'gu'), 'x'));
};

export const MEDIA_CHECKS: Readonly<Record<keyof typeof MEDIA_SCORERS, Check>> = {
  'media-kind': kinds,
  'mime-type': texts('a mime type (or a family such as image/*)', '"image/png"'),
  'file-size': range('bytes', '{ min: 1, max: 5000000 }'),
  duration: range('seconds', '{ min: 1, max: 60 }'),
  'file-name': text('the file name'),
  sha256,
  'file-is-json': (v) => (v === undefined || v === null ? undefined : 'takes no value'),
  'file-contains': text('the text to find in the file'),
  'file-icontains': text('the text to find in the file'),
  'file-regex': regex,
  'file-equals': (v) => (typeof v === 'string' ? undefined : 'needs the expected file content as a string'),
};
