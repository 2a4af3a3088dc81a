/** A database handle with a prepared-statement cache and error mapping; shared by the store's parts. */
import type Database from 'better-sqlite3';
import { mapSqliteError } from './sqlite-errors.js';
import type { Row, SqlPort } from './sql-port.js';

export { num, optNum, type Row, type SqlPort } from './sql-port.js';

/** The SQLite SqlPort (better-sqlite3). */
export class SqlHandle implements SqlPort {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database, readonly path: string) {}

  get location(): string {
    return this.path;
  }

  stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  all(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  get(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** Runs `fn` in a transaction (a savepoint when nested). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction: takes the write lock first, so racing processes serialise. */
  immediate<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.db.transaction(fn)();
    return this.db.transaction(fn).immediate();
  }

  /** Calls `fn`, mapping SQLite failures to TgCanaryError (DB_FULL, DB_UNWRITABLE, DB_BUSY, DB_CORRUPT…). */
  guard<T>(action: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      // Only failures of SQLite or the file system carry a string `code`; argument errors pass through as-is.
      if (typeof (e as { code?: unknown } | null)?.code !== 'string') throw e;
      throw mapSqliteError(e, this.path, action);
    }
  }

  /** Returns free pages to the file system (incremental vacuum + WAL truncate) and runs PRAGMA optimize. */
  reclaim(changed: boolean): void {
    if (changed) {
      this.db.pragma('incremental_vacuum');
      // Copy the WAL back and truncate it so the freed space really returns to the disk (best effort: a
      // reader holding an old snapshot just makes this a partial checkpoint).
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    this.db.pragma('optimize');
  }
}
