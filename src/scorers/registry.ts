/**
 * The scorer name map (vitest ReportersMap style): built-in names are the keys. Adding a scorer is one file and
 * one line here. An unknown name is a config error, never a silent fallback.
 */
import { GRADED_SCORERS } from './graded-scorers.js';
import { javascriptScorer } from './javascript-scorer.js';
import { languageScorer } from './language.js';
import { llmRubricScorer } from './llm-rubric.js';
import { HEALTH_SCORERS } from './health-scorers.js';
import { claimsScorer } from './claims.js';
import { likeStableScorer } from './like-stable.js';
import { STRING_SCORERS } from './string-scorers.js';
import { BOT_SURFACE_SCORERS } from './bot-surface.js';
import { MEDIA_SCORERS } from './media-scorers.js';
import type { Scorer } from './types.js';
import { UI_SCORERS } from './ui-scorers.js';

export const SCORERS = {
  ...STRING_SCORERS,
  ...GRADED_SCORERS,
  language: languageScorer,
  ...HEALTH_SCORERS,
  claims: claimsScorer,
  'like-stable': likeStableScorer,
  javascript: javascriptScorer,
  'llm-rubric': llmRubricScorer,
  ...BOT_SURFACE_SCORERS,
  ...UI_SCORERS,
  ...MEDIA_SCORERS,
} satisfies Record<string, Scorer>;

export type ScorerName = keyof typeof SCORERS;

/** Types that may take a `not-` prefix (pass flips, score becomes 1 − score). */
export const NEGATABLE_SCORERS: readonly ScorerName[] = [
  'equals', 'contains', 'icontains', 'contains-any', 'contains-all', 'icontains-any', 'icontains-all', 'regex',
  'starts-with', 'is-json', 'similar', 'language',
  'media-kind', 'mime-type', 'file-name', 'file-is-json', 'file-contains', 'file-icontains', 'file-regex',
];

export const SCORER_NAMES = Object.keys(SCORERS) as ScorerName[];

function isKey(s: string): s is ScorerName {
  return Object.prototype.hasOwnProperty.call(SCORERS, s);
}

/** Resolves an assertion type such as `not-icontains` to its scorer name and negation; undefined if unknown. */
export function resolveAssertionType(type: string): { name: ScorerName; negated: boolean } | undefined {
  if (isKey(type)) return { name: type, negated: false };
  if (type.startsWith('not-')) {
    const base = type.slice(4);
    if (isKey(base) && NEGATABLE_SCORERS.includes(base)) return { name: base, negated: true };
  }
  return undefined;
}

/**
 * True for every assertion type the map grades: the keys, and `not-<key>` for negatable ones. (The scenario
 * loader passes this as its `isScorer` check, so negated forms must be accepted here.)
 */
export function isScorerName(s: string): boolean {
  return resolveAssertionType(s) !== undefined;
}

/** Every accepted type, negated forms included, for error messages and docs. */
export function allAssertionTypes(): string[] {
  return [...SCORER_NAMES, ...NEGATABLE_SCORERS.map((n) => `not-${n}`)];
}

/** Types that need the LLM judge configured (LLM_JUDGE_URL). */
export function needsLlmJudge(type: string): boolean {
  return resolveAssertionType(type)?.name === 'llm-rubric';
}
