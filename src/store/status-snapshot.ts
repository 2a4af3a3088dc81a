/** One consistent read for the status page: latest run, last result per target/suite/scenario, and a trend. */
import type { ScenarioHistoryRow } from '../core/ports.js';
import type { RunResult, ScenarioStatus, TargetName } from '../core/types.js';
import { TARGET_NAMES } from '../core/types.js';
import { latestRun, lastSuccessAt, toHistoryRow } from './run-reader.js';
import { num, type Row, type SqlPort } from './sql-port.js';

export interface TrendPoint {
  runId: string;
  startedAt: number;
  verdict: string;
  score: number;
}

export interface SuiteStatus {
  /** Worst status among the suite's latest scenario results: fail > error > pass > skipped. */
  status: ScenarioStatus;
  /** Mean score of those results. */
  score: number;
  /** Start of the newest run among them. */
  startedAt: number;
}

export interface TargetStatus {
  /** The newest finished run that covered this target, with the target's own verdict and score. */
  lastRun?: TrendPoint;
  lastSuccessAt: number | null;
  /** Latest result of every scenario ever run on this target (one row per scenario name), by suite then name. */
  scenarios: ScenarioHistoryRow[];
  suites: Record<string, SuiteStatus>;
}

export interface StatusSnapshot {
  latest?: RunResult;
  perTarget: Partial<Record<TargetName, TargetStatus>>;
  /** The last `trendRuns` finished runs, oldest first (ready to chart). */
  trend: TrendPoint[];
}

const RANK: Record<string, number> = { fail: 3, error: 2, pass: 1, skipped: 0 };

function suitesOf(rows: ScenarioHistoryRow[]): Record<string, SuiteStatus> {
  const acc = new Map<string, { worst: string; sum: number; n: number; at: number }>();
  for (const r of rows) {
    const a = acc.get(r.suite) ?? { worst: 'skipped', sum: 0, n: 0, at: 0 };
    if ((RANK[r.status] ?? 2) > (RANK[a.worst] ?? 0)) a.worst = r.status;
    a.sum += r.score;
    a.n += 1;
    a.at = Math.max(a.at, r.startedAt);
    acc.set(r.suite, a);
  }
  const out: Record<string, SuiteStatus> = {};
  for (const [suite, a] of acc) {
    out[suite] = { status: a.worst as ScenarioStatus, score: a.n ? a.sum / a.n : 0, startedAt: a.at };
  }
  return out;
}

/** Distinct (scenario, target) keys by jumping through the history index: a few seeks per key, not a scan. */
function scenarioKeys(h: SqlPort): { scenario: string; target: string }[] {
  const keys: { scenario: string; target: string }[] = [];
  let scen = h.get('SELECT scenario FROM scenario_results ORDER BY scenario LIMIT 1');
  while (scen) {
    const scenario = String(scen.scenario);
    let tgt = h.get('SELECT target FROM scenario_results WHERE scenario = ? ORDER BY target LIMIT 1', scenario);
    while (tgt) {
      const target = String(tgt.target);
      keys.push({ scenario, target });
      tgt = h.get('SELECT target FROM scenario_results WHERE scenario = ? AND target > ? ORDER BY target LIMIT 1',
        scenario, target);
    }
    scen = h.get('SELECT scenario FROM scenario_results WHERE scenario > ? ORDER BY scenario LIMIT 1', scenario);
  }
  return keys;
}

function latestFor(h: SqlPort, scenario: string, target: string): Row | undefined {
  return h.get(`SELECT r.id AS run_id, s.run_started_at, s.scenario, s.suite, s.target, s.status, s.score,
      s.latency_first_ms, s.latency_final_ms
    FROM scenario_results s JOIN runs r ON r.seq = s.run_seq
    WHERE s.scenario = ? AND s.target = ? ORDER BY s.run_started_at DESC LIMIT 1`, scenario, target);
}

function toPoint(r: Row): TrendPoint {
  return { runId: String(r.id), startedAt: num(r.started_at), verdict: String(r.verdict), score: num(r.score) };
}

export function statusSnapshot(h: SqlPort, opts: { trendRuns: number }): StatusSnapshot {
  return h.tx(() => {
    const latest = latestRun(h);
    const byTarget = new Map<string, ScenarioHistoryRow[]>();
    for (const k of scenarioKeys(h)) {
      const r = latestFor(h, k.scenario, k.target);
      if (!r) continue;
      const list = byTarget.get(k.target) ?? [];
      list.push(toHistoryRow(r));
      byTarget.set(k.target, list);
    }
    const perTarget: Partial<Record<TargetName, TargetStatus>> = {};
    for (const target of TARGET_NAMES) {
      const scenarios = (byTarget.get(target) ?? [])
        .sort((a, b) => a.suite.localeCompare(b.suite) || a.scenario.localeCompare(b.scenario));
      // CROSS JOIN fixes the loop order: walk runs newest first and stop at the first with this target.
      const last = h.get(`SELECT r.id, r.started_at, t.verdict, t.score FROM runs r
        CROSS JOIN run_targets t ON t.run_seq = r.seq AND t.target = ?
        WHERE r.finished_at IS NOT NULL ORDER BY r.started_at DESC LIMIT 1`, target);
      const success = lastSuccessAt(h, target);
      if (!last && scenarios.length === 0 && success === null) continue;
      const status: TargetStatus = { lastSuccessAt: success, scenarios, suites: suitesOf(scenarios) };
      if (last) status.lastRun = toPoint(last);
      perTarget[target] = status;
    }
    const n = Math.max(0, Math.min(100_000, Math.floor(opts.trendRuns)));
    const trend = h.all(`SELECT id, started_at, verdict, score FROM runs WHERE finished_at IS NOT NULL
      ORDER BY started_at DESC LIMIT ?`, n).map(toPoint).reverse();
    const snap: StatusSnapshot = { perTarget, trend };
    if (latest) snap.latest = latest;
    return snap;
  });
}
