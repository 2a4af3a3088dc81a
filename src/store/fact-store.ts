/** Planted facts for cross-run memory checks: one value per key and target, the newest write wins. */
import type { PlantedFact } from '../core/ports.js';
import type { TargetName } from '../core/types.js';
import { num, type SqlPort } from './sql-port.js';
import { decText, encText } from './text-codec.js';

/** Plants a fact; the newest (by `at`) wins, so a late write of an older fact changes nothing. */
export function plantFact(
  h: SqlPort, f: { key: string; target: TargetName; value: string; runId: string; at: number },
): void {
  h.run(`INSERT INTO facts (key, target, value, run_id, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(key, target) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, at = excluded.at
    WHERE excluded.at >= facts.at`, f.key, f.target, encText(f.value), f.runId, f.at);
}

export function getFact(
  h: SqlPort, key: string, target: TargetName,
): PlantedFact | undefined {
  const r = h.get('SELECT value, run_id, at FROM facts WHERE key = ? AND target = ?', key, target);
  return r ? { value: decText(r.value), runId: String(r.run_id), at: num(r.at) } : undefined;
}
