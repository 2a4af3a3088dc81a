/**
 * Assertions a recorded reply suggests, each checked against that very reply (a suggestion that fails on the reply
 * it came from is never written): the language, the numbers it gave, the names it stated (as `claims`), and
 * `like-stable` when a stable bot is there to compare with. They are guesses from one answer; the writer marks
 * them so the user keeps, edits or drops each one.
 */
import { detectLanguage } from '../scorers/language.js';
import { judgeClaim } from '../scorers/claims.js';
import { incompleteReason } from '../scorers/completeness.js';
import { findError, findLeak } from '../scorers/health-scorers.js';

export type SuggestedAssertion =
  | { type: 'language'; value: string; why: string }
  | { type: 'regex'; value: string; why: string }
  | { type: 'claims'; value: { about: string; says: 'yes' }[]; why: string }
  | { type: 'like-stable'; why: string }
  | { type: 'not-error'; why: string };

export interface SuggestOptions {
  /** A stable bot is configured: canary's replies can be compared with its. */
  stable: boolean;
  /** The user's prompt (numbers echoed from it are the likeliest to hold on every run). */
  prompt?: string;
}

/** Default checks of an expect, and whether the recorded reply already passes each. */
export interface CheckFindings {
  'not-error': boolean;
  'not-leak': boolean;
  complete: boolean;
}

const MIN_LANGUAGE_LETTERS = 12;
const MIN_LANGUAGE_CONFIDENCE = 0.6;
const MAX_NUMBERS = 3;
const MAX_CLAIMS = 3;

/** A standalone number (not a digit inside a code such as X7K2QZ), with an optional decimal part. */
const NUMBER_RE = /(?<![\p{L}\p{N}_.,])[0-9]+(?:[.,][0-9]+)?(?![\p{L}\p{N}_]|[.,][0-9])/gu;
/** A capitalised word inside a sentence (a name: Zigbee, Paris, Orbit X1), not the sentence's first word. */
const NAME_RE = /(?<=[\p{Ll}\p{N},;:)]\s+)\p{Lu}\p{Ll}{2,}(?:\s+(?:\p{Lu}\p{Ll}{2,}|\p{Lu}+\p{N}+[\p{Lu}\p{N}]*)(?![\p{L}\p{N}]))*/gu;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * `/\b6[.,]21\b/` for 6.21: either decimal mark, as the bot may localise it. No lookarounds: scenario regexes run
 * on RE2.
 */
export function numberPattern(n: string): string {
  const body = n.split(/[.,]/u).map(escapeRegex).join('[.,]');
  return `/\\b${body}\\b/`;
}

export function numbersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NUMBER_RE)) if (!out.includes(m[0])) out.push(m[0]);
  return out;
}

export function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NAME_RE)) if (!out.includes(m[0])) out.push(m[0]);
  return out;
}

function testRegexLiteral(literal: string, text: string): boolean {
  const m = /^\/(.*)\/([a-z]*)$/su.exec(literal);
  if (!m) return false;
  return new RegExp(m[1] as string, `${m[2] ?? ''}u`).test(text);
}

export function suggestAssertions(replyText: string, opts: SuggestOptions): SuggestedAssertion[] {
  const out: SuggestedAssertion[] = [];
  const text = replyText.trim();
  if (text === '') return out;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  const lang = detectLanguage(text);
  if (letters >= MIN_LANGUAGE_LETTERS && lang.language !== 'und' && lang.confidence >= MIN_LANGUAGE_CONFIDENCE) {
    out.push({ type: 'language', value: lang.language, why: `the reply was in ${lang.language}` });
  }
  const prompt = opts.prompt ?? '';
  const echoed = new Set(numbersIn(prompt));
  // numbers echoed from the prompt first: they hold on every run; others may be computed (or random: check them)
  const numbers = numbersIn(text).sort((a, b) => Number(echoed.has(b)) - Number(echoed.has(a))).slice(0, MAX_NUMBERS);
  for (const n of numbers) {
    const value = numberPattern(n);
    if (!testRegexLiteral(value, text)) continue;
    out.push({ type: 'regex', value, why: echoed.has(n) ? `the reply repeated ${n} from the message` : `the reply said ${n}` });
  }
  const claims = namesIn(text)
    .filter((name) => judgeClaim(text, { about: [name], says: true, required: true }).pass)
    .slice(0, MAX_CLAIMS)
    .map((about) => ({ about, says: 'yes' as const }));
  if (claims.length > 0) out.push({ type: 'claims', value: claims, why: `the reply stated ${claims.map((c) => c.about).join(', ')}` });
  if (opts.stable) out.push({ type: 'like-stable', why: 'a stable bot is configured: canary should answer like it' });
  return out;
}

/** Whether the recorded reply passes the default checks (a check it already fails is written switched off). */
export function checkFindings(replyText: string): CheckFindings {
  return {
    'not-error': findError(replyText) === undefined,
    'not-leak': findLeak(replyText) === undefined,
    complete: incompleteReason(replyText) === undefined,
  };
}
