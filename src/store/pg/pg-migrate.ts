/**
 * Schema versions of a PostgreSQL store: table `tg_canary_schema` holds the last migration applied (PostgreSQL has
 * no PRAGMA user_version). Migrating takes an advisory lock, so pods starting together migrate once; a newer or
 * foreign database is reported and never written to.
 */
import { SCHEMA_VERSION } from '../migrations/index.js';
import { PG_MIGRATIONS } from '../migrations/pg/index.js';
import { dbError } from '../sqlite-errors.js';
import { num } from '../sql-port.js';
import type { PgSqlPort } from './pg-sql-port.js';

const MIGRATE_LOCK_KEY = 0x7467636d;
const APPLICATION = 'tg-canary';

/**
 * Read from pg_tables with the statement's snapshot, not through to_regclass: a session's catalog cache may still
 * say "no such table" for one another pod has just created and committed.
 */
function tableExists(port: PgSqlPort, name: string): boolean {
  return port.get('SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?', name)?.n === 1;
}

/** The schema version recorded in the database (0 for an empty one). */
export function pgSchemaVersion(port: PgSqlPort): number {
  if (!tableExists(port, 'tg_canary_schema')) return 0;
  return num(port.get('SELECT version FROM tg_canary_schema WHERE id = 1')?.version);
}

function refuseForeign(port: PgSqlPort): void {
  if (tableExists(port, 'tg_canary_schema') || !tableExists(port, 'runs')) return;
  throw dbError('DB_CORRUPT', `opening ${port.location}: this database holds a table "runs" that tg-canary did not create`,
    'Give tg-canary its own database (or schema); nothing was changed.');
}

function checkVersion(port: PgSqlPort, readonly: boolean): number {
  const version = pgSchemaVersion(port);
  if (version > SCHEMA_VERSION) {
    throw dbError('DB_TOO_NEW', `opening ${port.location}: the database has schema version ${version}, this tg-canary knows up to ${SCHEMA_VERSION}`,
      'It was written by a newer tg-canary. Upgrade tg-canary (nothing was changed in the database).');
  }
  if (readonly && version < SCHEMA_VERSION) {
    refuseForeign(port);
    throw dbError('DB_TOO_OLD', `opening ${port.location} read-only: the database has schema version ${version} and needs migrating to ${SCHEMA_VERSION}`,
      'Run tg-canary once without read-only mode so it can migrate the database.');
  }
  return version;
}

/** Checks the version and applies the missing migrations, in one transaction under the migration lock. */
export function migratePg(port: PgSqlPort, readonly: boolean): void {
  if (checkVersion(port, readonly) >= SCHEMA_VERSION) return;
  port.tx(() => {
    port.get('SELECT pg_advisory_xact_lock(?)', MIGRATE_LOCK_KEY);
    // Under the lock: a pod that read "empty" before another finished migrating must not call it foreign.
    refuseForeign(port);
    if (!tableExists(port, 'tg_canary_schema')) {
      port.exec(`CREATE TABLE tg_canary_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL,
      application TEXT NOT NULL)`);
    }
    port.run('INSERT INTO tg_canary_schema (id, version, application) VALUES (1, 0, ?) ON CONFLICT (id) DO NOTHING', APPLICATION);
    // Re-read under the lock: another pod may have migrated meanwhile.
    const current = pgSchemaVersion(port);
    if (current > SCHEMA_VERSION) {
      throw dbError('DB_TOO_NEW', `the database was upgraded to schema ${current} by a newer tg-canary`, 'Upgrade tg-canary.');
    }
    for (const m of PG_MIGRATIONS) {
      if (m.version <= current) continue;
      port.exec(m.sql);
      port.run('UPDATE tg_canary_schema SET version = ? WHERE id = 1', m.version);
    }
  });
}
