/**
 * Public API of the scorers: pure graders of a bot reply, by assertion type (promptfoo vocabulary).
 *
 * | type | value | notes |
 * |---|---|---|
 * | equals, contains, icontains, starts-with | string | `not-` prefix allowed |
 * | contains-any/-all, icontains-any/-all | list of strings | `not-` allowed; -all scores the share found |
 * | regex | `"src"` or `"/src/flags"` | `not-` allowed |
 * | is-json | none | accepts one ```json fence; `not-` allowed |
 * | levenshtein | expected string | threshold = max distance (default 5) |
 * | similar | expected string or list | threshold default 0.6; mean of token F1 and bigram Dice |
 * | latency | ms (final) or `{ first?, final? }` | a missing reply fails |
 * | length | `{ min?, max? }` | code points |
 * | language | ISO 639-1 code (SUPPORTED_LANGUAGES) | script + stop words; `not-` allowed |
 * | not-refusal, not-error | none, or extra phrasings | built-in lists REFUSAL_PHRASES / ERROR_PHRASES + ERROR_PATTERNS |
 * | not-leak | none, or extra RE2 patterns | markers, stack traces, JSON dumps, key-like secrets (error-patterns.ts) |
 * | complete | none | cursor, mid-sentence cut, unclosed fence, trailing error line |
 * | claims | `[{ about, says: yes\|no, required? }]` | polarity of the sentences mentioning `about` |
 * | like-stable | none or `{ maxLengthRatio?, judge? }` | vs ctx.baseline (stable's reply); pairwise LLM judge when configured |
 * | novel | `{ last? = 20, maxSimilarity? = 0.8 }` | vs ctx.recentReplies(last) |
 * | javascript | `"file.mjs"` or `{ file, export? }` | relative to the scenario file; number ≥ threshold (0.5) |
 * | llm-rubric | rubric text | needs LLM_JUDGE_URL; without it the assertion fails (loaders should reject it) |
 */
export type { AssertionOutcome, LlmJudgeConfig, ScoreOutcome, Scorer, ScorerContext } from './types.js';
export {
  SCORERS,
  SCORER_NAMES,
  NEGATABLE_SCORERS,
  allAssertionTypes,
  isScorerName,
  needsLlmJudge,
  resolveAssertionType,
  type ScorerName,
} from './registry.js';
export { scoreAssertion, scoreScenario } from './score.js';
export { ASSERTION_DOCS, renderAssertionReference } from './assertion-docs.js';
export {
  BUILTIN_CHECKS_POLICY,
  DEFAULT_CHECK_NAMES,
  mergeChecksPolicy,
  resolveChecks,
  type CheckSwitches,
  type ChecksPolicy,
  type DefaultCheckName,
} from './default-checks.js';
export { compareWithBaseline, type BaselineComparison } from './like-stable.js';
export { judgeClaim, parseClaims, type Claim } from './claims.js';
export { mentionsOf, type Mention, type Polarity } from './polarity.js';
export { findError, findLeak } from './health-scorers.js';
export { incompleteReason } from './completeness.js';
export { validateAssertionValue } from './validate.js';
export { ERROR_PHRASES, REFUSAL_PHRASES, findPhrase, type PhraseLanguage } from './phrases.js';
export { SUPPORTED_LANGUAGES, detectLanguage, type Detection } from './language.js';
export { LLM_NOT_CONFIGURED, JUDGE_SYSTEM_PROMPT } from './llm-rubric.js';
export { DEFAULT_LEVENSHTEIN_MAX, DEFAULT_NOVEL, DEFAULT_SIMILAR_THRESHOLD } from './graded-scorers.js';
export { DEFAULT_JS_THRESHOLD } from './javascript-scorer.js';
export { levenshtein, similarity, tokenF1, diceBigrams, normalizeText, codePointLength } from './text.js';
export { scorerContext, textReply, type TextReplyOptions } from './reply.js';
