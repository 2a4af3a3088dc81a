import { migration001 } from './001-initial.js';
import { migration002 } from './002-delivery.js';
import { migration003 } from './003-scenario-cache.js';
import { migration004 } from './004-attempts.js';
import { migration005 } from './005-ownership.js';
import { migration006 } from './006-silences.js';
import { migration007 } from './007-peer-cache.js';
import { migration008 } from './008-retried.js';
import type { Migration } from './types.js';

export type { Migration };

/** All migrations, in order. Versions are 1..n with no gaps. Append only; never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];

export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;
