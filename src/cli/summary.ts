import type { RunResult } from '../core/types.js';
import { safeText } from '../util/terminal-text.js';

/** The summary table printed after a run. */
export function renderSummary(run: RunResult, files: string[]): string {
  const v = run.verdict;
  const lines: string[] = [];
  const suites = new Set<string>();
  for (const t of Object.values(v.targets)) for (const s of Object.keys(t?.suites ?? {})) suites.add(s);
  const targets = Object.keys(v.targets);
  lines.push('');
  lines.push(['suite'.padEnd(10), ...targets.map((t) => t.padEnd(24))].join(''));
  for (const s of [...suites].sort()) {
    lines.push(
      [s.padEnd(10), ...targets.map((t) => {
        const x = v.targets[t as 'canary' | 'stable']?.suites[s];
        return (x ? `${x.status} ${x.score.toFixed(2)}${x.band ? ` rate:${x.band}` : ''}` : '-').padEnd(24);
      })].join(''),
    );
  }
  lines.push('');
  lines.push(`verdict: ${v.verdict.toUpperCase()}  decision: ${v.decision}  score: ${v.score.toFixed(2)}  run: ${run.runId}  (${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s)`);
  for (const r of v.reasons.slice(0, 8)) lines.push(`  - ${r}`);
  if (v.flaky.length) {
    const onRetry = new Set(v.scenarios.filter((s) => s.passedOnRetry).map((s) => s.name));
    lines.push(`flaky: ${v.flaky.map((f) => (onRetry.has(f) ? `${f} (failed, passed on retry)` : f)).join(', ')}`);
  }
  for (const r of (v.repeats ?? []).filter((x) => x.target === 'canary').slice(0, 8)) {
    const rate = r.passRate === null ? '-' : `${Math.round(r.passRate * 100)}%`;
    lines.push(`repeat: ${r.scenario} ${r.passes}/${r.graded} passed (${rate}), pass^${r.k} ${r.passK === null ? '-' : r.passK.toFixed(2)}`);
  }
  const html = files.find((f) => f.endsWith('.html'));
  if (html) lines.push(`report: ${html}`);
  // reasons quote bot replies: control characters escaped, one line each
  return `${lines.map((l) => safeText(l, { singleLine: true })).join('\n')}\n`;
}
