/**
 * The PostgreSQL SqlPort: the store's parts send the SQL they send to SQLite, and this port translates the
 * dialect (`?` → `$n`, SQLite's `INDEXED BY` hints and `CROSS JOIN … ON` → plain joins, `RETURNING id` for the
 * new row's id), runs it over the synchronous worker bridge on this handle's own connection, and keeps strings
 * exact (PostgreSQL TEXT holds neither NUL nor lone surrogates: those are stored escaped and decoded on read).
 * `immediate` takes a transaction-scoped advisory lock first, as SQLite's BEGIN IMMEDIATE takes the write lock.
 */
import { isWellFormed } from '../text-codec.js';
import type { Row, SqlPort, SqlRunResult } from '../sql-port.js';
import { newConnectionId, pgCall } from './pg-bridge.js';
import { mapPgError } from './pg-errors.js';
import type { PgFailure, PgRequest } from './pg-protocol.js';
import type { CheckedPgUrl } from './pg-url.js';

/** 'tgcn' (the SQLite store's application id): the key of the store's write lock. */
export const WRITE_LOCK_KEY = 0x7467636e;

/** Marks a value stored as base64 of its UTF-16 code units (private-use char + tag; such strings are escaped too). */
const ESCAPED = '\uE000tgc64:';
const TABLES_WITH_ID = /^\s*INSERT\s+INTO\s+(scenario_results|steps|assertion_results|outbox|alerts_log)\b/i;

/** A failed query, with its SQLSTATE; `guard` turns it into a TgCanaryError. */
export class PgQueryError extends Error {
  readonly code: string;
  constructor(readonly failure: PgFailure) {
    super(failure.message);
    this.name = 'PgQueryError';
    this.code = failure.code ?? '';
  }
}

/** `?` → `$1, $2 …` outside quoted strings and identifiers, plus the SQLite-only syntax the parts use. */
export function translateSql(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  // SQLite's CAST(real AS INTEGER) truncates, PostgreSQL's rounds: truncate explicitly (day buckets).
  out = out.replace(/\s+INDEXED\s+BY\s+\w+/gi, '').replace(/\bCROSS\s+JOIN\b/gi, 'JOIN')
    .replace(/\bCAST\((.+?) AS INTEGER\)/gi, 'CAST(trunc($1) AS INTEGER)');
  if (TABLES_WITH_ID.test(out) && !/\bRETURNING\b/i.test(out)) out += ' RETURNING id';
  return out;
}

function needsEscape(s: string): boolean {
  return s.includes('\u0000') || s.startsWith(ESCAPED) || !isWellFormed(s);
}

/** One parameter as PostgreSQL can take it (Buffers come from text-codec: UTF-16LE of an ill-formed string). */
export function encodeParam(v: unknown): unknown {
  if (v === undefined) return null;
  if (Buffer.isBuffer(v)) return ESCAPED + v.toString('base64');
  if (typeof v === 'string') return needsEscape(v) ? ESCAPED + Buffer.from(v, 'utf16le').toString('base64') : v;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

export function decodeValue(v: unknown): unknown {
  return typeof v === 'string' && v.startsWith(ESCAPED) ? Buffer.from(v.slice(ESCAPED.length), 'base64').toString('utf16le') : v;
}

function decodeRow(r: Row): Row {
  for (const k of Object.keys(r)) r[k] = decodeValue(r[k]);
  return r;
}

export interface PgPortOptions {
  readonly?: boolean;
  /** How long to wait for another process's lock before DB_BUSY (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Cap of one statement (default 30 s). */
  statementTimeoutMs?: number;
  /** Cap of connecting (default 10 s). */
  connectTimeoutMs?: number;
}

export class PgSqlPort implements SqlPort {
  readonly dialect = 'postgres' as const;
  readonly location: string;
  private depth = 0;
  private open = true;
  private readonly sqlCache = new Map<string, string>();

  private constructor(private readonly conn: number, private readonly target: CheckedPgUrl, private readonly waitMs: number) {
    this.location = target.display;
  }

  /** Connects a new client (its own session) in the worker; DB_UNREACHABLE / DB_AUTH / … when that fails. */
  static connect(target: CheckedPgUrl, opts: PgPortOptions = {}): PgSqlPort {
    const statementTimeoutMs = Math.max(1000, Math.floor(opts.statementTimeoutMs ?? 30_000));
    const connectTimeoutMs = Math.max(500, Math.floor(opts.connectTimeoutMs ?? 10_000));
    const port = new PgSqlPort(newConnectionId(), target, statementTimeoutMs + connectTimeoutMs + 30_000);
    port.call({ op: 'open', conn: port.conn, url: target.url, connectTimeoutMs, statementTimeoutMs, readonly: opts.readonly === true,
      lockTimeoutMs: Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000)) }, 'connecting to');
    return port;
  }

  private call(req: PgRequest, action: string): { rows: Row[]; rowCount: number } {
    const res = pgCall(req, this.waitMs);
    if (!res.ok) throw mapPgError(res.error, this.location, action, [this.target.password]);
    return res;
  }

  /** Runs SQL as written (no translation, no parameters): migrations, several statements at once. */
  exec(sql: string): void {
    this.query(sql, [], false);
  }

  private query(sql: string, params: readonly unknown[], translate = true): { rows: Row[]; rowCount: number } {
    if (!this.open) throw new PgQueryError({ message: 'the store is closed', code: '08003' });
    let text = sql;
    if (translate) {
      text = this.sqlCache.get(sql) ?? translateSql(sql);
      this.sqlCache.set(sql, text);
    }
    const res = pgCall({ op: 'query', conn: this.conn, sql: text, params: params.map(encodeParam) }, this.waitMs);
    if (!res.ok) throw new PgQueryError(res.error);
    return { rows: res.rows.map(decodeRow), rowCount: res.rowCount };
  }

  all(sql: string, ...params: unknown[]): Row[] {
    return this.query(sql, params).rows;
  }

  get(sql: string, ...params: unknown[]): Row | undefined {
    return this.query(sql, params).rows[0];
  }

  run(sql: string, ...params: unknown[]): SqlRunResult {
    const res = this.query(sql, params);
    const id = res.rows[0]?.id;
    return { changes: res.rowCount, lastInsertRowid: typeof id === 'number' ? id : Number(id ?? 0) };
  }

  tx<T>(fn: () => T): T {
    const level = this.depth;
    this.query(level === 0 ? 'BEGIN' : `SAVEPOINT tgc_${level}`, [], false);
    this.depth += 1;
    try {
      const out = fn();
      this.query(level === 0 ? 'COMMIT' : `RELEASE SAVEPOINT tgc_${level}`, [], false);
      return out;
    } catch (e) {
      try {
        this.query(level === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT tgc_${level}`, [], false);
      } catch {
        // the connection is gone: the server rolls the transaction back itself; report the first failure
      }
      throw e;
    } finally {
      this.depth = level;
    }
  }

  immediate<T>(fn: () => T): T {
    return this.tx(() => {
      this.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY], false);
      return fn();
    });
  }

  guard<T>(action: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PgQueryError) throw mapPgError(e.failure, this.location, action, [this.target.password]);
      throw e;
    }
  }

  /** Autovacuum returns space; refresh the planner's statistics after a prune that removed rows. */
  reclaim(changed: boolean): void {
    if (changed && this.depth === 0) this.query('ANALYZE runs, scenario_results, steps, assertion_results', [], false);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    pgCall({ op: 'close', conn: this.conn }, this.waitMs);
  }
}
