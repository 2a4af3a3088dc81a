/**
 * Opens (creating if needed) the tg-canary SQLite database: safe file modes, pragmas, and numbered migrations
 * tracked in `PRAGMA user_version`. A newer or foreign database is reported and never written to.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { dbError, mapSqliteError } from './sqlite-errors.js';

export type SqliteDb = Database.Database;

/** 'tgcn' — marks the file as a tg-canary database (PRAGMA application_id). */
export const APPLICATION_ID = 0x7467636e;

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** How long to wait for another process's lock before DB_BUSY (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Hard cap on the file size; writes past it fail with DB_FULL (PRAGMA max_page_count). */
  maxSizeBytes?: number;
  /**
   * `PRAGMA quick_check` at open, so a damaged file is DB_CORRUPT before a run starts rather than a failure in
   * the middle of storing it (default on for files opened for writing; bench/open-integrity.mjs measures it).
   */
  integrityCheck?: boolean;
}

/** Runs `PRAGMA quick_check`; throws DB_CORRUPT naming the first problems. */
export function quickCheck(db: SqliteDb, path: string): void {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length === 0) return;
  throw dbError('DB_CORRUPT', `opening ${path}: the database is damaged (${problems.join('; ').slice(0, 300)})`,
    'Nothing was overwritten; move the file away to start a fresh history, or restore a backup ' +
    '(`sqlite3 FILE ".recover"` may save most of it).');
}

/**
 * mkdir -p with mode 0700 on each directory it creates. Done by hand: Node's `recursive: true` spins forever
 * on some virtual file systems (e.g. a path under /proc), where each mkdir fails with ENOENT.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let cur = dir;
  while (!existsSync(cur)) {
    missing.unshift(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing) {
    mkdirSync(d, { mode: 0o700 });
    chmodSync(d, 0o700);
  }
}

function prepareFile(path: string): void {
  const dir = dirname(path);
  try {
    makeDirs(dir);
    if (!existsSync(path)) {
      const fd = openSync(path, 'wx', 0o600);
      closeSync(fd);
      chmodSync(path, 0o600);
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return;
    throw mapSqliteError(e, path, 'creating');
  }
}

function hasTables(db: SqliteDb): boolean {
  return db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() !== 0;
}

function checkVersion(db: SqliteDb, path: string, readonly: boolean): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  if ((appId !== 0 && appId !== APPLICATION_ID) || (version === 0 && hasTables(db))) {
    throw dbError('DB_CORRUPT', `opening ${path}: this SQLite file belongs to another application`,
      'Check the --db path. Nothing was changed; point tg-canary at its own database file.');
  }
  if (version > SCHEMA_VERSION) {
    throw dbError('DB_TOO_NEW',
      `opening ${path}: the database has schema version ${version}, this tg-canary knows up to ${SCHEMA_VERSION}`,
      'It was written by a newer tg-canary. Upgrade tg-canary (nothing was changed in the file).');
  }
  if (readonly && version < SCHEMA_VERSION) {
    throw dbError('DB_TOO_OLD',
      `opening ${path} read-only: the database has schema version ${version} and needs migrating to ${SCHEMA_VERSION}`,
      'Run tg-canary once without read-only mode so it can migrate the database.');
  }
  return version;
}

function migrate(db: SqliteDb): void {
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw dbError('DB_TOO_NEW', `the database was upgraded to schema ${current} by a newer tg-canary`,
        'Upgrade tg-canary.');
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }).immediate();
}

export function openDatabase(pathIn: string, opts: OpenDatabaseOptions = {}): SqliteDb {
  const memory = pathIn === ':memory:';
  const path = memory ? pathIn : resolve(pathIn);
  const readonly = opts.readonly === true;
  if (!memory) {
    if (readonly && !existsSync(path)) {
      throw dbError('DB_NOT_FOUND', `opening ${path}: no database file there`,
        'Check the --db path, or run tg-canary once to create it.');
    }
  }
  // A file this call creates is removed again when it cannot be set up (a full disk left a zero-length file).
  const created = !memory && !readonly && !existsSync(path);
  if (!memory && !readonly) prepareFile(path);
  let db: SqliteDb;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (e) {
    const err = mapSqliteError(e, path, 'opening');
    if (created) removeCreated(path, err.code);
    throw err;
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    const version = checkVersion(db, path, readonly);
    if (readonly) {
      db.pragma('foreign_keys = ON');
      return db;
    }
    if (opts.integrityCheck !== false && version > 0) quickCheck(db, path);
    if (version === 0) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (opts.maxSizeBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxSizeBytes / pageSize))}`);
    }
    if (version < SCHEMA_VERSION) migrate(db);
    return db;
  } catch (e) {
    db.close();
    const err = mapSqliteError(e, path, 'opening');
    if (created) removeCreated(path, err.code);
    throw err;
  }
}

/**
 * Removes a database file (and its WAL/SHM/journal) that this process created and could not set up because the
 * disk is full or unwritable, while the file is still empty (so never one another process has begun to use).
 */
function removeCreated(path: string, code: string): void {
  if (code !== 'DB_FULL' && code !== 'DB_UNWRITABLE') return;
  try {
    if (statSync(path).size !== 0) return;
  } catch {
    return;
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      unlinkSync(f);
    } catch {
      // already gone, or never created
    }
  }
}
