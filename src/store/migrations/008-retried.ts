import type { Migration } from './types.js';

/**
 * Retry before alerting (issue 17): a scenario re-run once after failing keeps its first outcome and the retry's
 * status (JSON `{ firstStatus, firstReasons, retryStatus }`), so a pass on retry is stored and shown as flaky.
 */
export const migration008: Migration = {
  version: 8,
  name: 'retried',
  sql: `
ALTER TABLE scenario_results ADD COLUMN retried TEXT;
`,
};
