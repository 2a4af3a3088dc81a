import type { Migration } from './types.js';

/**
 * Repeated scenarios (`repeat: N`) store one row per attempt, and each failed attempt keeps the signature of its
 * cause (error text or class), so the verdict can tell a shared outage across runs from a canary regression.
 */
export const migration004: Migration = {
  version: 4,
  name: 'attempts',
  sql: `
ALTER TABLE scenario_results ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scenario_results ADD COLUMN causes TEXT;
DROP INDEX scenario_results_run;
CREATE UNIQUE INDEX scenario_results_run ON scenario_results(run_seq, suite, scenario, target, attempt);
`,
};
