/** The messages between the PostgreSQL port (main thread) and its worker (pg-worker.ts), which owns the `pg` clients. */
export type PgRequest =
  | { op: 'open'; conn: number; url: string; connectTimeoutMs: number; statementTimeoutMs: number; lockTimeoutMs: number; readonly: boolean }
  | { op: 'query'; conn: number; sql: string; params: unknown[] }
  | { op: 'close'; conn: number };

/** A failure as plain data (an Error's own fields do not survive the thread boundary). */
export interface PgFailure {
  message: string;
  /** SQLSTATE (e.g. 28P01) or a Node socket code (ECONNREFUSED). */
  code?: string;
}

export type PgResponse =
  | { ok: true; rows: Record<string, unknown>[]; rowCount: number }
  | { ok: false; error: PgFailure };
