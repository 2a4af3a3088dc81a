/** Silences in SQLite (migration 006): add, expire, list. Matchers left NULL match anything. */
import type { Matchers, Silence } from '../core/maintenance.js';
import type { TargetName } from '../core/types.js';
import { num, optNum, type Row, type SqlPort } from './sql-port.js';

function toSilence(r: Row): Silence {
  const matchers: Matchers = {};
  if (r.target !== null) matchers.target = String(r.target) as TargetName;
  if (r.suite !== null) matchers.suite = String(r.suite);
  if (r.scenario !== null) matchers.scenario = String(r.scenario);
  return {
    id: String(r.id), createdAt: num(r.created_at), startsAt: num(r.starts_at), endsAt: num(r.ends_at),
    expiredAt: optNum(r.expired_at), matchers, reason: String(r.reason), createdBy: String(r.created_by),
  };
}

export function addSilence(h: SqlPort, s: Silence): void {
  h.run(`INSERT INTO silences (id, created_at, starts_at, ends_at, expired_at, target, suite, scenario, reason, created_by)
    VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`, s.id, s.createdAt, s.startsAt, s.endsAt,
  s.matchers.target ?? null, s.matchers.suite ?? null, s.matchers.scenario ?? null, s.reason, s.createdBy);
}

/** Ends a silence now; false when there is no such silence or it already ended. */
export function expireSilence(h: SqlPort, id: string, at: number): boolean {
  return h.run('UPDATE silences SET expired_at = ? WHERE id = ? AND expired_at IS NULL AND ends_at > ?', at, id, at).changes > 0;
}

/** Silences that have not ended by `now` (active or future), and, with `recentMs`, those that ended since then. */
export function listSilences(h: SqlPort, now: number, recentMs = 0): Silence[] {
  const since = now - Math.max(0, recentMs);
  return h.all(`SELECT * FROM silences WHERE coalesce(expired_at, ends_at) > ? ORDER BY starts_at, id LIMIT 1000`, since)
    .map(toSilence);
}

export function pruneSilences(h: SqlPort, olderThan: number): number {
  return h.run('DELETE FROM silences WHERE coalesce(expired_at, ends_at) < ?', olderThan).changes;
}
