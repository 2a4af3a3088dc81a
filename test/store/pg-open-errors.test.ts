/**
 * Opening the PostgreSQL store when something is wrong: each case a TgCanaryError with its code and a hint, and
 * the URL's password in none of them. Also the migrations' parity with SQLite's and the schema checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { isTgCanaryError, type TgCanaryError } from '../../src/core/errors.js';
import { MIGRATIONS, openStore, PostgresRunStore, redactDatabaseUrl, SCHEMA_VERSION } from '../../src/store/index.js';
import { PG_MIGRATIONS } from '../../src/store/migrations/pg/index.js';
import { translateSql } from '../../src/store/pg/pg-sql-port.js';
import { PG_PASSWORD, PG_SKIP_REASON, startPostgres } from '../support/postgres.js';

const cluster = PG_SKIP_REASON ? undefined : await startPostgres();
afterAll(() => cluster?.stop());

function caught(fn: () => unknown): TgCanaryError {
  try {
    fn();
  } catch (e) {
    if (isTgCanaryError(e)) return e;
    throw e;
  }
  throw new Error('expected a TgCanaryError');
}

function expectNoSecret(e: TgCanaryError, secret: string): void {
  expect(`${e.message}\n${e.hint ?? ''}\n${String(e.stack)}`).not.toContain(secret);
}

describe('PostgreSQL migrations and dialect', () => {
  it('mirror the SQLite migrations one for one (same versions and names)', () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toStrictEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    expect(PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version).toBe(SCHEMA_VERSION);
  });

  it('translates placeholders outside quotes, SQLite-only hints, and asks for the new id', () => {
    expect(translateSql("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?")).toBe("SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2");
    expect(translateSql('SELECT 1 FROM s INDEXED BY s_daily CROSS JOIN t ON t.x = s.x')).toBe('SELECT 1 FROM s JOIN t ON t.x = s.x');
    expect(translateSql('INSERT INTO alerts_log (key) VALUES (?)')).toBe('INSERT INTO alerts_log (key) VALUES ($1) RETURNING id');
    expect(translateSql('INSERT INTO runs (id) VALUES (?)')).toBe('INSERT INTO runs (id) VALUES ($1)');
  });

  it('prints URLs without their password', () => {
    expect(redactDatabaseUrl('postgres://u:hunter22@db:5432/x')).toBe('postgres://u:[redacted]@db:5432/x');
    expect(redactDatabaseUrl('postgres://db/x?password=hunter22')).not.toContain('hunter22');
    expect(redactDatabaseUrl('postgres://u:hun ter22@/x%')).not.toContain('hun ter22');
  });

  it('a malformed URL is DB_URL_INVALID naming what is missing, without the password', () => {
    for (const [url, what] of [['postgres://u:hunter22@127.0.0.1:5432/', 'names no database'],
      ['postgres://u:hunter22@127.0.0.1:0/db', 'invalid port'], ['postgres://u:hunter22@127.0.0.1:99999/db', 'not a valid URL'], ['postgres://u:hunter22@[::1/db', 'not a valid URL']] as const) {
      const e = caught(() => openStore(url));
      expect(e.code).toBe('DB_URL_INVALID');
      expect(e.message).toContain(what);
      expect(e.hint).toMatch(/postgres:\/\//);
      expectNoSecret(e, 'hunter22');
    }
  });

  it('nobody listening is DB_UNREACHABLE with a hint, without the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const e = caught(() => openStore(`postgres://u:hunter22@127.0.0.1:${port}/db`));
    expect(e.code).toBe('DB_UNREACHABLE');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.hint).toMatch(/accepts connections from here/);
    expectNoSecret(e, 'hunter22');
  });
});

describe.skipIf(cluster === undefined)('PostgreSQL store: opening a real server', () => {
  if (!cluster) return;

  it('a wrong password is DB_AUTH; neither password appears', () => {
    const url = cluster.url(cluster.createDatabase()).replace(encodeURIComponent(PG_PASSWORD), 'wrong-pw-123');
    const e = caught(() => openStore(url));
    expect(e.code).toBe('DB_AUTH');
    expect(e.kind).toBe('config');
    expectNoSecret(e, 'wrong-pw-123');
    expectNoSecret(e, PG_PASSWORD);
  });

  it('a database that does not exist is DB_NOT_FOUND', () => {
    const e = caught(() => openStore(cluster.url('no_such_db')));
    expect(e.code).toBe('DB_NOT_FOUND');
    expectNoSecret(e, encodeURIComponent(PG_PASSWORD));
  });

  it('a fresh database is migrated to the current version and checks out ok', () => {
    const store = openStore(cluster.url(cluster.createDatabase()));
    expect(store).toBeInstanceOf(PostgresRunStore);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(store.integrityCheck()).toBe('ok');
    expect(store.path).not.toContain(encodeURIComponent(PG_PASSWORD));
    store.close();
  });

  it('a missing table shows in the integrity check', () => {
    const db = cluster.createDatabase();
    openStore(cluster.url(db)).close();
    cluster.psql(db, 'DROP TABLE silences');
    const store = openStore(cluster.url(db));
    expect(store.integrityCheck()).toBe('table silences is missing');
    store.close();
  });

  it('a database of a newer tg-canary is DB_TOO_NEW and left untouched', () => {
    const db = cluster.createDatabase();
    openStore(cluster.url(db)).close();
    cluster.psql(db, 'UPDATE tg_canary_schema SET version = 99');
    const e = caught(() => openStore(cluster.url(db)));
    expect(e.code).toBe('DB_TOO_NEW');
    expect(cluster.psql(db, 'SELECT version FROM tg_canary_schema').trim()).toBe('99');
  });

  it('a database holding another application\'s "runs" table is refused (DB_CORRUPT), nothing created', () => {
    const db = cluster.createDatabase();
    cluster.psql(db, 'CREATE TABLE runs (x int)');
    expect(caught(() => openStore(cluster.url(db))).code).toBe('DB_CORRUPT');
    expect(cluster.psql(db, "SELECT to_regclass('tg_canary_schema') IS NULL").trim()).toBe('t');
  });

  it('read-only: an unmigrated database is DB_TOO_OLD; a migrated one reads but refuses writes (DB_UNWRITABLE)', () => {
    const db = cluster.createDatabase();
    expect(caught(() => openStore(cluster.url(db), { readonly: true })).code).toBe('DB_TOO_OLD');
    openStore(cluster.url(db)).close();
    const ro = openStore(cluster.url(db), { readonly: true });
    expect(ro.listRuns({})).toStrictEqual([]);
    expect(caught(() => ro.beginRun({ runId: 'r1', startedAt: 1 })).code).toBe('DB_UNWRITABLE');
    ro.close();
  });

  it('a server that goes away mid-life turns the next call into DB_UNREACHABLE', () => {
    const db = cluster.createDatabase();
    const store = openStore(cluster.url(db));
    store.beginRun({ runId: 'r1', startedAt: 1 });
    cluster.psql('postgres', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()`);
    const e = caught(() => store.listRuns({}));
    expect(e.code).toBe('DB_UNREACHABLE');
    store.close();
  });
});
