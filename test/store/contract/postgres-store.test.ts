/**
 * The store contract against the PostgreSQL store: a real PostgreSQL 15 (test/support/postgres.ts), one fresh
 * database per test, one connection per handle (each handle is "another process" on the same database).
 */
import { afterAll, describe } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { PG_SKIP_REASON, startPostgres } from '../../support/postgres.js';
import { describeRunStoreContract } from './run-store-contract.js';

const cluster = PG_SKIP_REASON ? undefined : await startPostgres();
afterAll(() => cluster?.stop());

describe.skipIf(cluster === undefined)('PostgreSQL store (needs PostgreSQL 15)', () => {
  if (!cluster) return;
  describeRunStoreContract('PostgresRunStore', (clock) => {
    const db = cluster.createDatabase();
    const url = cluster.url(db);
    return { open: () => openStore(url, { clock }), cleanup: () => cluster.dropDatabase(db) };
  });
});
