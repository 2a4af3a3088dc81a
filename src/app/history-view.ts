/** Read models of issue 17 for the serve daemon: the status page's history view and a badge's figures. */
import { pausingEntry } from '../core/maintenance.js';
import type { TargetName } from '../core/types.js';
import type { Config } from '../config/index.js';
import type { SqliteRunStore } from '../store/index.js';
import type { HistoryView } from '../status/page-history.js';
import type { BadgeData } from '../status/badge-svg.js';
import { activeMaintenance, maintenanceRows } from './maintenance-state.js';

export const HISTORY_DAYS = 90;
/** Uptime badges cover the last 30 days. */
export const BADGE_UPTIME_DAYS = 30;

type HistoryStore = Pick<SqliteRunStore, 'dailyHistory' | 'incidents' | 'listSilences'>;

export function historyView(config: Config, store: HistoryStore, now: number, days = HISTORY_DAYS): HistoryView {
  return {
    days,
    targets: store.dailyHistory({ now, days }),
    incidents: store.incidents({ now, days, limit: 50 }),
    maintenance: maintenanceRows(config, store, now),
  };
}

/** The status (latest day's last result, or `maintenance`) and 30-day uptime of a target or one of its suites. */
export function badgeData(config: Config, store: HistoryStore & Pick<SqliteRunStore, 'latestRun'>, now: number, target: TargetName, suite?: string): BadgeData | undefined {
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
