/**
 * One cached, already validated scenario set (JSON text). A new key replaces whatever was there: only the
 * current files' set is worth keeping.
 */
import type { SqlPort } from './sql-port.js';

export function cachedScenarioSet(h: SqlPort, key: string): string | undefined {
  const row = h.get('SELECT scenarios FROM scenario_cache WHERE key = ?', key);
  return row ? String(row.scenarios) : undefined;
}

export function saveScenarioSet(h: SqlPort, key: string, json: string, now: number): void {
  h.immediate(() => {
    h.run('DELETE FROM scenario_cache WHERE key <> ?', key);
    h.run(`INSERT INTO scenario_cache (key, scenarios, saved_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET scenarios = excluded.scenarios, saved_at = excluded.saved_at`, key, json, now);
  });
}
