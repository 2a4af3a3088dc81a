/**
 * The status page of a fleet (`pairs:`): the fleet's overall state, the accounts' health, then one section per
 * pair with its bots, verdict, last run, reasons and scenarios. Bot text (reasons quote replies) is escaped.
 */
import type { RunResult } from '../core/types.js';
import { BASE_CSS } from '../reporters/html-styles.js';
import { escapeHtml as h, formatTime, PAGE_CSP, truncate } from '../util/html.js';
import { STATUS_CSS } from './page-styles.js';

export interface FleetPageAccount {
  account: string;
  state: string;
  pairs: string[];
  drainedUntil?: number;
  lastFault?: string;
}

export interface FleetPagePair {
  name: string;
  canary: string;
  stable?: string;
  run?: RunResult;
  lastError?: string;
  /** Why its scheduled runs are paused (a maintenance window), if they are. */
  paused?: string;
}

export interface FleetPageData {
  version: string;
  now: number;
  schedule?: string;
  nextRunAt?: number | null;
  /** Pairs in the cycle that is running now. */
  running: string[];
  accounts: FleetPageAccount[];
  pairs: FleetPagePair[];
}

function level(s: string): string {
  return /^[a-z]+$/.test(s) ? s : 'unknown';
}

/** fail beats inconclusive (and pairs with no run) beats pass. */
function overall(pairs: readonly FleetPagePair[]): string {
  const vs = pairs.map((p) => p.run?.verdict.verdict ?? 'unknown');
  if (vs.includes('fail')) return 'fail';
  if (vs.every((v) => v === 'pass')) return 'pass';
  return 'inconclusive';
}

function pairSection(p: FleetPagePair, running: boolean): string {
  const v = p.run?.verdict;
  const verdict = v?.verdict ?? 'unknown';
  const rows = (p.run?.scenarios ?? []).slice(0, 200).map((s) =>
    `<tr><td>${h(s.scenario)}</td><td>${h(s.target)}</td><td class="v-${level(s.status)}">${h(s.status)}</td><td class="bot-text">${h(truncate(s.reasons[0] ?? '', 200))}</td></tr>`).join('');
  const reasons = [...(p.lastError ? [`last cycle did not complete for this pair: ${p.lastError}`] : []), ...(p.paused ? [`paused: ${p.paused}`] : []), ...(v?.reasons ?? [])];
  return `<section class="card pair" id="pair-${h(p.name)}" data-pair="${h(p.name)}" data-verdict="${h(verdict)}">
<h2>${h(p.name)} <span class="badge v-${level(verdict)}">${h(verdict)}</span>${running ? ' <span class="muted small">running</span>' : ''}</h2>
<div class="small">canary <code>@${h(p.canary)}</code>${p.stable ? ` · stable <code>@${h(p.stable)}</code>` : ''}${p.run ? ` · last run <code>${h(p.run.runId)}</code> at ${h(formatTime(p.run.startedAt))}${p.run.revision ? ` · revision <code>${h(p.run.revision)}</code>` : ''}` : ' · no run yet'}
 · <a href="/v1/verdict?target=${encodeURIComponent(p.name)}">verdict JSON</a></div>
${reasons.length ? `<ul>${reasons.slice(0, 8).map((r) => `<li class="bot-text">${h(truncate(r, 300))}</li>`).join('')}</ul>` : ''}
${rows ? `<table><thead><tr><th>scenario</th><th>target</th><th>status</th><th>first reason</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
</section>`;
}

export function renderFleetPage(d: FleetPageData): string {
  const all = overall(d.pairs);
  const accounts = d.accounts.map((a) =>
    `<tr><td>${h(a.account)}</td><td>${h(a.state)}</td><td>${a.pairs.length}</td><td>${a.drainedUntil ? h(formatTime(a.drainedUntil)) : ''}</td><td>${h(a.lastFault ?? '')}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta http-equiv="refresh" content="30">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tg-canary fleet · ${h(all)}</title>
<style>${BASE_CSS}${STATUS_CSS}</style></head>
<body><main>
<header class="top"><div class="brand">tg<span>-</span>canary <span class="muted small">fleet status · v${h(d.version)}</span></div>
<nav class="links"><a href="/metrics">Metrics</a><a href="/status">Status JSON</a></nav></header>
<section class="banner v-${level(all)}" id="overall"><div class="big">${h(all)}</div>
<div>${d.pairs.length} pairs · ${d.pairs.filter((p) => p.run?.verdict.verdict === 'fail').length} failing${d.running.length ? ` · a cycle is running (${d.running.length} pairs)` : ''}</div>
<div class="small">${d.schedule ? `Schedule <code>${h(d.schedule)}</code> · ` : ''}${d.nextRunAt ? `next cycle ${h(formatTime(d.nextRunAt))} · ` : ''}generated ${h(formatTime(d.now))}</div></section>
<h2>Accounts</h2><div class="card"><table id="accounts"><thead><tr><th>account</th><th>state</th><th>pairs</th><th>drained until</th><th>last fault</th></tr></thead><tbody>${accounts}</tbody></table></div>
<h2>Pairs</h2>
${d.pairs.map((p) => pairSection(p, d.running.includes(p.name))).join('\n')}
</main></body></html>`;
}
