/**
 * The better-sqlite3 store: every store role (sql-run-store.ts) over a SQLite file, plus SQLite's integrity check,
 * schema version (PRAGMA user_version) and close. `openStore` opens this, or the PostgreSQL store for a
 * `postgres://` URL.
 */
import type { Clock } from '../core/ports.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { SqlHandle } from './sql-handle.js';
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

export class SqliteRunStore extends SqlRunStore {
  private readonly sqlite: SqlHandle;

  constructor(path: string, opts: OpenStoreOptions = {}) {
    const db = openDatabase(path, opts);
    const h = new SqlHandle(db, db.name);
    super(h, db.readonly, opts.clock);
    this.sqlite = h;
  }

  /** `PRAGMA integrity_check`: "ok" or the problems found, one per line. */
  integrityCheck(): string {
    return this.h.guard('checking', () =>
      (this.sqlite.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n'));
  }
  /** Schema version (PRAGMA user_version). */
  schemaVersion(): number {
    return this.sqlite.db.pragma('user_version', { simple: true }) as number;
  }
  close(): void {
    if (!this.sqlite.db.open) return;
    if (!this.readonly) {
      try {
        this.sqlite.db.pragma('optimize');
      } catch {
        // best effort: closing must not fail because the disk is full
      }
    }
    this.sqlite.db.close();
  }
}
