import type { Migration } from '../types.js';

/** PostgreSQL twin of ../007-peer-cache.ts. */
export const pgMigration007: Migration = {
  version: 7,
  name: 'peer-cache',
  sql: `
CREATE TABLE peer_cache (
  account     TEXT COLLATE "C" NOT NULL,
  username    TEXT COLLATE "C" NOT NULL,
  user_id     TEXT NOT NULL,
  access_hash TEXT NOT NULL,
  resolved_at DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (account, username)
);
`,
};
