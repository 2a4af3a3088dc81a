import type { Migration } from './types.js';

/**
 * Silences (issue 17): ad-hoc mutes of alerts with Alertmanager-style matchers (target / suite / scenario; NULL
 * matches anything), from `tg-canary silence` or `POST /v1/silences`. `expired_at` ends one early; rows are kept
 * (the status page and `silence --list` show recent ones) and pruned with the runs.
 */
export const migration006: Migration = {
  version: 6,
  name: 'silences',
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
`,
};
