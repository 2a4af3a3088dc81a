/**
 * Incidents (issue 17): a failing streak of one target grouped into one incident, from its first failing run to
 * the first passing run after it (inconclusive runs in between neither end nor start one). Each carries the
 * reasons of its failing runs and the run ids, for links to their reports.
 */
import type { TargetName, VerdictReport } from '../core/types.js';
import { num, type SqlPort } from './sql-port.js';
import type { Incident } from '../core/history-types.js';

export type { Incident };

const MAX_REASONS = 10;
/** Verdicts parsed per incident for reasons (the first ones and the last). */
const REASON_RUNS = 5;

function reasonsOf(json: unknown, target: TargetName): string[] {
  if (typeof json !== 'string') return [];
  try {
    const v = JSON.parse(json) as VerdictReport;
    const own = v.scenarios.filter((s) => s.target === target && (s.status === 'fail' || s.status === 'error'))
      .map((s) => `${s.suite}/${s.name}: ${s.reasons[0] ?? s.status}`);
    return own.length ? own : v.reasons.slice(0, 3);
  } catch {
    return [];
  }
}

/** Incidents that overlap the last `days` days, newest first, for one target or all. */
export function listIncidents(h: SqlPort, opts: { now: number; days: number; target?: TargetName; limit?: number }): Incident[] {
  const since = opts.now - Math.max(1, opts.days) * 86_400_000;
  const targets: TargetName[] = opts.target ? [opts.target] : ['canary', 'stable'];
  return h.tx(() => {
    const out: Incident[] = [];
    for (const target of targets) {
      let open: (Incident & { reasonRuns: number; lastSeq: number }) | undefined;
      const close = (endedAt: number | null): void => {
        if (!open) return;
        if (open.reasonRuns >= REASON_RUNS && open.lastRunId !== open.firstRunId) {
          const lastJson = h.get('SELECT verdict_json FROM runs WHERE seq = ?', open.lastSeq)?.verdict_json;
          for (const r of reasonsOf(lastJson, target)) if (!open.reasons.includes(r) && open.reasons.length < MAX_REASONS) open.reasons.push(r);
        }
        out.push({ target, startedAt: open.startedAt, endedAt, durationMs: (endedAt ?? opts.now) - open.startedAt,
          failingRuns: open.failingRuns, firstRunId: open.firstRunId, lastRunId: open.lastRunId, runIds: open.runIds, reasons: open.reasons });
        open = undefined;
      };
      // start a little earlier so a streak that began before the window is whole
      for (const r of h.all(`SELECT r.seq, r.id, r.started_at, t.verdict, t.finished_at FROM runs r
          CROSS JOIN run_targets t ON t.run_seq = r.seq AND t.target = ?
          WHERE r.started_at >= ? AND r.finished_at IS NOT NULL ORDER BY r.started_at, r.seq`, target, since - 7 * 86_400_000)) {
        const verdict = String(r.verdict);
        if (verdict === 'pass') close(num(r.finished_at));
        if (verdict !== 'fail') continue;
        const id = String(r.id);
        if (!open) {
          open = { target, startedAt: num(r.started_at), endedAt: null, durationMs: 0, failingRuns: 0, firstRunId: id, lastRunId: id,
            runIds: [], reasons: [], reasonRuns: 0, lastSeq: num(r.seq) };
        }
        open.failingRuns += 1;
        open.lastRunId = id;
        open.lastSeq = num(r.seq);
        if (open.runIds.length < 20) open.runIds.push(id);
        if (open.reasonRuns < REASON_RUNS) {
          open.reasonRuns += 1;
          const json = h.get('SELECT verdict_json FROM runs WHERE seq = ?', num(r.seq))?.verdict_json;
          for (const x of reasonsOf(json, target)) if (!open.reasons.includes(x) && open.reasons.length < MAX_REASONS) open.reasons.push(x);
        }
      }
      close(null);
    }
    return out.filter((i) => (i.endedAt ?? opts.now) >= since)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, Math.max(1, opts.limit ?? 200));
  });
}
