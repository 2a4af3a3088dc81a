/** Plain-text views of a scenario result, shared by the JUnit and Markdown reporters (callers escape). */
import type { ScenarioResult, StepTranscript, TargetName } from '../core/types.js';
import { mediaSummary } from '../core/media-types.js';

function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : `${Math.round(v)} ms`;
}

function stepLines(s: StepTranscript): string[] {
  const out: string[] = [`[step ${s.index}] ${s.kind} (${Math.max(0, s.finishedAt - s.startedAt)} ms)`];
  if (s.sent) out.push(`  > sent: ${s.sent.text}`);
  if (s.reply) {
    const r = s.reply;
    out.push(
      `  < reply: ${r.messageCount} message(s), ${r.editCount} edit(s)${r.draftCount ? `, ${r.draftCount} draft(s)` : ''}, ${r.latencyFirstTokenMs !== undefined && r.latencyFirstTokenMs !== r.latencyFirstMs ? `first token ${ms(r.latencyFirstTokenMs)}, ` : ''}first ${ms(r.latencyFirstMs)}, final ${ms(r.latencyFinalMs)}${r.latencyApprox ? ' (approx.: a lost push, dated by Telegram)' : ''}${r.floodWaitMs ? `, flood wait ${ms(r.floodWaitMs)} before the prompt` : ''}${r.settled ? '' : ', not settled'}${r.finality ? ` — ${r.finality}` : ''}`,
    );
    for (const m of r.messages) {
      const flags = [m.edits > 0 ? `${m.edits} edit(s)` : '', m.deleted ? 'deleted' : ''].filter(Boolean).join(', ');
      out.push(`  < #${m.id}${flags ? ` (${flags})` : ''}: ${m.media ? `[${mediaSummary(m.media)}] ` : ''}${m.text}`);
    }
    if (r.callbackAnswer !== undefined) out.push(`  < callback answer: ${r.callbackAnswer}`);
  }
  if (s.detail) out.push(`  · ${s.detail}`);
  if (s.error) out.push(`  ! ${s.error.code}: ${s.error.message}`);
  return out;
}

/** The whole transcript of one scenario on one target, then its assertions. */
export function transcriptText(r: ScenarioResult): string {
  const lines: string[] = [
    `${r.suite}/${r.scenario} on ${r.target} (@${r.bot}): ${r.status}, score ${r.score.toFixed(2)}`,
    ...r.steps.flatMap(stepLines),
  ];
  if (r.assertions.length > 0) lines.push('assertions:');
  for (const a of r.assertions) {
    lines.push(
      `  ${a.pass ? 'PASS' : 'FAIL'} ${a.type}${a.critical ? ' (critical)' : ''} step ${a.step} score ${a.score.toFixed(2)} x${a.weight}: ${a.reason}`,
    );
  }
  return lines.join('\n');
}

/** Results grouped by target in a stable order (canary first), each sorted by suite then scenario. */
export function byTarget(results: ScenarioResult[]): Map<TargetName, ScenarioResult[]> {
  const map = new Map<TargetName, ScenarioResult[]>();
  for (const t of ['canary', 'stable'] as const) {
    const rs = results.filter((r) => r.target === t);
    if (rs.length > 0) map.set(t, sortResults(rs));
  }
  return map;
}

export function sortResults(rs: ScenarioResult[]): ScenarioResult[] {
  return [...rs].sort((a, b) => a.suite.localeCompare(b.suite) || a.scenario.localeCompare(b.scenario) || (a.attempt ?? 0) - (b.attempt ?? 0));
}
