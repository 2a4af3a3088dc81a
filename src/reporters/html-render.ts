/** The self-contained HTML report: verdict banner, per-target summary, charts, scenarios side by side. */
import type { ReportContext } from '../core/ports.js';
import type { ScenarioResult, TargetName } from '../core/types.js';
import { escapeHtml as h, formatMs, formatTime, PAGE_CSP, truncate } from '../util/html.js';
import { barChart, sparkline, type BarGroup, type SparkPoint } from '../util/svg-chart.js';
import { badge, targetCard } from './html-parts.js';
import { BASE_CSS, REPORT_CSS } from './html-styles.js';
import { sortResults } from './transcript.js';

const TARGETS: TargetName[] = ['canary', 'stable'];
const BAR_COLORS: Record<TargetName, { first: string; final: string }> = {
  canary: { first: '#a5b4fc', final: '#4f46e5' },
  stable: { first: '#99f6e4', final: '#0d9488' },
};

/** One key per scenario and attempt (a repeated scenario shows each attempt, canary beside stable). */
function scenarioKeys(results: ScenarioResult[]): { suite: string; scenario: string; attempt?: number }[] {
  const seen = new Map<string, { suite: string; scenario: string; attempt?: number }>();
  for (const r of sortResults(results)) {
    seen.set(`${r.suite}\u0000${r.scenario}\u0000${r.attempt ?? ''}`, { suite: r.suite, scenario: r.scenario, ...(r.attempt !== undefined ? { attempt: r.attempt } : {}) });
  }
  return [...seen.values()];
}

function find(results: ScenarioResult[], key: { suite: string; scenario: string; attempt?: number }, t: TargetName): ScenarioResult | undefined {
  return results.find((r) => r.suite === key.suite && r.scenario === key.scenario && r.target === t && r.attempt === key.attempt);
}

const attemptLabel = (k: { attempt?: number }): string => (k.attempt !== undefined ? ` #${k.attempt}` : '');

function latencyChart(ctx: ReportContext): string {
  const groups: BarGroup[] = scenarioKeys(ctx.run.scenarios).map((k) => ({
    label: `${k.suite} / ${k.scenario}${attemptLabel(k)}`,
    bars: TARGETS.flatMap((t) => {
      const r = find(ctx.run.scenarios, k, t);
      if (!r) return [];
      return [
        { label: `${t} first`, value: r.latencyMs.first, color: BAR_COLORS[t].first },
        { label: `${t} final`, value: r.latencyMs.final, color: BAR_COLORS[t].final },
      ];
    }),
  }));
  return barChart(groups, { title: 'First and final reply latency per scenario and target' });
}

function trend(ctx: ReportContext): string {
  const rows = ctx.history.filter((r) => r.runId !== ctx.run.runId).slice(0, 49);
  const points: SparkPoint[] = [...rows]
    .reverse()
    .map((r) => ({ value: r.score, status: r.verdict, label: `${formatTime(r.startedAt)} · ${r.verdict} · ${r.score.toFixed(2)}` }));
  const v = ctx.run.verdict;
  points.push({ value: v.score, status: v.verdict, label: `this run · ${v.verdict} · ${v.score.toFixed(2)}` });
  const recent = [{ runId: ctx.run.runId, startedAt: ctx.run.startedAt, verdict: v.verdict, score: v.score }, ...rows]
    .slice(0, 8)
    .map(
      (r) =>
        `<tr><td class="mono">${h(truncate(r.runId, 40))}</td><td>${h(formatTime(r.startedAt))}</td><td>${badge(r.verdict)}</td><td class="num">${r.score.toFixed(2)}</td></tr>`,
    )
    .join('');
  return (
    `${sparkline(points, { title: `Score over the last ${points.length} runs` })}` +
    `<table><thead><tr><th>Run</th><th>Started</th><th>Verdict</th><th class="num">Score</th></tr></thead><tbody>${recent}</tbody></table>`
  );
}

function targetSummaries(ctx: ReportContext): string {
  const v = ctx.run.verdict;
  return TARGETS.filter((t) => v.targets[t] || ctx.run.scenarios.some((r) => r.target === t))
    .map((t) => {
      const s = v.targets[t];
      const suites = Object.entries(s?.suites ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, st]) => `<tr><td>${h(name)}</td><td>${badge(st.status)}</td><td class="num">${st.score.toFixed(2)}</td></tr>`)
        .join('');
      return (
        `<div class="card" data-target-summary="${t}"><div class="target-head"><span class="name">${t}</span>${badge(s?.verdict ?? 'unknown')}` +
        `<span class="muted small">score ${s ? s.score.toFixed(2) : '—'}</span></div>` +
        `<table><thead><tr><th>Suite</th><th>Status</th><th class="num">Score</th></tr></thead><tbody>${suites}</tbody></table></div>`
      );
    })
    .join('');
}

/** Canary vs stable failure rates (overall and per suite): the numbers behind the verdict. */
function failureRatesTable(ctx: ReportContext): string {
  const fr = ctx.run.verdict.failureRates;
  if (!fr) return '';
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const rows = [['overall', fr.overall] as const, ...Object.entries(fr.suites).filter(() => Object.keys(fr.suites).length > 1)]
    .map(([scope, c]) =>
      `<tr><td>${h(scope)}</td><td class="num">${pct(c.canaryRate)} (${c.canary.failures - c.canary.shared}/${c.canary.n - c.canary.shared})</td>` +
      `<td class="num">${pct(c.stableRate)} (${c.stable.failures - c.stable.shared}/${c.stable.n - c.stable.shared})</td>` +
      `<td class="num">${c.canary.shared}/${c.stable.shared}</td><td class="num">${c.p.toPrecision(2)}</td><td class="num">${c.level.toPrecision(2)}</td>` +
      `<td>${badge(c.band)}${c.insufficient ? ' <span class="muted small">insufficient evidence</span>' : ''}</td></tr>`)
    .join('');
  const shared = fr.sharedCauses.length
    ? `<div class="small">Shared causes: ${fr.sharedCauses.map((s) => `<span class="bot-text">${h(s.cause)}</span> (canary ${s.canary}, stable ${s.stable})`).join('; ')}</div>`
    : '';
  return `<h2>Failure rates</h2><div class="card" id="failure-rates"><div class="small muted">This run and ${fr.runs - 1} earlier run(s); one-sided Fisher exact test, Holm-corrected at ${fr.alpha}; a difference under ${pct(fr.tolerance)} never fails.</div>` +
    `<table><thead><tr><th>Scope</th><th class="num">Canary fails</th><th class="num">Stable fails</th><th class="num">Shared (c/s)</th><th class="num">p</th><th class="num">Level</th><th>Band</th></tr></thead><tbody>${rows}</tbody></table>${shared}</div>`;
}

/** Renders the whole report as one HTML string (no scripts, no external resources). */
export function renderReportHtml(ctx: ReportContext): string {
  const { run } = ctx;
  const v = run.verdict;
  const vclass = /^[a-z]+$/.test(v.verdict) ? v.verdict : 'unknown';
  const reasons = v.reasons.length ? `<ul>${v.reasons.map((r) => `<li class="bot-text">${h(r)}</li>`).join('')}</ul>` : '';
  const flaky = v.flaky.length ? `<div>Flaky: ${v.flaky.map((f) => h(f)).join(', ')}</div>` : '';
  const scenarios = scenarioKeys(run.scenarios)
    .map(
      (k) =>
        `<article class="scenario"><h3>${h(k.suite)} / ${h(k.scenario)}${attemptLabel(k)}</h3><div class="pair">` +
        `${TARGETS.map((t) => targetCard(t, find(run.scenarios, k, t))).join('')}</div></article>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tg-canary · ${h(v.verdict)} · ${h(truncate(run.runId, 60))}</title>
<style>${BASE_CSS}${REPORT_CSS}</style></head>
<body><main>
<header class="top"><div class="brand">tg<span>-</span>canary <span class="muted small">report</span></div>
<div class="meta">run <code>${h(run.runId)}</code> · ${h(formatTime(run.startedAt))} · took ${formatMs(run.finishedAt - run.startedAt)}${run.revision ? ` · revision <code>${h(run.revision)}</code>` : ''}${run.aborted ? ' · <b>aborted</b>' : ''}</div></header>
<section class="banner v-${vclass}" id="verdict"><div class="big">${h(v.verdict)}</div>
<div>Decision: <b>${h(v.decision)}</b> · score <b>${v.score.toFixed(2)}</b></div>
<div class="small">Consecutive failures ${v.consecutiveFailures} · consecutive inconclusive ${v.consecutiveInconclusive}</div>
<div>${reasons}${flaky}</div></section>
<h2>Targets</h2><div class="grid2">${targetSummaries(ctx)}</div>
${failureRatesTable(ctx)}
<div class="grid2"><section><h2>Latency</h2><div class="card">${latencyChart(ctx)}</div></section>
<section><h2>Trend</h2><div class="card">${trend(ctx)}</div></section></div>
<h2>Scenarios: canary and stable side by side</h2>
${scenarios || '<p class="missing">No scenarios ran.</p>'}
<footer>tg-canary · verdict schema ${v.schema} · generated ${h(formatTime(v.finishedAt ? Date.parse(v.finishedAt) : run.finishedAt))}</footer>
</main></body></html>
`;
}
