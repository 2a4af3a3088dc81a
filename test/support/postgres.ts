/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb in a temp dir, started on a free loopback port, stopped
 * and removed by `stop()` (and at process exit). Runs as the current user, or as `postgres` (runuser) when that
 * is root, which initdb refuses. When PostgreSQL is not installed the suites using it skip LOUDLY, and fail in CI
 * (`CI=true`), where `.ci/run` installs it (scripts/setup-test-env.sh).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env.TG_CANARY_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_USER = 'tgc';
/** With characters that need percent-encoding, so URL handling is exercised. */
export const PG_PASSWORD = 'S3cret-pw!#';

function missingReason(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl', 'postgres', 'psql']) {
    if (!existsSync(join(PG_BIN, tool))) return `PostgreSQL 15 is not installed (${join(PG_BIN, tool)} is missing): apt-get install postgresql`;
  }
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to run initdb as (apt-get install postgresql creates it)';
    }
  }
  return undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined. In CI a missing PostgreSQL is an error, not a skip. */
export const PG_SKIP_REASON: string | undefined = (() => {
  const reason = missingReason();
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL tests cannot run in CI: ${reason}`);
  console.warn(`\n!!! SKIPPING PostgreSQL store tests: ${reason} !!!\n`);
  return reason;
})();

export interface PgCluster {
  port: number;
  /** URL of database `db` (percent-encoded password). */
  url(db: string): string;
  /** Creates a fresh empty database and returns its name. */
  createDatabase(): string;
  dropDatabase(name: string): void;
  /** Runs SQL as the superuser in database `db` (psql over the cluster's socket); returns psql's output. */
  psql(db: string, sql: string): string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let dbCounter = 0;

/** Starts a cluster (about 1-2 s). */
export async function startPostgres(): Promise<PgCluster> {
  if (PG_SKIP_REASON) throw new Error(PG_SKIP_REASON);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'tg-canary-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (tool: string, args: string[]): string => {
    const cmd = join(PG_BIN, tool);
    return asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      : execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  run('initdb', ['-D', data, '-U', PG_USER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256',
    '--locale=C', '--encoding=UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`, 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const psql = (db: string, sql: string): string =>
    execFileSync(join(PG_BIN, 'psql'), ['-h', dir, '-p', String(port), '-U', PG_USER, '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    port,
    url: (db) => `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${port}/${db}`,
    createDatabase: () => {
      const name = `tgc_${process.pid}_${++dbCounter}`;
      psql('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    dropDatabase: (name) => {
      psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    psql,
    stop,
  };
}
