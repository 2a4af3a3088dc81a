import type { Migration } from './types.js';

/**
 * Resolved bots per account (issue 19 point 3): the bot's user id and the access hash Telegram gave this account,
 * so a run builds its InputPeerUser without `contacts.resolveUsername`. Derived data: a dropped row costs one
 * lookup. Numbered 8 on branch h-peers (6 and 7 are other branches' steps); renumber to the next free version when
 * merging if those land differently.
 */
export const migration008: Migration = {
  version: 8,
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
