/** `tg-canary report`: rebuilds a stored run's reports (default: the latest run) from the history database. */
import { rebuildReport } from '../reporters/index.js';
import type { Runtime } from './runtime.js';

/**
 * Writes into `<reports>/<runId>/` and refreshes `<reports>/latest.*` when it is the latest run; returns the files.
 * RUN_NOT_FOUND (a usage error) when there is no such run.
 */
export async function rebuildRunReport(rt: Pick<Runtime, 'store' | 'config' | 'logger'>, runId?: string): Promise<string[]> {
  const id = runId ?? rt.store.latestRun()?.runId;
  return rebuildReport(rt.store, id, rt.config.paths.reports, rt.logger);
}
