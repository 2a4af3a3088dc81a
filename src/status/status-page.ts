/**
 * The HTML status page served at `/`: overall status, uptime, last result per suite and target, trend,
 * active alerts, notifier health. Plain data in (the lead maps the store to StatusPageData), HTML out.
 * No scripts; it refreshes itself with a meta refresh. Everything that may come from a bot is escaped.
 */
import type { Decision, TargetName } from '../core/types.js';
import { BASE_CSS } from '../reporters/html-styles.js';
import { escapeHtml as h, formatMs, formatTime, PAGE_CSP, safeHref, truncate } from '../util/html.js';
import { sparkline, statusColor } from '../util/svg-chart.js';
import { STATUS_CSS } from './page-styles.js';
import { HISTORY_CSS, renderHistorySections, type HistoryView } from './page-history.js';
import { renderAccountsSection } from './page-accounts.js';
import type { AccountHealth } from '../fleet/account-pool-port.js';

export type StatusLevel = 'pass' | 'fail' | 'inconclusive' | 'pending' | 'unknown' | 'maintenance';

export interface StatusCell {
  status: string;
  score: number | null;
}

export interface StatusScenario {
  suite: string;
  name: string;
  target: TargetName;
  status: string;
  score: number;
  latencyFirstMs: number | null;
  latencyFinalMs: number | null;
  reasons: string[];
  /** The last reply's text (bot-provided, escaped on render). */
  lastReply?: string;
}

export interface StatusTarget {
  target: TargetName;
  verdict: string;
  score: number | null;
  lastSuccessAt: number | null;
  /** Share of passing runs over the recent window, 0..1 (inconclusive runs excluded), if known. */
  passRate?: number | null;
}

export interface StatusAlert {
  key: string;
  target: string;
  kind: string;
  since: number;
  message: string;
}

export interface ChannelHealth {
  name: string;
  kind: 'notifier' | 'pusher';
  lastSuccessAt: number | null;
  lastError?: string | null;
  lastErrorAt?: number | null;
  /** Deliveries waiting in the outbox. */
  pending: number;
}

export interface StatusPageData {
  title?: string;
  version: string;
  now: number;
  /** When this process started (uptime). */
  startedAt: number;
  overall: StatusLevel;
  decision?: Decision;
  reasons: string[];
  running: boolean;
  schedule?: string;
  nextRunAt?: number | null;
  lastRun?: { runId: string; startedAt: number; finishedAt: number | null; verdict: string; score: number; revision?: string; aborted?: boolean };
  targets: StatusTarget[];
  /** Last result per suite and target. */
  suites: { suite: string; cells: Partial<Record<TargetName, StatusCell>> }[];
  scenarios: StatusScenario[];
  /** Recent runs, newest first. */
  history: { runId: string; startedAt: number; verdict: string; score: number }[];
  alerts: StatusAlert[];
  channels: ChannelHealth[];
  /** Test accounts of the account pool (fleet mode); none: the section is left out. */
  accounts?: AccountHealth[];
  links?: { report?: string; verdict?: string; metrics?: string; status?: string; junit?: string; markdown?: string };
  /** Seconds between self-refreshes (default 30). */
  refreshSeconds?: number;
  /** Daily history, incidents, maintenance windows and silences (issue 17). */
  historyView?: HistoryView;
}

export const DEFAULT_LINKS: Required<NonNullable<StatusPageData['links']>> = {
  report: '/reports/latest.html',
  verdict: '/v1/verdict?target=canary',
  metrics: '/metrics',
  status: '/status',
  junit: '/reports/latest.xml',
  markdown: '/reports/latest.md',
};

const TARGETS: TargetName[] = ['canary', 'stable'];

function level(s: string): string {
  return /^[a-z]+$/.test(s) ? s : 'unknown';
}

function badge(s: string): string {
  return `<span class="badge b-${level(s)}">${h(s)}</span>`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const hh = Math.floor((s % 86_400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${hh}h ${mm}m`;
  if (hh > 0) return `${hh}h ${mm}m`;
  return `${mm}m ${s % 60}s`;
}

function ago(now: number, t: number | null | undefined): string {
  if (t === null || t === undefined) return 'never';
  return `${formatDuration(now - t)} ago`;
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

function stats(d: StatusPageData): string {
  const judged = d.history.filter((r) => r.verdict === 'pass' || r.verdict === 'fail');
  const passRate = judged.length ? judged.filter((r) => r.verdict === 'pass').length / judged.length : null;
  const items: [string, string][] = [
    ['Uptime', formatDuration(d.now - d.startedAt)],
    ['Last run', d.lastRun ? ago(d.now, d.lastRun.finishedAt ?? d.lastRun.startedAt) : 'never'],
    ['Next run', d.running ? 'running now' : d.nextRunAt ? `in ${formatDuration(d.nextRunAt - d.now)}` : '—'],
    [`Pass rate (${d.history.length} run${d.history.length === 1 ? '' : 's'})`, pct(passRate)],
    ['Decision', d.decision ?? '—'],
  ];
  return `<div class="stats">${items.map(([k, v]) => `<div class="stat"><div class="k">${h(k)}</div><div class="v">${h(v)}</div></div>`).join('')}</div>`;
}

function suitesTable(d: StatusPageData): string {
  const rows = d.suites
    .map(
      (s) =>
        `<tr data-suite="${h(s.suite)}"><td>${h(s.suite)}</td>${TARGETS.map((t) => {
          const c = s.cells[t];
          return c ? `<td data-target="${t}">${badge(c.status)} <span class="muted small">${c.score === null ? '' : c.score.toFixed(2)}</span></td>` : '<td class="muted">—</td>';
        }).join('')}</tr>`,
    )
    .join('');
  return `<table class="suites"><thead><tr><th>Suite</th><th>Canary</th><th>Stable</th></tr></thead><tbody>${rows || '<tr><td colspan="3" class="muted">No results yet.</td></tr>'}</tbody></table>`;
}

function targetsCards(d: StatusPageData): string {
  return d.targets
    .map(
      (t) =>
        `<div class="card" data-target-card="${t.target}"><div class="target-head"><b style="text-transform:capitalize">${t.target}</b> ${badge(t.verdict)}</div>` +
        `<div class="small">score <b>${t.score === null ? '—' : t.score.toFixed(2)}</b> · last success <b>${h(ago(d.now, t.lastSuccessAt))}</b>` +
        `${t.passRate === undefined ? '' : ` · pass rate <b>${pct(t.passRate)}</b>`}</div></div>`,
    )
    .join('');
}

function scenariosTable(d: StatusPageData): string {
  if (d.scenarios.length === 0) return '';
  const rows = [...d.scenarios]
    .sort((a, b) => a.suite.localeCompare(b.suite) || a.name.localeCompare(b.name) || a.target.localeCompare(b.target))
    .map(
      (s) =>
        `<tr><td>${h(s.suite)} / ${h(s.name)}</td><td>${h(s.target)}</td><td>${badge(s.status)}</td><td class="num">${s.score.toFixed(2)}</td>` +
        `<td class="num">${formatMs(s.latencyFirstMs)}</td><td class="num">${formatMs(s.latencyFinalMs)}</td>` +
        `<td class="bot-text small">${h(truncate([...s.reasons, s.lastReply ? `reply: ${s.lastReply}` : ''].filter(Boolean).join('\n'), 400))}</td></tr>`,
    )
    .join('');
  return `<h2>Scenarios (last run)</h2><div class="card"><table><thead><tr><th>Scenario</th><th>Target</th><th>Status</th><th class="num">Score</th><th class="num">First</th><th class="num">Final</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function alertsBlock(d: StatusPageData): string {
  if (d.alerts.length === 0) return '<p class="muted" id="no-alerts">No active alerts.</p>';
  return d.alerts
    .map(
      (a) =>
        `<div class="alert ${a.kind.includes('inconclusive') ? 'inconclusive' : ''}"><b>${h(a.target)}</b> · ${h(a.kind)} since ${h(formatTime(a.since))}<div class="bot-text small">${h(a.message)}</div></div>`,
    )
    .join('');
}

function channelsTable(d: StatusPageData): string {
  if (d.channels.length === 0) return '<p class="muted">No notifiers or status pushers configured.</p>';
  const rows = d.channels
    .map((c) => {
      const failing = c.lastError && (c.lastSuccessAt === null || (c.lastErrorAt ?? 0) > c.lastSuccessAt);
      return (
        `<tr><td>${h(c.name)}</td><td class="muted">${h(c.kind)}</td>` +
        `<td>${failing ? '<span class="health-bad">failing</span>' : '<span class="health-ok">ok</span>'}</td>` +
        `<td>${h(ago(d.now, c.lastSuccessAt))}</td><td class="bot-text small">${c.lastError ? h(truncate(c.lastError, 200)) : '—'}</td><td class="num">${c.pending}</td></tr>`
      );
    })
    .join('');
  return `<table class="channels"><thead><tr><th>Channel</th><th>Kind</th><th>Health</th><th>Last success</th><th>Last error</th><th class="num">Pending</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Renders the status page as one HTML string. */
export function renderStatusPage(d: StatusPageData): string {
  const links = { ...DEFAULT_LINKS, ...(d.links ?? {}) };
  const refresh = Math.max(5, Math.floor(d.refreshSeconds ?? 30));
  const title = d.title ?? 'tg-canary status';
  const points = [...d.history]
    .slice(0, 50)
    .reverse()
    .map((r) => ({ value: r.score, status: r.verdict, label: `${formatTime(r.startedAt)} · ${r.verdict} · ${r.score.toFixed(2)}` }));
  const lr = d.lastRun;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta http-equiv="refresh" content="${refresh}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} · ${h(d.overall)}</title>
<style>${BASE_CSS}${STATUS_CSS}${d.historyView ? HISTORY_CSS : ''}</style></head>
<body><main>
<header class="top"><div class="brand">tg<span>-</span>canary <span class="muted small">status · v${h(d.version)}</span></div>
<nav class="links"><a href="${safeHref(links.report)}">Latest report</a><a href="${safeHref(links.verdict)}">Verdict JSON</a><a href="${safeHref(links.metrics)}">Metrics</a><a href="${safeHref(links.status)}">Status JSON</a><a href="${safeHref(links.junit)}">JUnit</a><a href="${safeHref(links.markdown)}">Summary</a></nav></header>
<section class="banner v-${level(d.overall)}" id="overall"><div class="big">${h(d.overall)}</div>
<div>${d.running ? 'A run is in progress · ' : ''}${lr ? `Last run <code>${h(lr.runId)}</code> at ${h(formatTime(lr.startedAt))}${lr.revision ? ` · revision <code>${h(lr.revision)}</code>` : ''}${lr.aborted ? ' · aborted' : ''}` : 'No run yet'}</div>
<div class="small">${d.schedule ? `Schedule <code>${h(d.schedule)}</code> · ` : ''}refreshes every ${refresh} s · generated ${h(formatTime(d.now))}</div>
<div>${d.reasons.length ? `<ul>${d.reasons.map((r) => `<li class="bot-text">${h(r)}</li>`).join('')}</ul>` : ''}</div></section>
${stats(d)}
<h2>Targets</h2><div class="grid2">${targetsCards(d)}</div>
<div class="grid2"><section><h2>Last result per suite</h2><div class="card">${suitesTable(d)}</div></section>
<section><h2>Trend</h2><div class="card">${sparkline(points, { title: `Score over the last ${points.length} runs`, height: 90 })}
<div class="small muted">${['pass', 'fail', 'inconclusive'].map((s) => `<span class="dot" style="background:${statusColor(s)}"></span>${s}`).join(' &nbsp; ')}</div></div></section></div>
<h2>Active alerts</h2><section id="alerts">${alertsBlock(d)}</section>
${d.historyView ? renderHistorySections(d.historyView, d.now) : ''}
${renderAccountsSection(d.accounts ?? [], d.now)}
<h2>Notifiers and status pushes</h2><div class="card">${channelsTable(d)}</div>
${scenariosTable(d)}
<footer>tg-canary v${h(d.version)} · this page refreshes itself every ${refresh} s</footer>
</main></body></html>
`;
}
