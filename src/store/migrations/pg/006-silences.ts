import type { Migration } from '../types.js';

/** PostgreSQL twin of ../006-silences.ts (the daily-history index keeps its name; PostgreSQL picks it itself). */
export const pgMigration006: Migration = {
  version: 6,
  name: 'silences-and-daily-history',
  sql: `
CREATE TABLE silences (
  id          TEXT COLLATE "C" PRIMARY KEY,
  created_at  DOUBLE PRECISION NOT NULL,
  starts_at   DOUBLE PRECISION NOT NULL,
  ends_at     DOUBLE PRECISION NOT NULL,
  expired_at  DOUBLE PRECISION,
  target      TEXT,
  suite       TEXT,
  scenario    TEXT,
  reason      TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX silences_ends ON silences(ends_at);
CREATE INDEX scenario_results_daily ON scenario_results(run_started_at, target, suite, run_seq, status, latency_final_ms);
`,
};
