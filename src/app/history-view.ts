/** Read models of issue 17 for the serve daemon: the status page's history view and a badge's figures. */
import { pausingEntry } from '../core/maintenance.js';
import type { TargetName } from '../core/types.js';
import type { Config } from '../config/index.js';
import type { HistoryRollupReader, RunHistoryReader, SilenceStore } from '../core/ports.js';
import type { HistoryView } from '../status/page-history.js';
import type { BadgeData } from '../status/badge-svg.js';
import { activeMaintenance, maintenanceRows } from './maintenance-state.js';

export const HISTORY_DAYS = 90;
/** Uptime badges cover the last 30 days. */
export const BADGE_UPTIME_DAYS = 30;

type HistoryStore = HistoryRollupReader & Pick<SilenceStore, 'listSilences'>;

export function historyView(config: Config, store: HistoryStore, now: number, days = HISTORY_DAYS): HistoryView {
  return {
    days,
    targets: store.dailyHistory({ now, days }),
    incidents: store.incidents({ now, days, limit: 50 }),
    maintenance: maintenanceRows(config, store, now),
  };
}

/**
 * The history view, recomputed only when it can have changed: a run began or finished, or a new UTC day began
 * (the page refreshes every 30 s; a year of history costs a range read, a cached one nothing). Maintenance rows
 * are always fresh.
 */
export function cachedHistoryView(config: Config, store: HistoryStore & Pick<RunHistoryReader, 'listRuns'>, days = HISTORY_DAYS): (now: number) => HistoryView {
  let key = '';
  let cached: Pick<HistoryView, 'targets' | 'incidents'> | undefined;
  return (now) => {
    const last = store.listRuns({ last: 1 })[0];
    const k = `${last?.runId ?? ''}|${last?.finishedAt ?? ''}|${Math.floor(now / 86_400_000)}`;
    if (!cached || k !== key) {
      cached = { targets: store.dailyHistory({ now, days }), incidents: store.incidents({ now, days, limit: 50 }) };
      key = k;
    }
    return { days, ...cached, maintenance: maintenanceRows(config, store, now) };
  };
}

/** The status (latest day's last result, or `maintenance`) and 30-day uptime of a target or one of its suites. */
export function badgeData(config: Config, store: HistoryStore & Pick<RunHistoryReader, 'latestRun'>, now: number, target: TargetName, suite?: string): BadgeData | undefined {
  const hist = store.dailyHistory({ now, days: BADGE_UPTIME_DAYS }).find((t) => t.target === target);
  const run = store.latestRun();
  const tv = run?.verdict.targets[target];
  let status: string | undefined = suite ? tv?.suites[suite]?.status : tv?.verdict;
  let uptime = hist?.uptime.uptime ?? null;
  if (suite) {
    const s = hist?.suites.find((x) => x.suite === suite);
    if (!s && status === undefined) return undefined;
    uptime = s?.uptime.uptime ?? null;
  }
  if (status === 'error') status = 'inconclusive';
  if (pausingEntry(activeMaintenance(config, store, now), target)) status = 'maintenance';
  return { label: suite ? `${target} ${suite}` : target, status: status ?? 'unknown', uptime, uptimeDays: BADGE_UPTIME_DAYS };
}
