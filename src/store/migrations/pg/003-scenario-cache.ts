import type { Migration } from '../types.js';

/** PostgreSQL twin of ../003-scenario-cache.ts. */
export const pgMigration003: Migration = {
  version: 3,
  name: 'scenario-cache',
  sql: `
CREATE TABLE scenario_cache (
  key       TEXT COLLATE "C" PRIMARY KEY,
  scenarios TEXT NOT NULL,
  saved_at  DOUBLE PRECISION NOT NULL
);
`,
};
