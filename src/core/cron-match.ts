/**
 * A small, pure cron matcher (UTC) for recurring maintenance windows: 5 fields (minute hour day-of-month month
 * day-of-week) with `*`, lists, ranges, steps and names (`mon`, `jan`). Day-of-month and day-of-week combine as in
 * Vixie cron: when both are restricted, either may match. Used to ask "did a window start in the last N minutes?".
 */
import { configError } from './errors.js';

const MINUTE_MS = 60_000;
const NAMES: Record<string, number> = {
  sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6,
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

export interface CronSpec {
  fields: Set<number>[];
  domAny: boolean;
  dowAny: boolean;
}

function atom(s: string, field: number): number {
  const v = NAMES[s.toLowerCase()] ?? (/^\d+$/.test(s) ? Number(s) : NaN);
  const [lo, hi] = RANGES[field] ?? [0, 0];
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(s);
  return v;
}

function parseField(text: string, field: number): Set<number> {
  const [lo, hi] = RANGES[field] ?? [0, 0];
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(part);
    let a = lo;
    let b = hi;
    if (range !== '*') {
      const [x = '', y] = range.split('-');
      a = atom(x, field);
      b = y === undefined ? (stepText === undefined ? a : hi) : atom(y, field);
      if (b < a) throw new Error(part);
    }
    for (let v = a; v <= b; v += step) out.add(field === 4 && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a 5-field cron expression; throws a coded config error naming the expression. */
export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  try {
    if (parts.length !== 5) throw new Error('fields');
    return { fields: parts.map((p, i) => parseField(p, i)), domAny: parts[2] === '*', dowAny: parts[4] === '*' };
  } catch {
    throw configError('MAINTENANCE_CRON_INVALID', `maintenance window cron ${JSON.stringify(expr)} is not a 5-field cron expression`,
      'write minute hour day-of-month month day-of-week in UTC, e.g. "0 2 * * sun" (Sundays 02:00 UTC)');
  }
}

/** Whether the minute starting at `t` (UTC) matches. */
export function cronMatches(spec: CronSpec, t: number): boolean {
  const d = new Date(t);
  const [min, hour, dom, mon, dow] = spec.fields;
  if (!min?.has(d.getUTCMinutes()) || !hour?.has(d.getUTCHours()) || !mon?.has(d.getUTCMonth() + 1)) return false;
  const domOk = dom?.has(d.getUTCDate()) ?? false;
  const dowOk = dow?.has(d.getUTCDay()) ?? false;
  if (spec.domAny && spec.dowAny) return true;
  if (spec.domAny) return dowOk;
  if (spec.dowAny) return domOk;
  return domOk || dowOk;
}

/** The latest start at or before `t` within `lookbackMs`, or undefined. */
export function lastFireAtOrBefore(spec: CronSpec, t: number, lookbackMs: number): number | undefined {
  const start = Math.floor(t / MINUTE_MS) * MINUTE_MS;
  for (let m = start; m >= t - lookbackMs; m -= MINUTE_MS) if (cronMatches(spec, m)) return m;
  return undefined;
}

/** The first start after `t` within `horizonMs`, or undefined. */
export function nextFireAfter(spec: CronSpec, t: number, horizonMs: number): number | undefined {
  const start = Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let m = start; m <= t + horizonMs; m += MINUTE_MS) if (cronMatches(spec, m)) return m;
  return undefined;
}
