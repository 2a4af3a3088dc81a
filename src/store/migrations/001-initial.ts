import type { Migration } from './types.js';

/** Runs and their transcripts. Children cascade from runs so one DELETE removes a run completely. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE runs (
  seq          INTEGER PRIMARY KEY,
  id           TEXT    NOT NULL UNIQUE,
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  verdict      TEXT    NOT NULL DEFAULT 'pending',
  decision     TEXT,
  score        REAL    NOT NULL DEFAULT 0,
  aborted      INTEGER NOT NULL DEFAULT 0,
  revision     TEXT,
  verdict_json TEXT
);
CREATE INDEX runs_started ON runs(started_at);
CREATE INDEX runs_finished_started ON runs(started_at) WHERE finished_at IS NOT NULL;

CREATE TABLE run_targets (
  run_seq     INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,
  target      TEXT    NOT NULL,
  verdict     TEXT    NOT NULL,
  score       REAL    NOT NULL,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY (run_seq, target)
) WITHOUT ROWID;
CREATE INDEX run_targets_success ON run_targets(target, verdict, finished_at);

CREATE TABLE scenario_results (
  id               INTEGER PRIMARY KEY,
  run_seq          INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,
  ord              INTEGER NOT NULL,
  run_started_at   INTEGER NOT NULL,
  scenario         TEXT    NOT NULL,
  suite            TEXT    NOT NULL,
  target           TEXT    NOT NULL,
  bot              TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  score            REAL    NOT NULL,
  started_at       INTEGER NOT NULL,
  finished_at      INTEGER NOT NULL,
  latency_first_ms REAL,
  latency_final_ms REAL,
  error_code       TEXT,
  reasons          TEXT    NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX scenario_results_run ON scenario_results(run_seq, suite, scenario, target);
CREATE INDEX scenario_results_history ON scenario_results(scenario, target, run_started_at);

CREATE TABLE steps (
  id            INTEGER PRIMARY KEY,
  result_id     INTEGER NOT NULL REFERENCES scenario_results(id) ON DELETE CASCADE,
  ord           INTEGER NOT NULL,
  idx           INTEGER NOT NULL,
  kind          TEXT    NOT NULL,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER NOT NULL,
  graded        INTEGER NOT NULL DEFAULT 0,
  sent_id       INTEGER,
  sent_text,
  sent_at       INTEGER,
  reply_json    TEXT,
  detail,
  error_code    TEXT,
  error_message
);
CREATE UNIQUE INDEX steps_result ON steps(result_id, ord);

CREATE TABLE assertion_results (
  id        INTEGER PRIMARY KEY,
  result_id INTEGER NOT NULL REFERENCES scenario_results(id) ON DELETE CASCADE,
  ord       INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  pass      INTEGER NOT NULL,
  score     REAL    NOT NULL,
  weight    REAL    NOT NULL,
  critical  INTEGER NOT NULL,
  reason,
  step      INTEGER NOT NULL
);
CREATE UNIQUE INDEX assertion_results_result ON assertion_results(result_id, ord);

CREATE TABLE facts (
  key    TEXT    NOT NULL,
  target TEXT    NOT NULL,
  value          NOT NULL,
  run_id TEXT    NOT NULL,
  at     INTEGER NOT NULL,
  PRIMARY KEY (key, target)
);
`,
};
