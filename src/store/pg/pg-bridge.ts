/**
 * The synchronous bridge to PostgreSQL: one worker thread per process (pg-worker.ts, run by synckit) owns the
 * `pg` clients; each call blocks this thread on Atomics.wait until the worker answers. Loaded on first use, so a
 * SQLite-only run never starts the worker or loads `pg`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Synckit from 'synckit';
import { dbError } from '../sqlite-errors.js';
import type { PgRequest, PgResponse } from './pg-protocol.js';

type PgCall = (req: PgRequest) => PgResponse;

let call: PgCall | undefined;
let nextConn = 1;

const WORKER = join('dist', 'store', 'pg', 'pg-worker.js');

/**
 * The built worker: next to this module (dist/store/pg/), else in the `dist/` of the nearest folder above that
 * has one (the bundled CLI lives in dist/cli/, tests run the TypeScript sources in src/).
 */
export function pgWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'pg-worker.js');
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, WORKER);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw dbError('DB_ERROR', `the PostgreSQL store's worker (${WORKER}) is missing`,
    'Build tg-canary first (`npm run build`); an installed package ships it in dist/.');
}

function bridge(timeoutMs: number): PgCall {
  if (!call) {
    const require = createRequire(import.meta.url);
    const { createSyncFn } = require('synckit') as typeof Synckit;
    call = createSyncFn<(req: PgRequest) => Promise<PgResponse>>(pgWorkerPath(), { timeout: timeoutMs });
  }
  return call;
}

/** A connection id for a new store handle (each handle has its own client, so its transactions are its own). */
export function newConnectionId(): number {
  return nextConn++;
}

/** Sends one request to the worker and waits for its answer; `timeoutMs` bounds the wait of every later call too. */
export function pgCall(req: PgRequest, timeoutMs: number): PgResponse {
  return bridge(timeoutMs)(req);
}
