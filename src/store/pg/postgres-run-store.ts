/**
 * The PostgreSQL store: every store role (../sql-run-store.ts, the same parts and SQL as SQLite) over a PostgreSQL
 * database that several processes or pods share (issue 19 point 5). The ports are synchronous, so each handle
 * talks to PostgreSQL through a worker thread (pg-bridge.ts); the outbox claim, the session lease and the scenario
 * cache take the store's advisory write lock, as SQLite's BEGIN IMMEDIATE does.
 */
import type { Clock } from '../../core/ports.js';
import { SCHEMA_VERSION } from '../migrations/index.js';
import { SqlRunStore } from '../sql-run-store.js';
import { migratePg, pgSchemaVersion } from './pg-migrate.js';
import { PgSqlPort, type PgPortOptions } from './pg-sql-port.js';
import { checkPgUrl } from './pg-url.js';

export { isPostgresUrl, redactDatabaseUrl } from './pg-url.js';

const TABLES = ['runs', 'run_targets', 'scenario_results', 'steps', 'assertion_results', 'facts', 'outbox', 'alert_state',
  'alerts_log', 'leases', 'scenario_cache', 'silences', 'peer_cache'];

export interface OpenPgStoreOptions extends PgPortOptions {
  clock?: Clock;
  /**
   * The schema the store's tables live in (created when missing), e.g. one per fleet pair on a shared database;
   * default the connection's `current_schema()` (usually `public`).
   */
  schema?: string;
}

/** A schema name a fleet pair's store may use: lower-case letters, digits, underscores (quoted anyway). */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresRunStore extends SqlRunStore {
  private readonly pg: PgSqlPort;

  constructor(port: PgSqlPort, readonly: boolean, clock?: Clock) {
    super(port, readonly, clock);
    this.pg = port;
  }

  /** "ok", or the store's tables that are missing and the schema version when it is not the current one. */
  integrityCheck(): string {
    return this.pg.guard('checking', () => {
      const problems = TABLES.filter((t) => this.pg.get('SELECT to_regclass(?) IS NOT NULL AS present', t)?.present !== true)
        .map((t) => `table ${t} is missing`);
      const version = pgSchemaVersion(this.pg);
      if (version !== SCHEMA_VERSION) problems.push(`schema version ${version}, expected ${SCHEMA_VERSION}`);
      return problems.length ? problems.join('\n') : 'ok';
    });
  }

  schemaVersion(): number {
    return this.pg.guard('reading', () => pgSchemaVersion(this.pg));
  }

  close(): void {
    this.pg.close();
  }
}

/** Connects to the database at `url`, checks and migrates its schema. Throws TgCanaryError DB_* codes with hints. */
export function openPostgresStore(url: string, opts: OpenPgStoreOptions = {}): PostgresRunStore {
  const target = checkPgUrl(url);
  const port = PgSqlPort.connect(target, opts);
  try {
    if (opts.schema !== undefined) {
      const schema = opts.schema;
      if (!SCHEMA_RE.test(schema)) throw new RangeError(`not a schema name: ${JSON.stringify(schema)}`);
      port.guard('opening', () => {
        if (opts.readonly !== true) port.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        port.exec(`SET search_path TO "${schema}"`);
      });
    }
    port.guard('opening', () => migratePg(port, opts.readonly === true));
  } catch (e) {
    port.close();
    throw e;
  }
  return new PostgresRunStore(port, opts.readonly === true, opts.clock);
}
