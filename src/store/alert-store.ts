/** Alert state (so a restart does not re-page) and the alert log. */
import type { AlertLogEntry, AlertStateRow } from '../core/ports.js';
import { num, optNum, type Row, type SqlPort } from './sql-port.js';
import { decOptText, encOptText } from './text-codec.js';

export function getAlertState(h: SqlPort, key: string): AlertStateRow | undefined {
  const r = h.get('SELECT * FROM alert_state WHERE key = ?', key);
  if (!r) return undefined;
  return {
    key: String(r.key), state: r.state === 'failing' ? 'failing' : 'ok', since: num(r.since),
    lastNotifiedAt: optNum(r.last_notified_at), failures: num(r.failures), successes: num(r.successes),
    alertId: optNum(r.alert_id),
  };
}

export function setAlertState(h: SqlPort, row: AlertStateRow): void {
  h.run(`INSERT INTO alert_state (key, state, since, last_notified_at, failures, successes, alert_id)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, since = excluded.since,
    last_notified_at = excluded.last_notified_at, failures = excluded.failures, successes = excluded.successes,
    alert_id = excluded.alert_id`,
  row.key, row.state, row.since, row.lastNotifiedAt, row.failures, row.successes, row.alertId);
}

export type { AlertLogEntry };

/** Appends to the alert log; returns the new alert id (use it as AlertStateRow.alertId and in dedupe keys). */
export function logAlert(h: SqlPort, e: Omit<AlertLogEntry, 'id'>): number {
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
export function listAlerts(h: SqlPort, last = 50): AlertLogEntry[] {
  return h.all('SELECT * FROM alerts_log ORDER BY id DESC LIMIT ?', Math.max(0, Math.floor(last))).map(toLog);
}
