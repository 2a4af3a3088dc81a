/** PostgreSQL connection URLs: recognising one, checking it, and printing it without its password. */
import { dbError } from '../sqlite-errors.js';

const PG_URL = /^postgres(ql)?:\/\//i;
const REDACTED = '[redacted]';

/** True for `postgres://…` and `postgresql://…` (the store location is then a PostgreSQL URL, not a file). */
export function isPostgresUrl(location: string): boolean {
  return PG_URL.test(location.trim());
}

/** The URL with its password (and a `password=` query parameter) replaced; never throws. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    if (u.password) u.password = REDACTED;
    if (u.searchParams.has('password')) u.searchParams.set('password', REDACTED);
    return u.toString().replace(encodeURIComponent(REDACTED), REDACTED);
  } catch {
    return url.replace(/\/\/[^@/]*@/, `//${REDACTED}@`).replace(/password=[^&]*/gi, `password=${REDACTED}`);
  }
}

export interface CheckedPgUrl {
  url: string;
  /** Safe to print. */
  display: string;
  /** The password as written (empty when none): scrubbed from every error message. */
  password: string;
}

/** Checks the shape of a PostgreSQL URL; DB_URL_INVALID names what is wrong (never the password). */
export function checkPgUrl(raw: string): CheckedPgUrl {
  const url = raw.trim();
  const display = redactDatabaseUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw dbError('DB_URL_INVALID', `the database URL ${display} is not a valid URL`,
      'Use postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special characters in the password).');
  }
  if (!u.hostname && !u.searchParams.has('host')) {
    throw dbError('DB_URL_INVALID', `the database URL ${display} names no host`,
      'Use postgres://USER:PASSWORD@HOST:PORT/DATABASE.');
  }
  if (u.port !== '' && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) {
    throw dbError('DB_URL_INVALID', `the database URL ${display} has an invalid port`, 'Use a port between 1 and 65535 (default 5432): postgres://USER:PASSWORD@HOST:PORT/DATABASE.');
  }
  if (u.pathname.replace(/^\//, '') === '') {
    throw dbError('DB_URL_INVALID', `the database URL ${display} names no database`,
      'Add the database name as the path: postgres://USER:PASSWORD@HOST:PORT/DATABASE.');
  }
  let password = '';
  try {
    password = decodeURIComponent(u.password);
  } catch {
    password = u.password;
  }
  return { url, display, password };
}
