/**
 * Retention: every run job prunes runs older than `run.keepDays` (at least 7, src/config/schema.ts) before it
 * starts, so the `serve` daemon's database stays bounded as a CronJob's does. Maintenance, not the run: a store that
 * refuses (busy, full) is logged and the run goes on.
 */
import type { StoreUpkeep } from '../core/ports.js';
import type { Config } from '../config/index.js';
import { retentionCutoff } from '../store/index.js';
import type { Logger } from '../util/logger.js';

/** Deletes the runs started before `now - keepDays`; returns how many went, or undefined when the store refused. */
export function pruneOldRuns(store: Pick<StoreUpkeep, 'prune'>, config: Config, now: number, logger: Logger): number | undefined {
  try {
    const { runs } = store.prune(retentionCutoff(now, config.run.keepDays));
    if (runs > 0) logger.info({ runs, keepDays: config.run.keepDays }, 'pruned old runs');
    return runs;
  } catch (e) {
    logger.warn({ err: String(e) }, 'could not prune old runs; trying the run anyway');
    return undefined;
  }
}
