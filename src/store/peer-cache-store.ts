/** Resolved bots per account (the peer cache role): one row per account and username, replaced on each save. */
import { peerCacheKey, type CachedPeer } from '../core/store-ports.js';
import type { SqlPort } from './sql-port.js';

export function cachedPeer(h: SqlPort, account: string, username: string): CachedPeer | undefined {
  const row = h.get('SELECT user_id, access_hash, resolved_at FROM peer_cache WHERE account = ? AND username = ?', account, peerCacheKey(username));
  return row ? { userId: String(row.user_id), accessHash: String(row.access_hash), resolvedAt: Number(row.resolved_at) } : undefined;
}

export function savePeer(h: SqlPort, account: string, username: string, peer: { userId: string; accessHash: string }, now: number): void {
  h.run(`INSERT INTO peer_cache (account, username, user_id, access_hash, resolved_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(account, username) DO UPDATE SET user_id = excluded.user_id, access_hash = excluded.access_hash,
      resolved_at = excluded.resolved_at`, account, peerCacheKey(username), peer.userId, peer.accessHash, now);
}

export function forgetPeer(h: SqlPort, account: string, username: string): boolean {
  return h.run('DELETE FROM peer_cache WHERE account = ? AND username = ?', account, peerCacheKey(username)).changes > 0;
}
