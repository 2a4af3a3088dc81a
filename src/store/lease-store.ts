/**
 * Leases in SQLite so two tg-canary processes never drive one Telegram session at once. Every change runs in
 * a BEGIN IMMEDIATE transaction (the write lock is taken before the read), so racing processes serialise.
 * An expired lease (its holder crashed) can be taken over by anyone.
 */
import type { LeaseInfo } from '../core/ports.js';
import { num, type SqlPort } from './sql-port.js';

export type { LeaseInfo };

function ttl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('lease ttlMs must be a positive number');
  return Math.floor(ttlMs);
}

/**
 * Takes the lease when it is free, expired, already ours, or held by a holder `isDead` says is gone (a crashed
 * process on this host: checked inside the write transaction, so two waiters never both take it over).
 */
export function acquireLease(h: SqlPort, name: string, holder: string, ttlMs: number, now: number,
  isDead: (holder: string) => boolean = () => false): boolean {
  const span = ttl(ttlMs);
  return h.immediate(() => {
    const row = h.get('SELECT holder, expires_at FROM leases WHERE name = ?', name);
    if (row && String(row.holder) !== holder && num(row.expires_at) > now && !isDead(String(row.holder))) return false;
    h.run(`INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
      expires_at = excluded.expires_at`, name, holder, now, now + span);
    return true;
  });
}

/** Extends a lease this holder still has; false when someone else took it over (stop using the session). */
export function renewLease(h: SqlPort, name: string, holder: string, ttlMs: number, now: number): boolean {
  const span = ttl(ttlMs);
  return h.immediate(() => h.run('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?',
    now + span, name, holder).changes === 1);
}

/** Gives the lease up; true when this holder had it. */
export function releaseLease(h: SqlPort, name: string, holder: string): boolean {
  return h.immediate(() => h.run('DELETE FROM leases WHERE name = ? AND holder = ?', name, holder).changes === 1);
}

/** The live holder, or undefined when the lease is free or expired. */
export function leaseHolder(h: SqlPort, name: string, now: number): LeaseInfo | undefined {
  const row = h.get('SELECT holder, expires_at FROM leases WHERE name = ? AND expires_at > ?', name, now);
  return row ? { holder: String(row.holder), expiresAt: num(row.expires_at) } : undefined;
}
