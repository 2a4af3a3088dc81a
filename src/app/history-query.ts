/** What `tg-canary history` shows: the last runs and, per scenario and target, pass rate, errors and p50/p95. */
import type { RunSummary } from '../core/ports.js';
import { percentile } from '../core/stats.js';
import type { Runtime } from './runtime.js';

export interface ScenarioHistoryStats {
  target: string | undefined;
  suite: string | undefined;
  scenario: string | undefined;
  runs: number;
  passRate: number | null;
  errors: number;
  p50: number | null;
  p95: number | null;
}

export interface HistoryView {
  runs: RunSummary[];
  scenarios: ScenarioHistoryStats[];
}

export function historyView(rt: Pick<Runtime, 'store'>, opts: { last: number; scenario?: string }): HistoryView {
  const { store } = rt;
  const runs = store.listRuns({ last: opts.last });
  const rows = store.scenarioHistory({ scenario: opts.scenario, last: opts.last * 64 }).filter((r) => runs.some((x) => x.runId === r.runId));
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.target}\t${r.suite}\t${r.scenario}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const scenarios = [...groups.entries()].map(([k, rs]): ScenarioHistoryStats => {
    const [target, suite, scenario] = k.split('\t');
    const judged = rs.filter((r) => r.status === 'pass' || r.status === 'fail');
    const lat = rs.map((r) => r.latencyFinalMs).filter((x): x is number => x !== null);
    return {
      target, suite, scenario, runs: new Set(rs.map((r) => r.runId)).size,
      passRate: judged.length ? judged.filter((r) => r.status === 'pass').length / judged.length : null,
      errors: rs.filter((r) => r.status === 'error').length,
      p50: lat.length ? Math.round(percentile(lat, 50)) : null,
      p95: lat.length ? Math.round(percentile(lat, 95)) : null,
    };
  });
  return { runs, scenarios };
}
