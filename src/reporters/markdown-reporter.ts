import path from 'node:path';
import type { ReportContext, Reporter } from '../core/ports.js';
import type { ScenarioStatus, VerdictReport } from '../core/types.js';
import { escapeMarkdown, truncate } from '../util/html.js';
import { ensurePrivateDir, writePrivateFile } from './fs-write.js';
import { byTarget } from './transcript.js';

export const MARKDOWN_FILE = 'summary.md';

const VERDICT_ICON: Record<VerdictReport['verdict'], string> = {
  pass: '✅',
  fail: '❌',
  inconclusive: '⚠️',
  pending: '⏳',
};

const STATUS_ICON: Record<ScenarioStatus, string> = { pass: '✅', fail: '❌', error: '⚠️', skipped: '⏭️' };

function ms(v: number | null): string {
  return v === null ? '—' : `${Math.round(v)} ms`;
}

/** A Markdown summary for chat and pull requests; every bot-derived string escaped. */
export function renderMarkdown(ctx: ReportContext): string {
  const { run } = ctx;
  const v = run.verdict;
  const md = (s: string, max = 200): string => escapeMarkdown(truncate(s, max), { inline: true });
  const lines: string[] = [
    `## ${VERDICT_ICON[v.verdict]} tg-canary: **${v.verdict}** → decision **${v.decision}**`,
    '',
    `Run \`${run.runId.replace(/`/g, '')}\` · score ${v.score.toFixed(2)} · ${v.startedAt}${run.revision ? ` · revision ${md(run.revision, 80)}` : ''}${run.aborted ? ' · **aborted**' : ''}`,
    `Consecutive failures: ${v.consecutiveFailures} · consecutive inconclusive: ${v.consecutiveInconclusive}`,
  ];
  if (v.reasons.length > 0) {
    lines.push('', '**Reasons**', '', ...v.reasons.map((r) => `- ${md(r, 300)}`));
  }
  for (const [target, rs] of byTarget(run.scenarios)) {
    const t = v.targets[target];
    lines.push(
      '',
      `### ${target}${t ? `: ${VERDICT_ICON[t.verdict]} ${t.verdict} (score ${t.score.toFixed(2)})` : ''}`,
      '',
      '| Suite | Scenario | Status | Score | First reply | Final reply | Reasons |',
      '| --- | --- | --- | ---: | ---: | ---: | --- |',
    );
    for (const r of rs) {
      const reasons = r.reasons.length ? r.reasons.map((x) => md(x, 300)).join('<br>') : '';
      lines.push(
        `| ${md(r.suite, 40)} | ${md(r.attempt !== undefined ? `${r.scenario} (attempt ${r.attempt})` : r.scenario, 60)} | ${STATUS_ICON[r.status]} ${r.status} | ${r.score.toFixed(2)} | ${ms(r.latencyMs.first)} | ${ms(r.latencyMs.final)} | ${reasons} |`,
      );
    }
  }
  if (v.flaky.length > 0) {
    lines.push('', `**Flaky:** ${v.flaky.map((f) => md(f, 80)).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function createMarkdownReporter(): Reporter {
  return {
    name: 'markdown',
    async write(ctx: ReportContext): Promise<string[]> {
      await ensurePrivateDir(ctx.dir);
      const file = path.join(ctx.dir, MARKDOWN_FILE);
      await writePrivateFile(file, renderMarkdown(ctx));
      return [file];
    },
  };
}
