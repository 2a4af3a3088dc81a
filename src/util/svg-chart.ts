/**
 * Inline SVG charts (no scripts, no external assets) for the HTML report and the status page.
 * Every label goes through escapeHtml: labels can carry scenario names and bot text.
 */
import { escapeHtml, truncate } from './html.js';

export const STATUS_COLORS: Record<string, string> = {
  pass: '#16a34a',
  fail: '#dc2626',
  inconclusive: '#d97706',
  error: '#d97706',
  pending: '#64748b',
  skipped: '#94a3b8',
  unknown: '#94a3b8',
};

export function statusColor(status: string): string {
  return STATUS_COLORS[status] ?? '#94a3b8';
}

export interface SparkPoint {
  /** 0..1 (a score); null draws a gap marker. */
  value: number | null;
  status: string;
  /** Tooltip text (escaped). */
  label: string;
}

/** A sparkline of scores, oldest first, one dot per run coloured by status. */
export function sparkline(points: SparkPoint[], opts: { width?: number; height?: number; title?: string } = {}): string {
  const width = opts.width ?? 600;
  const height = opts.height ?? 80;
  const pad = 8;
  const title = escapeHtml(opts.title ?? 'Score trend over recent runs');
  if (points.length === 0) {
    return `<svg class="spark" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="100%" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title><text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="12" fill="#64748b">no runs yet</text></svg>`;
  }
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const y = (v: number): number => pad + (1 - Math.min(1, Math.max(0, v))) * (height - 2 * pad);
  const coords = points.map((p, i) => ({ x: points.length > 1 ? pad + i * step : width / 2, p }));
  const line = coords
    .filter((c) => c.p.value !== null)
    .map((c) => `${c.x.toFixed(1)},${y(c.p.value ?? 0).toFixed(1)}`)
    .join(' ');
  const dots = coords
    .map((c) => {
      const cy = c.p.value === null ? height - pad : y(c.p.value);
      return `<circle cx="${c.x.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${statusColor(c.p.status)}"><title>${escapeHtml(c.p.label)}</title></circle>`;
    })
    .join('');
  const grid = [0, 0.5, 1]
    .map((v) => `<line x1="${pad}" x2="${width - pad}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e2e8f0" stroke-width="1"/>`)
    .join('');
  return (
    `<svg class="spark" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="100%" height="${height}" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${title}</title>${grid}` +
    (line ? `<polyline points="${line}" fill="none" stroke="#6366f1" stroke-width="2" stroke-linejoin="round"/>` : '') +
    `${dots}</svg>`
  );
}

export interface Bar {
  label: string;
  value: number | null;
  color: string;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** Horizontal grouped bars (e.g. first/final latency per scenario and target). Values in `unit`. */
export function barChart(
  groups: BarGroup[],
  opts: { width?: number; barHeight?: number; title?: string; format?: (v: number) => string } = {},
): string {
  const width = opts.width ?? 600;
  const barH = opts.barHeight ?? 14;
  const labelW = 150;
  const valueW = 140;
  const gap = 4;
  const groupGap = 12;
  const title = escapeHtml(opts.title ?? 'Latency per scenario');
  const fmt = opts.format ?? ((v: number): string => `${Math.round(v)} ms`);
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)));
  const area = width - labelW - valueW;
  let yPos = 4;
  const parts: string[] = [];
  for (const g of groups) {
    const groupH = g.bars.length * (barH + gap);
    parts.push(
      `<text x="0" y="${(yPos + groupH / 2 + 4).toFixed(1)}" font-size="12" fill="#0f172a">${escapeHtml(truncate(g.label, 24))}<title>${escapeHtml(g.label)}</title></text>`,
    );
    for (const b of g.bars) {
      const w = b.value === null ? 0 : Math.max(1, (b.value / max) * area);
      const text = b.value === null ? 'n/a' : fmt(b.value);
      parts.push(
        `<rect x="${labelW}" y="${yPos}" width="${w.toFixed(1)}" height="${barH}" rx="3" fill="${escapeHtml(b.color)}"><title>${escapeHtml(`${g.label} · ${b.label}: ${text}`)}</title></rect>`,
        `<text x="${(labelW + w + 4).toFixed(1)}" y="${yPos + barH - 3}" font-size="11" fill="#475569">${escapeHtml(`${b.label} ${text}`)}</text>`,
      );
      yPos += barH + gap;
    }
    yPos += groupGap;
  }
  const height = Math.max(24, yPos);
  if (groups.length === 0) {
    parts.push(`<text x="${width / 2}" y="16" text-anchor="middle" font-size="12" fill="#64748b">no latency data</text>`);
  }
  return (
    `<svg class="bars" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${title}</title>${parts.join('')}</svg>`
  );
}
