import type { Migration } from '../types.js';

/** PostgreSQL twin of ../008-retried.ts. */
export const pgMigration008: Migration = {
  version: 8,
  name: 'retried',
  sql: `
ALTER TABLE scenario_results ADD COLUMN retried TEXT;
`,
};
