import type { Migration } from './types.js';

/** Delivery outbox, alert state (so a restart does not re-page), alert log and process leases. */
export const migration002: Migration = {
  version: 2,
  name: 'delivery',
  sql: `
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  channel         TEXT    NOT NULL,
  dedupe_key      TEXT    NOT NULL UNIQUE,
  payload                 NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error,
  delivered_at    INTEGER
);
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE delivered_at IS NULL;

CREATE TABLE alert_state (
  key              TEXT    PRIMARY KEY,
  state            TEXT    NOT NULL,
  since            INTEGER NOT NULL,
  last_notified_at INTEGER,
  failures         INTEGER NOT NULL,
  successes        INTEGER NOT NULL,
  alert_id         INTEGER
);

CREATE TABLE alerts_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  key     TEXT    NOT NULL,
  kind    TEXT    NOT NULL,
  run_id  TEXT,
  at      INTEGER NOT NULL,
  subject
);
CREATE INDEX alerts_log_at ON alerts_log(at);

CREATE TABLE leases (
  name        TEXT    PRIMARY KEY,
  holder      TEXT    NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
`,
};
