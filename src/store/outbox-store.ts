/** Delivery outbox: each delivery queued once (unique dedupe key), retried until delivered. */
import type { ClaimOutcome, OutboxItem } from '../core/ports.js';
import { num, type Row, type SqlPort } from './sql-port.js';
import { decOptText, decText, encText } from './text-codec.js';

const MAX_ERROR_CHARS = 2000;

function toItem(r: Row): OutboxItem {
  const item: OutboxItem = {
    id: num(r.id), channel: String(r.channel), dedupeKey: String(r.dedupe_key), payload: decText(r.payload),
    attempts: num(r.attempts), createdAt: num(r.created_at), nextAttemptAt: num(r.next_attempt_at),
  };
  const err = decOptText(r.last_error);
  if (err !== undefined) item.lastError = err;
  if (r.delivered_at !== null) item.deliveredAt = num(r.delivered_at);
  if (r.not_before !== null && r.not_before !== undefined) item.notBefore = num(r.not_before);
  return item;
}

/**
 * Queues a delivery due at `at` (or held until `holdUntil`, stored as its `not_before`); false (and nothing
 * changes) when one with this dedupe key already exists.
 */
export function enqueue(h: SqlPort, item: { channel: string; dedupeKey: string; payload: string; at: number; holdUntil?: number }): boolean {
  const due = Math.max(item.at, item.holdUntil ?? item.at);
  return h.run(`INSERT INTO outbox (channel, dedupe_key, payload, created_at, next_attempt_at, not_before) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(dedupe_key) DO NOTHING`, item.channel, item.dedupeKey, encText(item.payload), item.at, due,
  item.holdUntil ?? null).changes === 1;
}

/** Undelivered items whose next attempt is due, soonest first (then in queue order). */
export function dueOutbox(h: SqlPort, now: number, limit = 100): OutboxItem[] {
  return h.all(`SELECT * FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= ?
    ORDER BY next_attempt_at, id LIMIT ?`, now, Math.max(0, Math.floor(limit))).map(toItem);
}

export type { ClaimOutcome };

/**
 * Claims an undelivered item for `claimer` until `until`, in one write transaction, so only one process sends it.
 * A live claim of another holder is kept unless `canSteal` says its holder is dead. With `attempts`, the claim
 * fails as `changed` when the item was tried since the caller listed it.
 */
export function claimOutbox(h: SqlPort, id: number, claimer: string, until: number, now: number,
  canSteal: (holder: string) => boolean = () => false, attempts?: number): ClaimOutcome {
  return h.immediate(() => {
    const row = h.get('SELECT delivered_at, attempts, claimed_by, claimed_until FROM outbox WHERE id = ?', id);
    if (!row || row.delivered_at !== null) return 'done';
    const holder = row.claimed_by === null ? null : String(row.claimed_by);
    const live = holder !== null && holder !== claimer && num(row.claimed_until) > now;
    if (live && !canSteal(holder)) return 'held';
    if (attempts !== undefined && num(row.attempts) !== attempts) return 'changed';
    h.run('UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?', claimer, until, id);
    return 'claimed';
  });
}

export function markDelivered(h: SqlPort, id: number, at: number): void {
  h.run('UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL WHERE id = ?', at, id);
}

/** Records a failed attempt and when to try again (the caller picks the backoff). */
export function markFailed(h: SqlPort, id: number, error: string, nextAttemptAt: number, notBefore?: number): void {
  h.run(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL,
    claimed_until = NULL, not_before = ? WHERE id = ?`,
    encText(error.slice(0, MAX_ERROR_CHARS)), nextAttemptAt, notBefore ?? null, id);
}

/** Newest first. */
export function listOutbox(h: SqlPort, opts: { last?: number; pendingOnly?: boolean }): OutboxItem[] {
  const limit = Math.max(0, Math.floor(opts.last ?? 100));
  const sql = opts.pendingOnly
    ? 'SELECT * FROM outbox WHERE delivered_at IS NULL ORDER BY id DESC LIMIT ?'
    : 'SELECT * FROM outbox ORDER BY id DESC LIMIT ?';
  return h.all(sql, limit).map(toItem);
}
