import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isTgCanaryError, type TgCanaryError } from '../../src/core/errors.js';
import { MIGRATIONS, openStore, SCHEMA_VERSION } from '../../src/store/index.js';
import { runResult, tempDir } from './fixtures.js';

const T0 = Date.UTC(2025, 0, 1);
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => { tmp.cleanup(); });

function caught(fn: () => unknown): TgCanaryError {
  try {
    fn();
  } catch (e) {
    if (isTgCanaryError(e)) return e;
    throw e;
  }
  throw new Error('expected a TgCanaryError');
}

describe('migrations', () => {
  it('migrates a hand-made v1 database in place, keeping its data', () => {
    const path = join(tmp.dir, 'v1.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0].sql);
    raw.prepare(`INSERT INTO runs (id, started_at, finished_at, verdict, decision, score, aborted, verdict_json)
      VALUES ('old', ?, ?, 'pass', 'promote', 1, 0, NULL)`).run(T0, T0 + 5000);
    raw.prepare(`INSERT INTO facts (key, target, value, run_id, at) VALUES ('color', 'canary', 'blue', 'old', ?)`).run(T0);
    raw.pragma('user_version = 1');
    raw.close();

    const store = openStore(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    expect(store.listRuns({}).map((r) => [r.runId, r.verdict])).toStrictEqual([['old', 'pass']]);
    expect(store.getFact('color', 'canary')?.value).toBe('blue');
    expect(store.enqueue({ channel: 'email', dedupeKey: 'a', payload: '{}', at: T0 })).toBe(true);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
    // Re-opening an up-to-date file changes nothing.
    const again = openStore(path);
    expect(again.listOutbox({}).length).toBe(1);
    again.close();
  });

  it('refuses a database from a newer tg-canary without touching it', () => {
    const path = join(tmp.dir, 'new.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(path);
    const err = caught(() => openStore(path));
    expect(err.code).toBe('DB_TOO_NEW');
    expect(err.hint).toMatch(/upgrade tg-canary/i);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('reports a garbage file as DB_CORRUPT and does not overwrite it', () => {
    const path = join(tmp.dir, 'garbage.db');
    const junk = Buffer.from('this is definitely not SQLite\n'.repeat(300));
    writeFileSync(path, junk);
    const err = caught(() => openStore(path));
    expect(err.code).toBe('DB_CORRUPT');
    expect(err.hint).toMatch(/Nothing was overwritten/);
    expect(readFileSync(path).equals(junk)).toBe(true);
  });

  it('reports a truncated database as DB_CORRUPT', () => {
    const path = join(tmp.dir, 'trunc.db');
    const store = openStore(path);
    for (let i = 0; i < 30; i++) store.finishRun(runResult(`r${i}`, T0 + i * 1000, { texts: ['x'.repeat(3000)] }));
    store.close();
    const bytes = readFileSync(path);
    // Keep a valid header page but cut the rest: page pointers now lead past the end of the file.
    const broken = Buffer.concat([bytes.subarray(0, 4096), Buffer.alloc(4096, 0xab), bytes.subarray(8192, 12288)]);
    writeFileSync(path, broken);
    const err = caught(() => { const s = openStore(path); try { s.listRuns({ last: 100 }); s.getRun('r1'); } finally { s.close(); } });
    expect(err.code).toBe('DB_CORRUPT');
  });

  it('refuses a SQLite file that belongs to another application', () => {
    const path = join(tmp.dir, 'other.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    raw.close();
    const before = readFileSync(path);
    expect(caught(() => openStore(path)).code).toBe('DB_CORRUPT');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('files and permissions', () => {
  it('creates the directory 0700 and the database 0600', () => {
    const dir = join(tmp.dir, 'state', 'nested');
    const path = join(dir, 'runs.db');
    const store = openStore(path);
    store.finishRun(runResult('r', T0));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(tmp.dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    store.close();
  });

  it('read-only store: reads work, writes fail with DB_UNWRITABLE (real SQLITE_READONLY)', () => {
    const path = join(tmp.dir, 'ro.db');
    const w = openStore(path);
    w.finishRun(runResult('r', T0));
    w.close();
    const ro = openStore(path, { readonly: true });
    expect(ro.getRun('r')?.runId).toBe('r');
    const err = caught(() => ro.finishRun(runResult('r2', T0)));
    expect(err.code).toBe('DB_UNWRITABLE');
    expect(err.hint).toBeTruthy();
    ro.close();
    expect(caught(() => openStore(join(tmp.dir, 'missing.db'), { readonly: true })).code).toBe('DB_NOT_FOUND');
  });

  it('a path where a directory is expected, or under /proc, gives DB_UNWRITABLE', () => {
    const file = join(tmp.dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(caught(() => openStore(join(file, 'runs.db'))).code).toBe('DB_UNWRITABLE');
    expect(caught(() => openStore('/proc/self/tg-canary/runs.db')).code).toBe('DB_UNWRITABLE');
    const asDir = join(tmp.dir, 'iam-a-dir.db');
    mkdirSync(asDir);
    expect(caught(() => openStore(asDir)).code).toBe('DB_UNWRITABLE');
  });

  it.skipIf(process.getuid?.() === 0)('a read-only directory gives DB_UNWRITABLE (non-root only)', () => {
    const dir = join(tmp.dir, 'locked');
    mkdirSync(dir, { mode: 0o500 });
    chmodSync(dir, 0o500);
    try {
      expect(caught(() => openStore(join(dir, 'runs.db'))).code).toBe('DB_UNWRITABLE');
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('a full database gives DB_FULL and the earlier data survive', () => {
    const path = join(tmp.dir, 'full.db');
    const store = openStore(path, { maxSizeBytes: 256 * 1024 });
    let err: TgCanaryError | undefined;
    let i = 0;
    for (; i < 1000 && !err; i++) {
      try {
        store.finishRun(runResult(`r${i}`, T0 + i * 10_000, { texts: ['y'.repeat(4000)] }));
      } catch (e) {
        if (!isTgCanaryError(e)) throw e;
        err = e;
      }
    }
    expect(err?.code).toBe('DB_FULL');
    expect(err?.hint).toMatch(/keep-days/);
    expect(store.getRun(`r${i - 1}`)).toBeUndefined();
    expect(store.getRun('r0')?.runId).toBe('r0');
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});
