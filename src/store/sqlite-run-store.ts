/**
 * The better-sqlite3 store: every store role (sql-run-store.ts) over a SQLite file, plus SQLite's integrity check,
 * schema version (PRAGMA user_version) and close. `openStore` opens this, or the PostgreSQL store for a
 * `postgres://` URL.
 */
import type { Clock } from '../core/ports.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { SqlHandle } from './sql-handle.js';
import type { SqlPort } from './sql-port.js';
import { SqlRunStore } from './sql-run-store.js';

export const DEFAULT_KEEP_DAYS = 90;
const DAY_MS = 86_400_000;

/** Cut-off for `prune`: runs started before it are removed (`--keep-days`, default 90). */
export function retentionCutoff(now: number, keepDays: number = DEFAULT_KEEP_DAYS): number {
  return now - Math.max(0, keepDays) * DAY_MS;
}

export interface OpenStoreOptions extends OpenDatabaseOptions {
  clock?: Clock;
}

/** The better-sqlite3 handle under a SQLite store's port. */
function sqliteOf(h: SqlPort): SqlHandle {
  if (!(h instanceof SqlHandle)) throw new TypeError('a SqliteRunStore runs on a SqlHandle');
  return h;
}

/**
 * Adds no members of its own (only methods), so a `SqlRunStore` from `openStore` can be used where code still
 * names this class.
 */
export class SqliteRunStore extends SqlRunStore {
  constructor(path: string, opts: OpenStoreOptions = {}) {
    const db = openDatabase(path, opts);
    super(new SqlHandle(db, db.name), db.readonly, opts.clock);
  }

  /** `PRAGMA integrity_check`: "ok" or the problems found, one per line. */
  integrityCheck(): string {
    return this.h.guard('checking', () =>
      (sqliteOf(this.h).db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n'));
  }
  /** Schema version (PRAGMA user_version). */
  schemaVersion(): number {
    return sqliteOf(this.h).db.pragma('user_version', { simple: true }) as number;
  }
  close(): void {
    if (!sqliteOf(this.h).db.open) return;
    if (!this.readonly) {
      try {
        sqliteOf(this.h).db.pragma('optimize');
      } catch {
        // best effort: closing must not fail because the disk is full
      }
    }
    sqliteOf(this.h).db.close();
  }
}
