export { openStore, SqliteRunStore, retentionCutoff, DEFAULT_KEEP_DAYS, type OpenStoreOptions } from './sqlite-run-store.js';
export type { StatusSnapshot, TargetStatus, SuiteStatus, TrendPoint } from './status-snapshot.js';
export type { AlertLogEntry, LeaseInfo, PendingRun, PruneResult } from '../core/ports.js';
export { summarizeScenarioHistory, type ScenarioStats } from './history-stats.js';
export { SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';
export { APPLICATION_ID } from './open-database.js';
export { DB_ERROR_CODES, type DbErrorCode } from './sqlite-errors.js';
export { isWellFormed } from './text-codec.js';
