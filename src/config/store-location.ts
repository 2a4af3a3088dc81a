/** Where the run store lives: the PostgreSQL URL when one is configured, else the SQLite file. */
export function storeLocation(paths: { db: string; databaseUrl?: string | undefined }): string {
  return paths.databaseUrl ?? paths.db;
}

const PG_URL = /^postgres(ql)?:\/\//i;

/** True when the store is PostgreSQL (a URL as `paths.databaseUrl` or `paths.db`). */
export function storeIsPostgres(paths: { db: string; databaseUrl?: string | undefined }): boolean {
  return PG_URL.test(storeLocation(paths).trim());
}
