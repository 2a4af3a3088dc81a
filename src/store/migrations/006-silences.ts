import type { Migration } from './types.js';

/**
 * Silences (issue 17): ad-hoc mutes of alerts with Alertmanager-style matchers (target / suite / scenario; NULL
 * matches anything), from `tg-canary silence` or `POST /v1/silences`. `expired_at` ends one early; rows are kept
 * (the status page and `silence --list` show recent ones) and pruned with the runs. Also a covering index for
 * the status page's 90-day history.
 */
export const migration006: Migration = {
  version: 6,
  name: 'silences-and-daily-history',
  sql: `
CREATE TABLE silences (
  id          TEXT    PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  expired_at  INTEGER,
  target      TEXT,
  suite       TEXT,
  scenario    TEXT,
  reason      TEXT    NOT NULL,
  created_by  TEXT    NOT NULL
);
CREATE INDEX silences_ends ON silences(ends_at);
-- the status page's daily history reads a range of days from this index alone (no table lookups)
CREATE INDEX scenario_results_daily ON scenario_results(run_started_at, target, suite, run_seq, status, latency_final_ms);
`,
};
