/**
 * The PostgreSQL migrations: one per SQLite migration, same numbers and names (the SQLite list, ../index.ts, is
 * the source of truth; test/store/pg-migrations.test.ts checks they stay in step). Append only.
 */
import type { Migration } from '../types.js';
import { pgMigration001 } from './001-initial.js';
import { pgMigration002 } from './002-delivery.js';
import { pgMigration003 } from './003-scenario-cache.js';
import { pgMigration004 } from './004-attempts.js';
import { pgMigration005 } from './005-ownership.js';
import { pgMigration006 } from './006-silences.js';
import { pgMigration007 } from './007-peer-cache.js';
import { pgMigration008 } from './008-retried.js';

export const PG_MIGRATIONS: readonly Migration[] = [
  pgMigration001, pgMigration002, pgMigration003, pgMigration004, pgMigration005, pgMigration006, pgMigration007, pgMigration008,
];
