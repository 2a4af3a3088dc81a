import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { manualClock, tempDir } from './fixtures.js';

const T0 = Date.UTC(2025, 0, 1);
let tmp: ReturnType<typeof tempDir>;
let path: string;
const clock = manualClock(T0);
let a: SqliteRunStore;
let b: SqliteRunStore;

beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'runs.db');
  clock.set(T0);
  a = openStore(path, { clock });
  b = openStore(path, { clock });
});
afterEach(() => {
  a.close();
  b.close();
  tmp.cleanup();
});

describe('session lease', () => {
  it('only one of two store instances on one file holds the lease', () => {
    expect(a.acquireLease('session', 'proc-a', 60_000)).toBe(true);
    expect(b.acquireLease('session', 'proc-b', 60_000)).toBe(false);
    expect(b.leaseHolder('session')).toStrictEqual({ holder: 'proc-a', expiresAt: T0 + 60_000 });
    // Re-acquiring by the holder extends it.
    clock.advance(10_000);
    expect(a.acquireLease('session', 'proc-a', 60_000)).toBe(true);
    expect(b.leaseHolder('session')?.expiresAt).toBe(T0 + 70_000);
    // Other names are independent.
    expect(b.acquireLease('other', 'proc-b', 1000)).toBe(true);
  });

  it('an expired lease (crashed holder) is taken over; the old holder cannot renew it', () => {
    expect(a.acquireLease('session', 'proc-a', 30_000)).toBe(true);
    clock.advance(29_999);
    expect(b.acquireLease('session', 'proc-b', 30_000)).toBe(false);
    clock.advance(1);
    expect(a.leaseHolder('session')).toBeUndefined();
    expect(b.acquireLease('session', 'proc-b', 30_000)).toBe(true);
    expect(a.renewLease('session', 'proc-a', 30_000)).toBe(false);
    expect(a.releaseLease('session', 'proc-a')).toBe(false);
    expect(a.leaseHolder('session')?.holder).toBe('proc-b');
  });

  it('renew extends and release frees the lease', () => {
    expect(a.acquireLease('session', 'proc-a', 1000)).toBe(true);
    clock.advance(900);
    expect(a.renewLease('session', 'proc-a', 1000)).toBe(true);
    clock.advance(900);
    expect(b.acquireLease('session', 'proc-b', 1000)).toBe(false);
    expect(a.releaseLease('session', 'proc-a')).toBe(true);
    expect(b.acquireLease('session', 'proc-b', 1000)).toBe(true);
    expect(() => a.acquireLease('x', 'y', 0)).toThrow(RangeError);
  });

  it('processes racing for one lease: exactly one wins (BEGIN IMMEDIATE)', async () => {
    // Compile the store for plain node so real separate processes can race on one file.
    const out = join(tmp.dir, 'build');
    const root = resolve(import.meta.dirname, '../..');
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--outDir', out, '--rootDir',
      join(root, 'src'), '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--skipLibCheck', '--types', 'node', '--ignoreConfig', '--strict', join(root, 'src/store/index.ts')], { cwd: root });
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
    const script = join(out, 'race.mjs');
    writeFileSync(script, `
      import { openStore } from './store/index.js';
      const [db, me, startAt] = process.argv.slice(2);
      const s = openStore(db);
      while (Date.now() < Number(startAt)) { /* line up the start */ }
      const won = s.acquireLease('session', me, 60000);
      s.close();
      process.stdout.write(won ? 'won' : 'lost');
    `);
    const startAt = Date.now() + 1500;
    const runs = Array.from({ length: 6 }, (_, i) => new Promise<string>((res, rej) => {
      const p = spawn(process.execPath, [script, path, `p${i}`, String(startAt)], {
        cwd: root,
      });
      let text = '';
      let errText = '';
      p.stdout.on('data', (d: Buffer) => { text += d.toString(); });
      p.stderr.on('data', (d: Buffer) => { errText += d.toString(); });
      p.on('exit', (code) => (code === 0 ? res(text) : rej(new Error(errText))));
    }));
    const results = await Promise.all(runs);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'lost')).toHaveLength(5);
    const check = openStore(path);
    expect(check.leaseHolder('session')?.holder).toMatch(/^p\d$/);
    check.close();
  }, 60_000);
});
