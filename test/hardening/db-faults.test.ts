/**
 * The history database on a read-only volume, on a full disk, or corrupt (issue 6). Expected: a clear error
 * naming the problem with a hint, exit 3 (infrastructure → inconclusive, never a rollback), nothing overwritten,
 * and an "inconclusive: tester cannot store results" alert sent directly through a Bot API stand-in.
 *
 * Mechanisms: a real tmpfs remounted read-only, and a real small tmpfs filled to ENOSPC (we run as root in CI).
 * Where mounting is not permitted the read-only case runs the CLI as `nobody` via setpriv on a 0555 directory,
 * and the full-disk case caps the child's file size with `prlimit --fsize` (EFBIG); `how` names which ran.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { startCli } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { makeVolume, type Volume } from './mounts.js';
import { convertScenario } from '../support/scenarios.js';

let w: World;
let api: BotApiStandIn;
const volumes: Volume[] = [];

const quick = convertScenario();

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function alertEnv(): NodeJS.ProcessEnv {
  return { TELEGRAM_BOT_TOKEN: '4242:HARDENING', TELEGRAM_ALERT_CHAT_ID: '-100777', TELEGRAM_BOT_API_ROOT: api.url };
}

async function run(env: NodeJS.ProcessEnv, prefix?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const live = startCli(['run', '--json'], { ...w.env, ...env }, { timeoutMs: 40_000, prefix });
  const end = await live.exited;
  return { code: end.code, stdout: live.stdout(), stderr: live.stderr() };
}

function expectStoreAlert(before: number): void {
  const sent = api.calls.slice(before).filter((c) => c.method === 'sendMessage');
  expect(sent).toHaveLength(1);
  expect(sent[0]?.body.chat_id).toBe('-100777');
  expect(sent[0]?.body.parse_mode).toBe('HTML');
  expect(sent[0]?.body.text).toMatch(/inconclusive: tester cannot store results/);
}

beforeAll(async () => {
  w = await createWorld();
  api = await startBotApi();
  w.writeScenario('convert', quick);
});
afterAll(async () => {
  for (const v of volumes) v.dispose();
  await api?.close();
  await w?.close();
});
afterEach(() => {
  w.freshDb();
});

describe('the database cannot be written', () => {
  it('read-only volume: DB error with a hint, exit 3, file unchanged, a direct inconclusive alert', async () => {
    const vol = makeVolume(4096);
    volumes.push(vol);
    const db = join(vol.dir, 'db', 'tg-canary.db');
    const first = await run({ TG_CANARY_DB: db });
    expect(first.code, first.stderr).toBe(0);
    const before = sha(db);
    let prefix: string[] | undefined;
    if (!vol.remountReadOnly()) {
      // fallback: an unprivileged user on a directory it may not write (root ignores chmod)
      chmodSync(join(vol.dir, 'db'), 0o555);
      prefix = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    }
    const calls = api.calls.length;
    const r = await run({ TG_CANARY_DB: db, ...alertEnv() }, prefix);
    vol.remountWritable();
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/\[DB_UNWRITABLE\]/);
    expect(r.stderr).toMatch(/hint: .*writable/);
    expect(r.stderr).not.toMatch(/unexpected error|at .*\.js:\d+/);
    expect(sha(db)).toBe(before);
    expectStoreAlert(calls);
    const store = openStore(db, { readonly: true });
    try {
      expect(store.listRuns({ last: 5 })).toHaveLength(1);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('full disk: DB_FULL with a hint, exit 3, earlier runs intact, a direct inconclusive alert', async () => {
    const vol = makeVolume(2048);
    volumes.push(vol);
    const db = join(vol.dir, 'tg-canary.db');
    const first = await run({ TG_CANARY_DB: db });
    expect(first.code, first.stderr).toBe(0);
    let prefix: string[] | undefined;
    let unfill = (): void => undefined;
    if (vol.how === 'tmpfs') unfill = vol.fill();
    else prefix = ['prlimit', '--fsize=1', '--'];
    const calls = api.calls.length;
    const r = await run({ TG_CANARY_DB: db, ...alertEnv() }, prefix);
    unfill();
    expect(r.code, r.stderr).toBe(3);
    // tmpfs: ENOSPC; the prlimit fallback gives EFBIG, which SQLite reports as a write I/O error
    expect(r.stderr).toMatch(vol.how === 'tmpfs' ? /\[DB_FULL\]/ : /\[DB_(FULL|UNWRITABLE)\]/);
    expect(r.stderr).toMatch(/hint: .*(Free disk space|volume)/);
    expectStoreAlert(calls);
    const store = openStore(db);
    try {
      expect(store.integrityCheck()).toBe('ok');
      expect(store.listRuns({ last: 5 }).map((x) => x.verdict)).toEqual(['pass']);
    } finally {
      store.close();
    }
    // with space again, the next run works on the same file
    const again = await run({ TG_CANARY_DB: db });
    expect(again.code, again.stderr).toBe(0);
  });

  it('corrupt file: DB_CORRUPT with a hint, exit 3, the file is not overwritten, a direct inconclusive alert', async () => {
    const dir = join(w.dir, 'corrupt');
    const db = join(dir, 'tg-canary.db');
    const ok = await run({ TG_CANARY_DB: db });
    expect(ok.code, ok.stderr).toBe(0);
    // a real database whose pages were scribbled over, and a file that is no database at all
    const broken = readFileSync(db);
    for (let i = 4096; i < broken.length; i += 1) broken[i] = (i * 31) & 0xff;
    writeFileSync(db, broken);
    for (const f of [`${db}-wal`, `${db}-shm`]) if (existsSync(f)) writeFileSync(f, '');
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database, it is a note someone left here\n'.repeat(200));
    copyFileSync(garbage, `${garbage}.orig`);
    for (const file of [db, garbage]) {
      const before = sha(file);
      const calls = api.calls.length;
      const r = await run({ TG_CANARY_DB: file, ...alertEnv() });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/\[DB_CORRUPT\]/);
      expect(r.stderr).toMatch(/hint: .*Nothing was (overwritten|changed)/);
      expect(sha(file)).toBe(before);
      expectStoreAlert(calls);
    }
  });
});
