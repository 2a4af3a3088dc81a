/**
 * The PostgreSQL store through the real CLI (issue 19 point 5): `tg-canary run` twice against the sandbox with
 * TG_CANARY_DATABASE_URL set, then `tg-canary history` reads both runs back from PostgreSQL (and no SQLite file is
 * made). A canary that breaks is a failing verdict stored there too; an unreachable database is an infrastructure
 * error (never a `fail` verdict), and neither it nor a malformed URL prints the password.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PG_PASSWORD, PG_SKIP_REASON, startPostgres, type PgCluster } from '../support/postgres.js';
import { convertScenario } from '../support/scenarios.js';
import { createWorld, runCli, type World } from './harness.js';

let w: World;
let cluster: PgCluster | undefined;

beforeAll(async () => {
  if (PG_SKIP_REASON) return;
  cluster = await startPostgres();
  w = await createWorld();
}, 120_000);
afterAll(async () => {
  await w?.close();
  cluster?.stop();
});
afterEach(() => w?.reset());

interface HistoryJson { runs: { runId: string; verdict: string }[]; scenarios: { scenario: string; target: string; runs: number; passRate: number }[] }

describe.skipIf(PG_SKIP_REASON !== undefined)('tg-canary with the PostgreSQL store', () => {
  it('two runs are stored in PostgreSQL and `history` reads both back', async () => {
    if (!cluster) throw new Error('no cluster');
    const db = cluster.createDatabase();
    const env = { TG_CANARY_DATABASE_URL: cluster.url(db), NO_COLOR: '1' };
    w.writeScenario('convert', convertScenario({ targets: ['canary', 'stable'] }));
    const first = await w.cli(['run', '--json'], env);
    expect(first.json?.verdict, first.stderr).toBe('pass');
    const second = await w.cli(['run', '--json'], env);
    expect(second.json?.verdict, second.stderr).toBe('pass');
    expect(second.code).toBe(0);

    const hist = await w.cli(['history', '--json'], env);
    expect(hist.code, hist.stderr).toBe(0);
    const h = JSON.parse(hist.stdout) as HistoryJson;
    expect(h.runs.map((r) => r.verdict)).toStrictEqual(['pass', 'pass']);
    expect(h.scenarios.find((s) => s.target === 'canary')).toMatchObject({ scenario: 'convert', runs: 2, passRate: 1 });
    const text = await w.cli(['history'], env);
    expect(text.stdout).toMatch(/canary\s+favor\s+convert\s+2\s+100%/);
    // the Kubernetes way: the URL from a secret file (with the trailing newline `kubectl create secret` files have)
    const file = join(w.dir, 'database_url');
    writeFileSync(file, `${cluster.url(db)}\n`, { mode: 0o600 });
    const viaFile = await w.cli(['history', '--json'], { TG_CANARY_DATABASE_URL_FILE: file });
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect((JSON.parse(viaFile.stdout) as HistoryJson).runs).toHaveLength(2);

    expect(cluster.psql(db, "SELECT count(*) FROM runs WHERE verdict = 'pass'").trim()).toBe('2');
    expect(existsSync(String(w.env.TG_CANARY_DB)), 'no SQLite file when PostgreSQL is configured').toBe(false);
    for (const out of [first, second, hist]) expect(out.stdout + out.stderr).not.toContain(encodeURIComponent(PG_PASSWORD));
  }, 120_000);

  it('a broken canary fails, and the failing run is what PostgreSQL keeps', async () => {
    if (!cluster) throw new Error('no cluster');
    const db = cluster.createDatabase();
    const env = { TG_CANARY_DATABASE_URL: cluster.url(db) };
    w.writeScenario('convert', convertScenario({ targets: ['canary', 'stable'] }));
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, chat) => chat.reply('I cannot do that.') });
    const run = await w.cli(['run', '--json'], env);
    expect(run.json?.verdict, run.stderr).toBe('fail');
    expect(run.code).toBe(1);
    expect(cluster.psql(db, "SELECT verdict FROM runs").trim()).toBe('fail');
    expect(cluster.psql(db, "SELECT status FROM scenario_results WHERE target = 'canary'").trim()).toBe('fail');
  }, 120_000);

  it('an unreachable database is DB_UNREACHABLE (an infrastructure error, not a fail verdict) without the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    w.writeScenario('convert', convertScenario());
    const run = await w.cli(['run', '--json'], { TG_CANARY_DATABASE_URL: `postgres://tgc:hunter22secret@127.0.0.1:${port}/tgc` });
    expect(run.code, run.stderr).not.toBe(0);
    expect(run.code).not.toBe(1);
    expect(run.stdout + run.stderr).toContain('DB_UNREACHABLE');
    expect(run.json?.verdict).not.toBe('fail');
    expect(run.stdout + run.stderr).not.toContain('hunter22secret');
  }, 120_000);

  it('`demo` never writes into the configured PostgreSQL history (it keeps its own SQLite)', async () => {
    if (!cluster) throw new Error('no cluster');
    const db = cluster.createDatabase();
    const r = await runCli(['demo', '--json', '--suite', 'favor', '--db', join(w.dir, 'demo', 'demo.db'), '--reports-dir', join(w.dir, 'demo', 'r')],
      { PATH: process.env.PATH, HOME: process.env.HOME, TG_CANARY_DATABASE_URL: cluster.url(db) }, { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(w.dir, 'demo', 'demo.db'))).toBe(true);
    expect(cluster.psql(db, "SELECT to_regclass('runs') IS NULL").trim()).toBe('t');
  }, 120_000);

  it('a URL that is not PostgreSQL is a config error naming the variable, without the password', async () => {
    const run = await w.cli(['run'], { TG_CANARY_DATABASE_URL: 'mysql://tgc:hunter22secret@db/tgc' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TG_CANARY_DATABASE_URL|databaseUrl/);
    expect(run.stdout + run.stderr).not.toContain('hunter22secret');
  }, 60_000);
});
