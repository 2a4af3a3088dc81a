/**
 * Maps PostgreSQL failures (SQLSTATE codes, or Node socket codes when the server cannot be reached) to the store's
 * DB_* codes with hints. Messages name the URL without its password, and the password is scrubbed from the
 * server's text as well.
 */
import type { TgCanaryError } from '../../core/errors.js';
import { dbError } from '../sqlite-errors.js';
import type { PgFailure } from './pg-protocol.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('[redacted]');
  return out.slice(0, 500);
}

/** Turns a failure of the PostgreSQL store at `display` (while `action`) into a TgCanaryError. */
export function mapPgError(f: PgFailure, display: string, action: string, secrets: readonly string[]): TgCanaryError {
  const code = f.code ?? '';
  const msg = scrub(f.message, secrets);
  const where = `${action} ${display}`;
  if (UNREACHABLE.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' ||
      /timeout expired|Connection terminated|connect ETIMEDOUT/i.test(f.message)) {
    return dbError('DB_UNREACHABLE', `${where}: PostgreSQL cannot be reached (${code || msg})`,
      'Check that PostgreSQL runs and accepts connections from here: host and port in TG_CANARY_DATABASE_URL, ' +
      'a NetworkPolicy, the server\'s listen_addresses. The run is not judged without its store.');
  }
  if (code === '28P01' || code === '28000') {
    return dbError('DB_AUTH', `${where}: PostgreSQL refused the login (${msg})`,
      'Check the user and password in TG_CANARY_DATABASE_URL (percent-encoded) and the server\'s pg_hba.conf.');
  }
  if (code === '3D000') {
    return dbError('DB_NOT_FOUND', `${where}: the database does not exist (${msg})`,
      'Create it first (`createdb NAME`, or CREATE DATABASE), then point TG_CANARY_DATABASE_URL at it.');
  }
  if (code === '42501') {
    return dbError('DB_UNWRITABLE', `${where}: permission denied (${msg})`,
      'Grant the user CREATE on the schema (migrations create tables) and read/write on its tables.');
  }
  if (code === '25006') {
    return dbError('DB_UNWRITABLE', `${where}: the database is read-only here (${msg})`,
      'Point TG_CANARY_DATABASE_URL at the primary, not a read replica.');
  }
  if (code === '53100' || code === '53200' || code === '53300') {
    return dbError('DB_FULL', `${where}: the PostgreSQL server is out of resources (${code}: ${msg})`,
      'Free disk space on the server, lower --keep-days, or raise max_connections.');
  }
  if (code === '55P03' || code === '40P01' || code === '40001' || code === '57014') {
    return dbError('DB_BUSY', `${where}: the database stayed locked by another process (${code})`,
      'Another tg-canary process may be writing; retry later or check for a stuck session (pg_stat_activity).');
  }
  return dbError('DB_ERROR', `${where}: ${msg}${code ? ` (${code})` : ''}`,
    'This is likely a bug in tg-canary; please report it with the log.');
}
