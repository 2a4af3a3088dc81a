/**
 * The worker thread behind the PostgreSQL store: it owns one `pg` client per store handle and answers the main
 * thread's requests, which synckit turns into synchronous calls (SharedArrayBuffer + Atomics.wait), because the
 * store ports are synchronous. Only `pg` and synckit are imported here: this file runs as built JS (dist/).
 */
import pg from 'pg';
import { runAsWorker } from 'synckit';
import type { PgFailure, PgRequest, PgResponse } from './pg-protocol.js';

// BIGINT (int8) and NUMERIC (sum/avg of them) as JS numbers: the store keeps epoch ms and counts, far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));

interface Conn {
  client: pg.Client;
  /** Set when the connection failed in the background (server gone): every later query reports it. */
  broken?: PgFailure;
}

const conns = new Map<number, Conn>();

function failure(e: unknown): PgFailure {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}

async function open(req: Extract<PgRequest, { op: 'open' }>): Promise<PgResponse> {
  const client = new pg.Client({
    connectionString: req.url,
    connectionTimeoutMillis: req.connectTimeoutMs,
    statement_timeout: req.statementTimeoutMs,
    lock_timeout: req.lockTimeoutMs,
    application_name: 'tg-canary',
    keepAlive: true,
  });
  const conn: Conn = { client };
  client.on('error', (e) => {
    conn.broken = failure(e);
  });
  await client.connect();
  if (req.readonly) await client.query('SET default_transaction_read_only = on');
  conns.set(req.conn, conn);
  return { ok: true, rows: [], rowCount: 0 };
}

async function handle(req: PgRequest): Promise<PgResponse> {
  if (req.op === 'open') return open(req);
  const conn = conns.get(req.conn);
  if (req.op === 'close') {
    conns.delete(req.conn);
    if (conn) await conn.client.end().catch(() => undefined);
    return { ok: true, rows: [], rowCount: 0 };
  }
  if (!conn) return { ok: false, error: { message: 'the database connection is closed', code: '08003' } };
  if (conn.broken) return { ok: false, error: conn.broken };
  const out: pg.QueryResult | pg.QueryResult[] = await conn.client.query({ text: req.sql, values: req.params });
  // Several statements (a migration) answer with one result each: the last one is the answer.
  const res = Array.isArray(out) ? out[out.length - 1] : out;
  return { ok: true, rows: (res?.rows ?? []) as Record<string, unknown>[], rowCount: res?.rowCount ?? 0 };
}

runAsWorker(async (req: PgRequest): Promise<PgResponse> => {
  try {
    return await handle(req);
  } catch (e) {
    return { ok: false, error: failure(e) };
  }
});
