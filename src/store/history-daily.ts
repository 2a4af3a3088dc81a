/**
 * Daily history for the status page (issue 17): per target (and per suite) how many runs passed, failed or were
 * inconclusive each UTC day, uptime (pass / judged runs: inconclusive is shown apart and never counts as down),
 * and p50/p95 final-reply latency per day. Two indexed range reads, bucketed in JS.
 */
import { percentile } from '../core/stats.js';
import type { TargetName } from '../core/types.js';
import type { DayCounts, LatencyDay, TargetHistory, UptimeFigures } from '../core/history-types.js';
import { num, type Row, type SqlPort } from './sql-port.js';

export type { DayCounts, LatencyDay, TargetHistory, UptimeFigures };

export const DAY_MS = 86_400_000;

function emptyDays(first: number, n: number): DayCounts[] {
  return Array.from({ length: n }, (_, i) => ({ day: first + i * DAY_MS, pass: 0, fail: 0, inconclusive: 0 }));
}

function bump(days: DayCounts[], first: number, at: number, verdict: string): void {
  const d = days[Math.floor((at - first) / DAY_MS)];
  if (!d) return;
  if (verdict === 'pass') d.pass += 1;
  else if (verdict === 'fail') d.fail += 1;
  else d.inconclusive += 1;
}

export function uptimeOf(days: readonly DayCounts[]): UptimeFigures {
  let passes = 0;
  let fails = 0;
  let inconclusive = 0;
  for (const d of days) {
    passes += d.pass;
    fails += d.fail;
    inconclusive += d.inconclusive;
  }
  const judged = passes + fails;
  return { passes, judged, inconclusive, uptime: judged ? passes / judged : null };
}

const LATENCY_SQL = (p: string): string => `SELECT s.target, CAST((s.run_started_at - ?) / ${DAY_MS} AS INTEGER) AS d, ${p}
  FROM scenario_results s INDEXED BY scenario_results_daily WHERE s.run_started_at >= ? AND s.latency_final_ms IS NOT NULL`;

/** p50/p95 per target and day: in SQLite when it has percentile() (better-sqlite3's build does), else in JS. */
export function latencyByDay(h: SqlPort, first: number): Row[] {
  // PostgreSQL has no percentile(); a failed statement would also abort the surrounding transaction.
  if (h.dialect !== 'sqlite') return latencyByDayInJs(h, first);
  try {
    return h.all(`${LATENCY_SQL('percentile(s.latency_final_ms, 50) AS p50, percentile(s.latency_final_ms, 95) AS p95')} GROUP BY s.target, d`, first, first);
  } catch (e) {
    if (!/no such function/i.test(String(e))) throw e;
  }
  return latencyByDayInJs(h, first);
}

/** The same figures computed in JS (for SQLite builds without percentile()). */
export function latencyByDayInJs(h: SqlPort, first: number): Row[] {
  const groups = new Map<string, { target: string; d: number; v: number[] }>();
  for (const r of h.all(LATENCY_SQL('s.latency_final_ms AS ms'), first, first)) {
    const k = `${String(r.target)}\u0000${num(r.d)}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { target: String(r.target), d: num(r.d), v: [] }));
    g.v.push(num(r.ms));
  }
  return [...groups.values()].map((g) => ({ target: g.target, d: g.d, p50: percentile(g.v, 50), p95: percentile(g.v, 95) }));
}

/** History of the last `days` UTC days up to `now` (today included), per target that has runs in it. */
export function dailyHistory(h: SqlPort, opts: { now: number; days: number }): TargetHistory[] {
  const n = Math.max(1, Math.min(400, Math.floor(opts.days)));
  const first = Math.floor(opts.now / DAY_MS) * DAY_MS - (n - 1) * DAY_MS;
  return h.tx(() => {
    const byTarget = new Map<string, { days: DayCounts[]; suites: Map<string, DayCounts[]>; lat: Map<number, { p50: number; p95: number }> }>();
    const entry = (t: string): NonNullable<ReturnType<typeof byTarget.get>> => {
      let e = byTarget.get(t);
      if (!e) byTarget.set(t, (e = { days: emptyDays(first, n), suites: new Map(), lat: new Map() }));
      return e;
    };
    for (const r of h.all(`SELECT t.target, t.verdict, r.started_at FROM runs r CROSS JOIN run_targets t ON t.run_seq = r.seq
        WHERE r.started_at >= ? AND r.finished_at IS NOT NULL`, first)) {
      bump(entry(String(r.target)).days, first, num(r.started_at), String(r.verdict));
    }
    // Both reads are covered by scenario_results_daily (migration 006). Suites: SQLite folds each run's rows to
    // the suite's worst status (3 fail, 2 error, 1 pass, 0 skipped) and counts them per day.
    for (const r of h.all(`SELECT target, suite, d, worst, count(*) AS n FROM (
        SELECT s.target, s.suite, CAST((s.run_started_at - ?) / ${DAY_MS} AS INTEGER) AS d,
          max(CASE s.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'pass' THEN 1 ELSE 0 END) AS worst
        FROM scenario_results s INDEXED BY scenario_results_daily WHERE s.run_started_at >= ?
        GROUP BY s.run_started_at, s.target, s.suite, s.run_seq) AS per_run
      GROUP BY target, suite, d, worst`, first, first)) {
      const e = entry(String(r.target));
      const suite = String(r.suite);
      let days = e.suites.get(suite);
      if (!days) e.suites.set(suite, (days = emptyDays(first, n)));
      const d = days[num(r.d)];
      const worst = num(r.worst);
      if (!d || worst === 0) continue;
      if (worst === 3) d.fail += num(r.n);
      else if (worst === 2) d.inconclusive += num(r.n);
      else d.pass += num(r.n);
    }
    // latency: SQLite's percentile() (linear interpolation, as core/stats.ts) per target and day
    for (const r of latencyByDay(h, first)) {
      entry(String(r.target)).lat.set(num(r.d), { p50: num(r.p50), p95: num(r.p95) });
    }
    const out: TargetHistory[] = [];
    for (const target of [...byTarget.keys()].sort()) {
      const e = byTarget.get(target);
      if (!e) continue;
      out.push({
        target: target as TargetName,
        days: e.days,
        uptime: uptimeOf(e.days),
        suites: [...e.suites.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([suite, days]) => ({ suite, days, uptime: uptimeOf(days) })),
        latency: e.days.map((d, i) => {
          const l = e.lat.get(i);
          return { day: d.day, p50: l?.p50 ?? null, p95: l?.p95 ?? null };
        }),
      });
    }
    return out;
  });
}
