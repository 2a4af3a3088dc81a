/** Alert state (so a restart does not re-page), the alert log, and planted facts for cross-run memory. */
import type { AlertStateRow } from '../core/ports.js';
import type { TargetName } from '../core/types.js';
import { num, optNum, type Row, type SqlHandle } from './sql-handle.js';
import { decOptText, decText, encOptText, encText } from './text-codec.js';

export function getAlertState(h: SqlHandle, key: string): AlertStateRow | undefined {
  const r = h.get('SELECT * FROM alert_state WHERE key = ?', key);
  if (!r) return undefined;
  return {
    key: String(r.key), state: r.state === 'failing' ? 'failing' : 'ok', since: num(r.since),
    lastNotifiedAt: optNum(r.last_notified_at), failures: num(r.failures), successes: num(r.successes),
    alertId: optNum(r.alert_id),
  };
}

export function setAlertState(h: SqlHandle, row: AlertStateRow): void {
  h.run(`INSERT INTO alert_state (key, state, since, last_notified_at, failures, successes, alert_id)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, since = excluded.since,
    last_notified_at = excluded.last_notified_at, failures = excluded.failures, successes = excluded.successes,
    alert_id = excluded.alert_id`,
  row.key, row.state, row.since, row.lastNotifiedAt, row.failures, row.successes, row.alertId);
}

export interface AlertLogEntry {
  id: number;
  key: string;
  kind: string;
  runId?: string;
  at: number;
  subject?: string;
}

/** Appends to the alert log; returns the new alert id (use it as AlertStateRow.alertId and in dedupe keys). */
export function logAlert(h: SqlHandle, e: Omit<AlertLogEntry, 'id'>): number {
  return num(h.run('INSERT INTO alerts_log (key, kind, run_id, at, subject) VALUES (?, ?, ?, ?, ?)',
    e.key, e.kind, e.runId ?? null, e.at, encOptText(e.subject)).lastInsertRowid);
}

function toLog(r: Row): AlertLogEntry {
  const e: AlertLogEntry = { id: num(r.id), key: String(r.key), kind: String(r.kind), at: num(r.at) };
  if (r.run_id !== null) e.runId = String(r.run_id);
  const subject = decOptText(r.subject);
  if (subject !== undefined) e.subject = subject;
  return e;
}

/** Newest first. */
export function listAlerts(h: SqlHandle, last = 50): AlertLogEntry[] {
  return h.all('SELECT * FROM alerts_log ORDER BY id DESC LIMIT ?', Math.max(0, Math.floor(last))).map(toLog);
}

/** Plants a fact; the newest (by `at`) wins, so a late write of an older fact changes nothing. */
export function plantFact(
  h: SqlHandle, f: { key: string; target: TargetName; value: string; runId: string; at: number },
): void {
  h.run(`INSERT INTO facts (key, target, value, run_id, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(key, target) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, at = excluded.at
    WHERE excluded.at >= facts.at`, f.key, f.target, encText(f.value), f.runId, f.at);
}

export function getFact(
  h: SqlHandle, key: string, target: TargetName,
): { value: string; runId: string; at: number } | undefined {
  const r = h.get('SELECT value, run_id, at FROM facts WHERE key = ? AND target = ?', key, target);
  return r ? { value: decText(r.value), runId: String(r.run_id), at: num(r.at) } : undefined;
}
