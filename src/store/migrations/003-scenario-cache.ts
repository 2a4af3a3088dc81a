import type { Migration } from './types.js';

/**
 * The last validated scenario set, keyed by a hash of the scenario files and the build that validated them, so
 * an hourly `run` with unchanged files skips YAML parsing and validation (bench/cold-start.mjs, issue 7 row 2).
 * Derived data: dropping the row only costs one slower start.
 */
export const migration003: Migration = {
  version: 3,
  name: 'scenario-cache',
  sql: `
CREATE TABLE scenario_cache (
  key       TEXT    PRIMARY KEY,
  scenarios TEXT    NOT NULL,
  saved_at  INTEGER NOT NULL
);
`,
};
