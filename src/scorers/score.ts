/** Grading one assertion (negation, errors) and combining a scenario's assertions into a weighted score. */
import { isTgCanaryError } from '../core/errors.js';
import type { AssertionResult, AssertionSpec } from '../core/types.js';
import { SCORERS, resolveAssertionType } from './registry.js';
import type { AssertionOutcome, ScoreOutcome, ScorerContext } from './types.js';

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/**
 * Grades one assertion. `not-` types flip pass and score. A scorer that throws gives a fail with the reason,
 * except TgCanaryErrors of kind `infra` (e.g. LLM_JUDGE_UNAVAILABLE) and `config` (e.g. a missing javascript
 * file), which are rethrown so the runner marks the scenario `error` instead of blaming the bot.
 */
export async function scoreAssertion(spec: AssertionSpec, ctx: ScorerContext): Promise<AssertionOutcome> {
  const base = { type: spec.type, weight: spec.weight, critical: spec.critical };
  const resolved = resolveAssertionType(spec.type);
  if (!resolved) {
    return { ...base, pass: false, score: 0, reason: `unknown assertion type "${spec.type}"` };
  }
  let out: ScoreOutcome;
  try {
    out = await SCORERS[resolved.name](spec, ctx);
  } catch (e) {
    if (isTgCanaryError(e) && (e.kind === 'infra' || e.kind === 'config')) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    return { ...base, pass: false, score: 0, reason: `${spec.type} threw: ${msg}` };
  }
  const score = clamp01(out.score);
  if (resolved.negated) {
    return { ...base, pass: !out.pass, score: 1 - score, reason: `${spec.type}: ${out.reason}` };
  }
  return { ...base, pass: out.pass, score, reason: out.reason };
}

/**
 * Weighted mean of the scores (weights ≤ 0 are ignored; no weighted assertions = 1). Passes when the score
 * reaches `threshold` AND every critical assertion passed.
 */
export function scoreScenario(
  results: AssertionResult[],
  threshold: number,
): { score: number; pass: boolean; reasons: string[] } {
  let sum = 0;
  let weights = 0;
  for (const r of results) {
    if (!(r.weight > 0)) continue;
    sum += r.weight * clamp01(r.score);
    weights += r.weight;
  }
  const score = weights === 0 ? 1 : sum / weights;
  const reasons: string[] = [];
  const criticalFailed = results.filter((r) => r.critical && !r.pass);
  for (const r of criticalFailed) reasons.push(`critical ${r.type} (step ${r.step}) failed: ${r.reason}`);
  for (const r of results) if (!r.pass && !r.critical) reasons.push(`${r.type} (step ${r.step}) failed: ${r.reason}`);
  const reachesThreshold = score + 1e-9 >= threshold;
  if (!reachesThreshold) reasons.unshift(`score ${score.toFixed(2)} is below the threshold ${threshold}`);
  return { score, pass: reachesThreshold && criticalFailed.length === 0, reasons };
}
