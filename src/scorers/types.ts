/** The scorer contract: pure graders of one reply against one assertion. */
import type { AssertionResult, AssertionSpec, Reply, TargetName } from '../core/types.js';

export interface LlmJudgeConfig {
  /** OpenAI-compatible base URL; the scorer POSTs to `${baseUrl}/chat/completions`. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

export interface ScorerContext {
  reply: Reply;
  /** Templating values (already substituted into spec.value by the runner). */
  vars: Readonly<Record<string, string>>;
  scenario: { name: string; suite: string; file: string };
  target: TargetName;
  /** Final texts of this scenario+target in previous runs (for `novel`). */
  recentReplies(limit: number): string[];
  /** llm-rubric config; absent = off. */
  llm?: LlmJudgeConfig;
  signal?: AbortSignal;
  /** Extra phrasings and patterns from the config (`checks:`), added to the built-in tables. */
  checks?: CheckExtras;
  /** like-stable: stable's reply to the same step in the same run (absent = no baseline). */
  baseline?: Reply;
  /** like-stable: the prompt this step answers (what both replies may echo; an answer need not repeat it). */
  prompt?: string;
  /** The bytes of a reply message's file (downloaded once, under the cap); absent = no downloads in this run. */
  download?(messageId: number): Promise<Buffer>;
  /** Randomness (the pairwise judge's answer order); default Math.random. */
  random?: () => number;
}

export interface CheckExtras {
  errorPhrases?: readonly string[];
  refusalPhrases?: readonly string[];
  /** Regular expressions (RE2 syntax, linear time). */
  leakPatterns?: readonly string[];
}

export interface ScoreOutcome {
  pass: boolean;
  /** 0..1 */
  score: number;
  reason: string;
}

export type Scorer = (spec: AssertionSpec, ctx: ScorerContext) => ScoreOutcome | Promise<ScoreOutcome>;

/** What `scoreAssertion` returns: an AssertionResult without the step index (the runner adds it). */
export type AssertionOutcome = Omit<AssertionResult, 'step'>;

export function outcome(pass: boolean, reason: string, score?: number): ScoreOutcome {
  return { pass, score: score ?? (pass ? 1 : 0), reason };
}
