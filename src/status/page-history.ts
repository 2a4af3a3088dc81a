/**
 * The status page's history sections (issue 17): maintenance windows and silences, 90-day daily bars per target
 * (per suite on hover, and on click in a <details>), uptime (pass / judged runs; inconclusive shown apart, never
 * down), p50/p95 latency sparklines, and incidents with links to their reports. Plain data in, escaped HTML out.
 */
import type { DayCounts, Incident, TargetHistory } from '../core/history-types.js';
import type { MaintenanceRow } from '../core/maintenance.js';
import { escapeHtml as h, formatMs, formatTime, truncate } from '../util/html.js';
import { statusColor } from '../util/svg-chart.js';

export type MaintenanceRowView = MaintenanceRow;

export interface HistoryView {
  days: number;
  targets: TargetHistory[];
  incidents: Incident[];
  maintenance: MaintenanceRowView[];
}

export const HISTORY_CSS = `
.bars{display:block;width:100%;height:34px}
.bars rect.none{fill:#e2e8f0}
.hist-head{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}
.hist-head .up{font-size:20px;font-weight:700}
.hist-axis{display:flex;justify-content:space-between;font-size:11px;color:#64748b}
details.suites-hist summary{cursor:pointer;font-size:13px;margin-top:6px}
.suite-row{display:grid;grid-template-columns:120px 1fr 70px;gap:8px;align-items:center;font-size:12px}
.suite-row .bars{height:18px}
.lat{display:block;width:100%;height:60px}
.maint-active{background:#fef3c7}
.incident-open{color:#dc2626;font-weight:600}
`;

const DAY_FMT = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The color of a day: green all passing, red nothing passing, orange mixed, amber only inconclusive, grey no runs. */
export function dayColor(d: DayCounts): string | undefined {
  if (d.fail > 0) return d.pass > 0 ? '#f97316' : statusColor('fail');
  if (d.pass > 0) return statusColor('pass');
  if (d.inconclusive > 0) return statusColor('inconclusive');
  return undefined;
}

function pct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(2)}%`;
}

function dayText(d: DayCounts): string {
  const n = d.pass + d.fail + d.inconclusive;
  return n === 0 ? 'no runs' : `${d.pass} pass · ${d.fail} fail · ${d.inconclusive} inconclusive`;
}

function bars(days: DayCounts[], tip: (d: DayCounts, i: number) => string, height: number): string {
  const w = 6;
  const gap = 2;
  const width = days.length * (w + gap);
  const rects = days.map((d, i) => {
    const c = dayColor(d);
    return `<rect x="${i * (w + gap)}" y="0" width="${w}" height="${height}" rx="1"${c ? ` fill="${c}"` : ' class="none"'}><title>${h(tip(d, i))}</title></rect>`;
  }).join('');
  return `<svg class="bars" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" role="img">${rects}</svg>`;
}

function latencyChart(t: TargetHistory): string {
  const pts = t.latency;
  const vals = pts.flatMap((p) => [p.p50, p.p95]).filter((v): v is number => v !== null);
  if (vals.length === 0) return '<p class="muted small">No latency measured in this period.</p>';
  const max = Math.max(...vals) || 1;
  const W = 600;
  const H = 60;
  const x = (i: number): number => (pts.length <= 1 ? 0 : (i / (pts.length - 1)) * W);
  const y = (v: number): number => H - 4 - (v / max) * (H - 8);
  const line = (key: 'p50' | 'p95'): string => {
    let d = '';
    let pen = false;
    pts.forEach((p, i) => {
      const v = p[key];
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    return d.trim();
  };
  const last = [...pts].reverse().find((p) => p.p50 !== null);
  const title = `Final reply latency per day, p50 (blue) and p95 (purple); max ${formatMs(max)}`;
  return `<svg class="lat" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${h(title)}"><title>${h(title)}</title>` +
    `<path d="${line('p95')}" fill="none" stroke="#7c3aed" stroke-width="1.5" vector-effect="non-scaling-stroke"/>` +
    `<path d="${line('p50')}" fill="none" stroke="#2563eb" stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg>` +
    `<div class="small muted">latency p50 <b>${formatMs(last?.p50 ?? null)}</b> · p95 <b>${formatMs(last?.p95 ?? null)}</b> (last day with runs) · peak ${formatMs(max)}</div>`;
}

function targetBlock(t: TargetHistory, days: number): string {
  const tip = (d: DayCounts, i: number): string => {
    const perSuite = t.suites.map((s) => {
      const sd = s.days[i];
      return sd && sd.pass + sd.fail + sd.inconclusive > 0 ? `\n${s.suite}: ${dayText(sd)}` : '';
    }).join('');
    return `${DAY_FMT(d.day)}: ${dayText(d)}${perSuite}`;
  };
  const suites = t.suites.map((s) =>
    `<div class="suite-row" data-suite="${h(s.suite)}"><span>${h(s.suite)}</span>${bars(s.days, (d) => `${s.suite} ${DAY_FMT(d.day)}: ${dayText(d)}`, 18)}<span class="num">${pct(s.uptime.uptime)}</span></div>`).join('');
  const first = t.days[0]?.day;
  return `<div class="card" data-history-target="${h(t.target)}"><div class="hist-head"><b style="text-transform:capitalize">${h(t.target)}</b>` +
    `<span><span class="up" data-uptime="${h(t.target)}">${pct(t.uptime.uptime)}</span> <span class="small muted">uptime over ${days} days: ${t.uptime.passes} of ${t.uptime.judged} judged runs passed · ${t.uptime.inconclusive} inconclusive (not counted as down)</span></span></div>` +
    `${bars(t.days, tip, 34)}<div class="hist-axis"><span>${first === undefined ? '' : DAY_FMT(first)}</span><span>today</span></div>` +
    `${latencyChart(t)}` +
    (suites ? `<details class="suites-hist"><summary>Per suite</summary>${suites}</details>` : '') + '</div>';
}

function incidentsBlock(v: HistoryView, now: number): string {
  if (v.incidents.length === 0) return `<p class="muted" id="no-incidents">No incidents in the last ${v.days} days.</p>`;
  const report = (id: string): string => `/reports/${encodeURIComponent(id)}/report.html`;
  const rows = v.incidents.slice(0, 50).map((i) => {
    const dur = formatDurationShort(i.endedAt === null ? now - i.startedAt : i.durationMs);
    return `<tr data-incident="${h(i.target)}"><td>${h(i.target)}</td><td>${h(formatTime(i.startedAt))}</td>` +
      `<td>${i.endedAt === null ? '<span class="incident-open">ongoing</span>' : h(formatTime(i.endedAt))}</td><td class="num">${h(dur)}</td><td class="num">${i.failingRuns}</td>` +
      `<td class="bot-text small">${h(truncate(i.reasons.join('\n'), 500))}</td>` +
      `<td class="small"><a href="${report(i.firstRunId)}">first</a>${i.lastRunId !== i.firstRunId ? ` · <a href="${report(i.lastRunId)}">last</a>` : ''}</td></tr>`;
  }).join('');
  return `<div class="card"><table class="incidents"><thead><tr><th>Target</th><th>Start</th><th>End</th><th class="num">Duration</th><th class="num">Failing runs</th><th>Reasons</th><th>Reports</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function maintenanceBlock(v: HistoryView): string {
  if (v.maintenance.length === 0) return '<p class="muted" id="no-maintenance">No maintenance windows or silences active or coming up.</p>';
  const rows = v.maintenance.map((m) =>
    `<tr class="${m.state === 'active' ? 'maint-active' : ''}" data-maintenance="${h(m.id)}"><td>${h(m.state)}</td><td>${h(m.kind)}</td><td><code>${h(m.id)}</code></td><td>${h(m.mode)}</td><td>${h(m.matchers)}</td>` +
    `<td>${h(formatTime(m.from))}</td><td>${h(formatTime(m.until))}</td><td class="bot-text small">${h(truncate(m.reason, 200))}${m.createdBy ? ` <span class="muted">(${h(m.createdBy)})</span>` : ''}</td></tr>`).join('');
  return `<div class="card"><table class="maintenance"><thead><tr><th>State</th><th>Kind</th><th>Id</th><th>Mode</th><th>Matches</th><th>From</th><th>Until</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function formatDurationShort(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m}m`;
  const hh = Math.floor(m / 60);
  if (hh < 48) return `${hh}h ${m % 60}m`;
  return `${Math.floor(hh / 24)}d ${hh % 24}h`;
}

/** The maintenance, history and incidents sections. */
export function renderHistorySections(v: HistoryView, now: number): string {
  const targets = v.targets.map((t) => targetBlock(t, v.days)).join('');
  return `<h2>Maintenance and silences</h2><section id="maintenance">${maintenanceBlock(v)}</section>` +
    `<h2>History (${v.days} days)</h2><section id="history">${targets || '<p class="muted">No runs in this period.</p>'}` +
    `<div class="small muted">${['pass', 'fail', 'inconclusive'].map((s) => `<span class="dot" style="background:${statusColor(s)}"></span>${s}`).join(' &nbsp; ')} &nbsp; <span class="dot" style="background:#f97316"></span>mixed</div></section>` +
    `<h2>Incidents</h2><section id="incidents">${incidentsBlock(v, now)}</section>`;
}
