/**
 * Maps better-sqlite3 / file-system failures to TgCanaryError with a stable code and a hint.
 * Messages name the database path but never its contents.
 */
import { TgCanaryError } from '../core/errors.js';

export const DB_ERROR_CODES = [
  'DB_CORRUPT',
  'DB_TOO_NEW',
  'DB_TOO_OLD',
  'DB_NOT_FOUND',
  'DB_UNWRITABLE',
  'DB_FULL',
  'DB_BUSY',
  'DB_ERROR',
  'DB_URL_INVALID',
  'DB_UNREACHABLE',
  'DB_AUTH',
] as const;
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

function codeOf(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return '';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function dbError(code: DbErrorCode, message: string, hint: string, cause?: unknown): TgCanaryError {
  const kind = code === 'DB_TOO_NEW' || code === 'DB_TOO_OLD' || code === 'DB_NOT_FOUND' || code === 'DB_URL_INVALID' ||
    code === 'DB_AUTH' ? 'config' : 'infra';
  return new TgCanaryError(code, message, { kind, hint, cause });
}

/** Turns any error thrown while using the database at `path` into a TgCanaryError (passes those through). */
export function mapSqliteError(e: unknown, path: string, action: string): TgCanaryError {
  if (e instanceof TgCanaryError) return e;
  const code = codeOf(e);
  const msg = messageOf(e);
  const where = `${action} ${path}`;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return dbError(
      'DB_CORRUPT',
      `${where}: the file is not a tg-canary SQLite database or is corrupt (${msg})`,
      'Check the --db path. Nothing was overwritten; move the file away to start a fresh history, or restore a backup.',
      e,
    );
  }
  // SQLITE_IOERR_SHMSIZE: the -shm file of WAL mode could not be grown, in practice because the disk is full.
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || /ENOSPC/.test(code)) {
    return dbError('DB_FULL', `${where}: the disk or database is full (${msg})`,
      'Free disk space, lower --keep-days to prune older runs, or move the database to a larger volume.', e);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') ||
      code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOENT' ||
      /directory does not exist/.test(msg)) {
    return dbError('DB_UNWRITABLE', `${where}: the database cannot be opened for writing (${code || msg})`,
      'Make sure the directory exists and is writable by this user (the file needs read/write access, and its ' +
      'directory too for the -wal and -shm files), or point --db at a writable location.', e);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return dbError('DB_UNWRITABLE', `${where}: disk I/O error (${code})`,
      'Check the volume (free space, permissions, a network file system that does not support locking).', e);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return dbError('DB_BUSY', `${where}: the database stayed locked by another process (${code})`,
      'Another tg-canary process may be writing; retry later or check for a stuck process.', e);
  }
  return dbError('DB_ERROR', `${where}: ${msg}`, 'This is likely a bug in tg-canary; please report it with the log.', e);
}
