/** One numbered schema step. Applied in a transaction; `PRAGMA user_version` records the last one applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
