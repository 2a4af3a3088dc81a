import type { Migration } from '../types.js';

/** PostgreSQL twin of ../005-ownership.ts. */
export const pgMigration005: Migration = {
  version: 5,
  name: 'ownership',
  sql: `
ALTER TABLE runs ADD COLUMN owner TEXT;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until DOUBLE PRECISION;
ALTER TABLE outbox ADD COLUMN not_before DOUBLE PRECISION;
CREATE INDEX runs_pending ON runs(started_at) WHERE finished_at IS NULL;
`,
};
