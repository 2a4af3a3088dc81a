import type { Migration } from './types.js';

/**
 * Who is working on what (issue 15): the process that runs a run (`host:pid`, so a run left pending by a dead
 * process can be closed as aborted), and the process that is delivering an outbox item with how long its claim
 * holds (so two processes never send one item at once), and the earliest retry the receiver allowed (its
 * Retry-After), which even a new run's retry-everything pass respects.
 */
export const migration005: Migration = {
  version: 5,
  name: 'ownership',
  sql: `
ALTER TABLE runs ADD COLUMN owner TEXT;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN not_before INTEGER;
CREATE INDEX runs_pending ON runs(started_at) WHERE finished_at IS NULL;
`,
};
