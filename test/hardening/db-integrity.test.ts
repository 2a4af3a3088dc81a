/**
 * Issue 15 #3: a database damaged in the middle (it still opens) is DB_CORRUPT before the run touches Telegram,
 * and each such run sends the direct "cannot store results" alert; a failure to queue an alert reaches that alert
 * path too, and the log does not claim the alerts are in the outbox. Real CLI, real sandbox, real SQLite files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { makeRun } from '../notifiers/fixtures.js';
import { startCli } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { convertScenario } from '../support/scenarios.js';

let w: World;
let api: BotApiStandIn;

const quick = convertScenario();

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const alertEnv = (): NodeJS.ProcessEnv => ({ TELEGRAM_BOT_TOKEN: '4242:INTEGRITY', TELEGRAM_ALERT_CHAT_ID: '-100888', TELEGRAM_BOT_API_ROOT: api.url });

async function run(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const live = startCli(['run', '--json'], { ...w.env, ...env }, { timeoutMs: 40_000 });
  const end = await live.exited;
  return { code: end.code, stdout: live.stdout(), stderr: live.stderr() };
}

const sends = (since: number): number => w.sandbox.callLog.filter((c) => c.at >= since && /sendmessage/i.test(c.method)).length;

beforeAll(async () => {
  [w, api] = await Promise.all([createWorld(), startBotApi()]);
  w.writeScenario('convert', quick);
});
afterAll(async () => {
  await api?.close();
  await w?.close();
});

describe('integrity at open', () => {
  it('random bytes in the middle of the file: DB_CORRUPT before the run, one direct alert per run', async () => {
    const dir = join(w.dir, 'middle');
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'tg-canary.db');
    const store = openStore(db);
    for (let i = 0; i < 300; i++) store.finishRun(makeRun(`r${i}`, 'pass', Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000));
    store.close();
    const size = statSync(db).size;
    expect(size).toBeGreaterThan(100_000);
    // scribble over one page in the middle; the header and the schema page stay intact, so the file still opens
    const fd = openSync(db, 'r+');
    writeSync(fd, randomBytes(4096), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const check = new Database(db, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBeGreaterThan(0); // it opens
    check.close();
    const before = sha(db);
    const calls = api.calls.length;
    const t0 = Date.now();
    for (let i = 0; i < 2; i++) {
      const r = await run({ TG_CANARY_DB: db, ...alertEnv() });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/damaged|corrupt/i);
      expect(r.stderr).toMatch(/\[DB_CORRUPT\]/);
      expect(r.stderr).toMatch(/hint: .*Nothing was overwritten/);
    }
    expect(sends(t0)).toBe(0); // the bot was never messaged: nothing could have been stored
    const sent = api.calls.slice(calls).filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(2);
    for (const s of sent) expect(s.body.text).toMatch(/cannot store results/);
    expect(sha(db)).toBe(before);
  }, 60_000);

  it('healthy variant: an intact database runs and passes', async () => {
    const dir = join(w.dir, 'intact');
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'tg-canary.db');
    const store = openStore(db);
    for (let i = 0; i < 300; i++) store.finishRun(makeRun(`r${i}`, 'pass', Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000));
    store.close();
    const r = await run({ TG_CANARY_DB: db, ...alertEnv() });
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
});

describe('a failure to queue an alert', () => {
  it('reaches the "cannot store results" alert, exits 3, and the log does not say the alerts are in the outbox', async () => {
    const dir = join(w.dir, 'queue');
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'tg-canary.db');
    const first = await run({ TG_CANARY_DB: db });
    expect(first.code, first.stderr).toBe(0);
    // the outbox refuses every new item (what a damaged outbox table does to the insert)
    const raw = new Database(db);
    raw.exec("CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox refuses'); END;");
    raw.close();
    await w.sandbox.setBot('canary_bot', { async onMessage(msg, chat) { await chat.reply('about 9 miles', { replyTo: msg.id }); } });
    const calls = api.calls.length;
    const r = await run({ TG_CANARY_DB: db, ...alertEnv(), LOG_LEVEL: 'info' });
    await w.sandbox.setBot('canary_bot', 'builtin');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/\[DB_/);
    expect(r.stderr).not.toMatch(/stay in the outbox/);
    expect(r.stderr).toMatch(/could not be queued/);
    const sent = api.calls.slice(calls).filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body.text).toMatch(/cannot store results/);
    // the run itself is kept, as it was judged
    const store = openStore(db, { readonly: true });
    try {
      expect(store.listRuns({ last: 5 }).map((x) => x.verdict)).toEqual(['fail', 'pass']);
    } finally {
      store.close();
    }
  }, 60_000);
});
