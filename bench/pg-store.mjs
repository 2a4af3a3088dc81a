#!/usr/bin/env node
/**
 * The PostgreSQL store's synchronous bridge (issue 19 point 5): the store ports are synchronous, so every query
 * blocks the main thread on Atomics.wait until the worker thread that owns the `pg` client answers. Measures one
 * small indexed read through the store (getFact) on loopback, against the same query made with `pg` directly and
 * awaited (what the bridge adds), and one finished run written (finishRun).
 *
 * Uses TG_CANARY_DATABASE_URL when set (an empty database), else a throwaway PostgreSQL 15 cluster in a temp dir
 * (as test/support/postgres.ts does; as root it runs initdb as `postgres`). Needs `npm run build`. Always exits 0.
 *   BENCH pg-query-roundtrip <median ms> ms target <= 2 met|missed
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { bench, dist, median, quantile, tempDir } from './lib.mjs';

const N = Number(process.env.BENCH_PG_N ?? 2000);
const PG_BIN = process.env.TG_CANARY_PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function freePort() {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function throwawayCluster() {
  const tmp = tempDir('tg-canary-bench-pg-');
  const asRoot = process.getuid?.() === 0;
  const data = join(tmp.dir, 'data');
  const pw = join(tmp.dir, 'pw');
  writeFileSync(pw, 'bench\n', { mode: 0o600 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(tmp.dir, uid, gid);
    chownSync(pw, uid, gid);
  }
  const run = (tool, args) => (asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], { stdio: 'pipe' })
    : execFileSync(join(PG_BIN, tool), args, { stdio: 'pipe' }));
  run('initdb', ['-D', data, '-U', 'bench', `--pwfile=${pw}`, '--auth=scram-sha-256', '--locale=C', '--encoding=UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(tmp.dir, 'log'), '-w', '-o', `-p ${port} -k ${tmp.dir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    url: `postgres://bench:bench@127.0.0.1:${port}/postgres`,
    stop: () => {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* gone */ }
      tmp.remove();
    },
  };
}

if (!process.env.TG_CANARY_DATABASE_URL && !existsSync(join(PG_BIN, 'initdb'))) {
  console.log(`pg-store: skipped: no TG_CANARY_DATABASE_URL and no PostgreSQL at ${PG_BIN} (apt-get install postgresql)`);
  bench('pg-query-roundtrip', 'skipped', 'ms', '<=', 2);
  process.exit(0);
}

const cluster = process.env.TG_CANARY_DATABASE_URL ? { url: process.env.TG_CANARY_DATABASE_URL, stop: () => {} } : await throwawayCluster();
try {
  const { openStore } = await dist('store/index.js');
  const store = openStore(cluster.url);
  store.plantFact({ key: 'bench', target: 'canary', value: 'v', runId: 'r', at: 1 });
  for (let i = 0; i < 200; i++) store.getFact('bench', 'canary'); // warm: connection, plan cache, JIT
  const sync = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    store.getFact('bench', 'canary');
    sync.push(performance.now() - t);
  }

  // the same query with `pg` itself, awaited on this thread: the floor the bridge adds to
  const require = createRequire(join(process.cwd(), 'package.json'));
  const pg = require('pg');
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const sql = 'SELECT value, run_id, at FROM facts WHERE key = $1 AND target = $2';
  for (let i = 0; i < 200; i++) await client.query(sql, ['bench', 'canary']);
  const direct = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await client.query(sql, ['bench', 'canary']);
    direct.push(performance.now() - t);
  }
  await client.end();

  const { runResult } = await import('./pg-store-fixture.mjs');
  const writes = [];
  for (let i = 0; i < 20; i++) {
    const r = runResult(`bench-${i}`, Date.now());
    const t = performance.now();
    store.beginRun({ runId: r.runId, startedAt: r.startedAt });
    store.finishRun(r);
    writes.push(performance.now() - t);
  }
  store.close();

  console.log(`pg-store: ${N} reads through the store (sync bridge), ${N} with pg directly (async), 20 runs written`);
  bench('pg-query-roundtrip-p95', quantile(sync, 95), 'ms');
  bench('pg-query-direct-async', median(direct), 'ms');
  bench('pg-bridge-overhead', median(sync) - median(direct), 'ms');
  bench('pg-finish-run', median(writes), 'ms');
  bench('pg-query-roundtrip', median(sync), 'ms', '<=', 2);
} finally {
  cluster.stop();
}
