/** Pure summary of scenario history rows for `tg-canary history`: pass rate and latency percentiles
 * (linear interpolation, as the verdict policy uses). */
import type { ScenarioHistoryRow } from '../core/ports.js';
import { percentile } from '../core/stats.js';
import type { TargetName } from '../core/types.js';

export interface ScenarioStats {
  scenario: string;
  suite: string;
  target: TargetName;
  runs: number;
  /** Passes / graded attempts (not skipped, not infrastructure errors); null when there are none. */
  passRate: number | null;
  errors: number;
  p50FinalMs: number | null;
  p95FinalMs: number | null;
}

export function summarizeScenarioHistory(rows: ScenarioHistoryRow[]): ScenarioStats[] {
  const groups = new Map<string, ScenarioHistoryRow[]>();
  for (const r of rows) {
    const k = `${r.suite}\u0000${r.scenario}\u0000${r.target}`;
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  const out: ScenarioStats[] = [];
  for (const list of groups.values()) {
    const graded = list.filter((r) => r.status === 'pass' || r.status === 'fail');
    const lat = list.map((r) => r.latencyFinalMs).filter((v): v is number => v !== null);
    out.push({
      scenario: list[0].scenario, suite: list[0].suite, target: list[0].target, runs: new Set(list.map((r) => r.runId)).size,
      passRate: graded.length ? graded.filter((r) => r.status === 'pass').length / graded.length : null,
      errors: list.filter((r) => r.status === 'error').length,
      p50FinalMs: lat.length ? percentile(lat, 50) : null, p95FinalMs: lat.length ? percentile(lat, 95) : null,
    });
  }
  return out.sort((a, b) => a.suite.localeCompare(b.suite) || a.scenario.localeCompare(b.scenario)
    || a.target.localeCompare(b.target));
}
