/** Per-target outcome of a finished run, as the run history stores it (for `lastSuccessAt`). Pure. */
import type { RunResult, TargetName, Verdict } from './types.js';
import { TARGET_NAMES } from './types.js';

export interface TargetOutcome {
  target: TargetName;
  verdict: Verdict;
  score: number;
}

/** Per-target outcome of a run: from the verdict when it has one, else derived from the scenario statuses. */
export function targetOutcomes(result: RunResult): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  for (const target of TARGET_NAMES) {
    const summary = result.verdict.targets[target];
    if (summary) {
      out.push({ target, verdict: summary.verdict, score: summary.score });
      continue;
    }
    const mine = result.scenarios.filter((s) => s.target === target && s.status !== 'skipped');
    if (mine.length === 0) continue;
    const verdict: Verdict = mine.some((s) => s.status === 'fail') ? 'fail'
      : mine.some((s) => s.status === 'error') || result.aborted ? 'inconclusive' : 'pass';
    out.push({ target, verdict, score: mine.reduce((a, s) => a + s.score, 0) / mine.length });
  }
  return out;
}
