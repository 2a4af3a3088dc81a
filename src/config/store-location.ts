/** Where the run store lives: the PostgreSQL URL when one is configured, else the SQLite file. */
export function storeLocation(paths: { db: string; databaseUrl?: string | undefined }): string {
  return paths.databaseUrl ?? paths.db;
}
