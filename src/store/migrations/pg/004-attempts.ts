import type { Migration } from '../types.js';

/** PostgreSQL twin of ../004-attempts.ts. */
export const pgMigration004: Migration = {
  version: 4,
  name: 'attempts',
  sql: `
ALTER TABLE scenario_results ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scenario_results ADD COLUMN causes TEXT;
DROP INDEX scenario_results_run;
CREATE UNIQUE INDEX scenario_results_run ON scenario_results(run_seq, suite, scenario, target, attempt);
`,
};
