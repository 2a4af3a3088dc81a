/**
 * Flat SVG badges (issue 17), shields.io-style: `canary | pass`, `canary uptime | 99.95%`. Text is escaped (a
 * suite name comes from a scenario file); widths are estimated from character counts (no font metrics needed).
 */
import { escapeXml } from '../util/html.js';

export interface BadgeData {
  label: string;
  /** pass, fail, inconclusive, maintenance, unknown. */
  status: string;
  /** 0..1 over `uptimeDays`, or null when no run was judged. */
  uptime: number | null;
  uptimeDays: number;
}

const COLORS: Record<string, string> = {
  pass: '#16a34a', fail: '#dc2626', inconclusive: '#d97706', maintenance: '#2563eb', unknown: '#64748b', pending: '#64748b',
};

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[ il.,:;|!']/.test(ch) ? 3.5 : /[mwMW@%]/.test(ch) ? 10 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(w);
}

function uptimeColor(u: number | null): string {
  if (u === null) return COLORS.unknown as string;
  if (u >= 0.999) return COLORS.pass as string;
  if (u >= 0.99) return '#65a30d';
  if (u >= 0.95) return '#d97706';
  return COLORS.fail as string;
}

/** One badge: label on grey, message on its color. */
export function renderBadge(label: string, message: string, color: string): string {
  const l = label.slice(0, 60);
  const m = message.slice(0, 40);
  const lw = textWidth(l) + 12;
  const mw = textWidth(m) + 12;
  const w = lw + mw;
  const aria = escapeXml(`${l}: ${m}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${aria}"><title>${aria}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)">` +
    `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${/^#[0-9a-f]{3,6}$/i.test(color) ? color : '#64748b'}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="14">${escapeXml(l)}</text><text x="${lw + mw / 2}" y="14">${escapeXml(m)}</text></g></svg>\n`;
}

export function statusBadge(d: BadgeData): string {
  return renderBadge(d.label, d.status, COLORS[d.status] ?? (COLORS.unknown as string));
}

export function uptimeBadge(d: BadgeData): string {
  const msg = d.uptime === null ? 'no data' : `${(d.uptime * 100).toFixed(d.uptime >= 0.9995 && d.uptime < 1 ? 3 : 2).replace(/\.?0+$/, '')}%`;
  return renderBadge(`${d.label} uptime ${d.uptimeDays}d`, msg, uptimeColor(d.uptime));
}
