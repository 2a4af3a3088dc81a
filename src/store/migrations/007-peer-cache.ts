import type { Migration } from './types.js';

/**
 * Resolved bots per account (issue 19 point 3): the bot's user id and the access hash Telegram gave this account,
 * so a run builds its InputPeerUser without `contacts.resolveUsername`. Derived data: a dropped row costs one
 * lookup.
 */
export const migration007: Migration = {
  version: 7,
  name: 'peer-cache',
  sql: `
CREATE TABLE peer_cache (
  account     TEXT    NOT NULL,
  username    TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  access_hash TEXT    NOT NULL,
  resolved_at INTEGER NOT NULL,
  PRIMARY KEY (account, username)
) WITHOUT ROWID;
`,
};
