/** Opens the run store a config names: a SQLite file path, or a `postgres://` URL for the PostgreSQL store. */
import { isPostgresUrl, openPostgresStore } from './pg/postgres-run-store.js';
import type { SqlRunStore } from './sql-run-store.js';
import { SqliteRunStore, type OpenStoreOptions } from './sqlite-run-store.js';

/**
 * Opens (creating, migrating) the run store at `location`: a SQLite file path, or a `postgres://` /
 * `postgresql://` URL (the PostgreSQL store several processes or pods share). Throws TgCanaryError DB_* codes
 * with hints; a URL's password never appears in them.
 */
export function openStore(location: string, opts: OpenStoreOptions & { pgSchema?: string } = {}): SqlRunStore {
  if (isPostgresUrl(location)) return openPostgresStore(location, { ...opts, schema: opts.pgSchema });
  return new SqliteRunStore(location, opts);
}
