/**
 * The one seam between the store's parts (run-writer, run-reader, outbox-store, lease-store, …) and a database:
 * synchronous queries with `?` placeholders, transactions, and error mapping. Implementations: SqlHandle
 * (better-sqlite3, sql-handle.ts) and PgSqlPort (PostgreSQL over a worker thread, pg/pg-sql-port.ts). The parts
 * write portable SQL; each port translates its dialect's differences (placeholders, `INDEXED BY`, returning ids).
 */
export type Row = Record<string, unknown>;

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlRunResult {
  changes: number;
  /** The new row's `id` (SQLite rowid; PostgreSQL `RETURNING id`), 0 when none. */
  lastInsertRowid: number | bigint;
}

export interface SqlPort {
  readonly dialect: SqlDialect;
  /** Where the data lives, safe to print (a file path, or a database URL without its password). */
  readonly location: string;
  all(sql: string, ...params: unknown[]): Row[];
  get(sql: string, ...params: unknown[]): Row | undefined;
  run(sql: string, ...params: unknown[]): SqlRunResult;
  /** Runs `fn` in a transaction (a savepoint when nested). */
  tx<T>(fn: () => T): T;
  /** Runs `fn` in a transaction that takes the store's write lock first, so racing processes serialise. */
  immediate<T>(fn: () => T): T;
  /** Calls `fn`, mapping database failures to TgCanaryError DB_* codes (argument errors pass through). */
  guard<T>(action: string, fn: () => T): T;
  /** After a prune: gives freed space back and refreshes planner statistics (`changed`: rows were removed). */
  reclaim(changed: boolean): void;
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
}

export function optNum(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}
