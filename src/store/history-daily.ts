/**
 * Daily history for the status page (issue 17): per target (and per suite) how many runs passed, failed or were
 * inconclusive each UTC day, uptime (pass / judged runs: inconclusive is shown apart and never counts as down),
 * and p50/p95 final-reply latency per day. Two indexed range reads, bucketed in JS.
 */
import { percentile } from '../core/stats.js';
import type { TargetName } from '../core/types.js';
import { num, optNum, type SqlHandle } from './sql-handle.js';

export const DAY_MS = 86_400_000;

export interface DayCounts {
  /** Start of the UTC day (ms). */
  day: number;
  pass: number;
  fail: number;
  inconclusive: number;
}

export interface LatencyDay {
  day: number;
  p50: number | null;
  p95: number | null;
}

export interface UptimeFigures {
  passes: number;
  judged: number;
  inconclusive: number;
  /** passes / judged, or null when nothing was judged. */
  uptime: number | null;
}

export interface TargetHistory {
  target: TargetName;
  /** One entry per day, oldest first, `days` long. */
  days: DayCounts[];
  uptime: UptimeFigures;
  suites: { suite: string; days: DayCounts[]; uptime: UptimeFigures }[];
  latency: LatencyDay[];
}

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

/** A suite's status in one run from its scenarios: fail > error (inconclusive) > pass; only skipped → none. */
function suiteVerdict(statuses: Set<string>): string | undefined {
  if (statuses.has('fail')) return 'fail';
  if (statuses.has('error')) return 'inconclusive';
  if (statuses.has('pass')) return 'pass';
  return undefined;
}

/** History of the last `days` UTC days up to `now` (today included), per target that has runs in it. */
export function dailyHistory(h: SqlHandle, opts: { now: number; days: number }): TargetHistory[] {
  const n = Math.max(1, Math.min(400, Math.floor(opts.days)));
  const first = Math.floor(opts.now / DAY_MS) * DAY_MS - (n - 1) * DAY_MS;
  return h.tx(() => {
    const byTarget = new Map<string, { days: DayCounts[]; suites: Map<string, DayCounts[]>; lat: Map<number, number[]> }>();
    const entry = (t: string): NonNullable<ReturnType<typeof byTarget.get>> => {
      let e = byTarget.get(t);
      if (!e) byTarget.set(t, (e = { days: emptyDays(first, n), suites: new Map(), lat: new Map() }));
      return e;
    };
    for (const r of h.all(`SELECT t.target, t.verdict, r.started_at FROM runs r CROSS JOIN run_targets t ON t.run_seq = r.seq
        WHERE r.started_at >= ? AND r.finished_at IS NOT NULL`, first)) {
      bump(entry(String(r.target)).days, first, num(r.started_at), String(r.verdict));
    }
    const fromSeq = num(h.get('SELECT min(seq) AS s FROM runs WHERE started_at >= ?', first)?.s ?? Number.MAX_SAFE_INTEGER);
    // one pass over the scenario rows of the window, grouped per run, target and suite
    let cur: { key: string; at: number; target: string; suite: string; statuses: Set<string> } | undefined;
    const flush = (): void => {
      if (!cur) return;
      const v = suiteVerdict(cur.statuses);
      const e = entry(cur.target);
      let days = e.suites.get(cur.suite);
      if (!days) e.suites.set(cur.suite, (days = emptyDays(first, n)));
      if (v) bump(days, first, cur.at, v);
    };
    for (const r of h.all(`SELECT s.run_seq, s.run_started_at, s.target, s.suite, s.status, s.latency_final_ms
        FROM scenario_results s WHERE s.run_seq >= ? AND s.run_started_at >= ? ORDER BY s.run_seq, s.target, s.suite`, fromSeq, first)) {
      const target = String(r.target);
      const suite = String(r.suite);
      const at = num(r.run_started_at);
      const key = `${num(r.run_seq)}\u0000${target}\u0000${suite}`;
      if (cur?.key !== key) {
        flush();
        cur = { key, at, target, suite, statuses: new Set() };
      }
      cur.statuses.add(String(r.status));
      const ms = optNum(r.latency_final_ms);
      if (ms !== null) {
        const e = entry(target);
        const day = Math.floor((at - first) / DAY_MS);
        let list = e.lat.get(day);
        if (!list) e.lat.set(day, (list = []));
        list.push(ms);
      }
    }
    flush();
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
          return { day: d.day, p50: l?.length ? percentile(l, 50) : null, p95: l?.length ? percentile(l, 95) : null };
        }),
      });
    }
    return out;
  });
}
