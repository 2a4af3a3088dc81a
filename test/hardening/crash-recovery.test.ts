/**
 * Issue 15 #2 and #5: a crashed, hard-exited or blocked run must not blind the monitor. Real CLI processes killed
 * with SIGKILL, real sandbox, real SQLite, a real loopback webhook receiver and a Bot API stand-in.
 */
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { QUICK_SCENARIO, slowBot, slowScenario, sleep, startCli } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { startReceiver, type Receiver } from './receiver.js';

let w: World;
let api: BotApiStandIn;
let hook: Receiver;

const quick = QUICK_SCENARIO;


function runsIn(db: string): { id: string; verdict: string; finished: boolean; aborted: boolean }[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.listRuns({ last: 20 }).map((r) => ({ id: r.runId, verdict: r.verdict, finished: r.finishedAt !== null, aborted: r.aborted }));
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  [w, api, hook] = await Promise.all([createWorld(), startBotApi(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([api?.close(), hook?.close()]);
  await w?.close();
});
afterEach(async () => {
  hook.release();
  hook.setMode('ok');
  await w.reset();
});

describe('kill -9 in the middle of a run', () => {
  it('the next run takes the dead holder\'s lease at once and closes the crashed run as aborted', async () => {
    const { bot, slowStarted } = slowBot(20_000);
    await w.sandbox.setBot('canary_bot', bot);
    w.writeScenario('slow', slowScenario('[canary]'));
    const live = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    await slowStarted;
    live.child.kill('SIGKILL');
    await live.exited;
    const crashed = runsIn(w.env.TG_CANARY_DB as string);
    expect(crashed).toHaveLength(1);
    expect(crashed[0]?.finished).toBe(false); // pending: what the next start must clean up

    await w.sandbox.setBot('canary_bot', 'builtin');
    w.writeScenario('convert', quick);
    const t0 = Date.now();
    const next = await w.cli(['run', '--json']);
    // before: waited 30 s for a lease with 5 min to live, then SESSION_LEASE_HELD (exit 3), nothing stored
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const runs = runsIn(w.env.TG_CANARY_DB as string);
    expect(runs).toHaveLength(2);
    const old = runs.find((r) => r.id === crashed[0]?.id);
    expect(old).toMatchObject({ finished: true, aborted: true, verdict: 'inconclusive' });
    const store = openStore(w.env.TG_CANARY_DB as string, { readonly: true });
    try {
      const run = store.getRun(crashed[0]!.id);
      expect(run?.verdict.decision).toBe('hold');
      expect(run?.verdict.reasons.join(' ')).toMatch(/died before it finished/);
    } finally {
      store.close();
    }
  }, 60_000);

  it('healthy variant: a live holder is not taken over (the second run waits for it)', async () => {
    const { bot, slowStarted } = slowBot(3_000);
    await w.sandbox.setBot('canary_bot', bot);
    w.writeScenario('slow', slowScenario('[canary]'));
    const first = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    await slowStarted;
    const second = startCli(['run', '--json'], { ...w.env, LOG_LEVEL: 'info' }, { timeoutMs: 40_000 });
    await second.waitFor(/waiting for the session lease/);
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a.code, first.stderr()).toBe(0);
    expect(b.code, second.stderr()).toBe(0);
    expect(runsIn(w.env.TG_CANARY_DB as string).map((r) => r.verdict)).toEqual(['pass', 'pass']);
  }, 60_000);
});

describe('a run blocked by the session lease', () => {
  it('is stored inconclusive, counted in the streak, fires the "cannot judge" alert and pushes its result', async () => {
    const { bot, slowStarted } = slowBot(6_000);
    await w.sandbox.setBot('canary_bot', bot);
    w.writeScenario('slow', slowScenario('[canary]'));
    const alertEnv = {
      TELEGRAM_BOT_TOKEN: '4242:BLIND', TELEGRAM_ALERT_CHAT_ID: '-100555', TELEGRAM_BOT_API_ROOT: api.url,
      ALERT_INCONCLUSIVE_THRESHOLD: '1', WEBHOOK_URL: hook.url,
    };
    const first = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    await slowStarted;
    const calls = api.calls.length;
    const hooks = hook.requests.length;
    const second = startCli(['run', '--json'], { ...w.env, ...alertEnv, LOG_LEVEL: 'info' }, { timeoutMs: 40_000 });
    await second.waitFor(/waiting for the session lease/);
    second.child.kill('SIGTERM');
    const b = await second.exited;
    expect(b.code, second.stderr()).toBe(3);
    expect(second.stderr()).toMatch(/\[SESSION_LEASE_HELD\]/);
    const verdict = JSON.parse(second.stdout()) as { runId: string; verdict: string; consecutiveInconclusive: number };
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.consecutiveInconclusive).toBe(1);
    // the "tester blind" alert and the push of the blocked run's result
    const sent = api.calls.slice(calls).filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body.text).toMatch(/cannot judge the canary/);
    expect(sent[0]?.body.text).toMatch(/SESSION_LEASE_HELD/);
    const pushed = hook.requests.slice(hooks);
    expect(pushed.map((r) => (JSON.parse(r.body) as { runId: string }).runId)).toEqual([verdict.runId]);
    expect(pushed[0]?.key).toBe(`push:webhook:${verdict.runId}`);
    await first.exited;
  }, 60_000);
});

describe('a hard exit after SIGTERM', () => {
  it('stores the run as aborted (not pending) and gives the lease back', async () => {
    w.writeScenario('convert', quick);
    // the send never gets an answer: the run is stuck inside an RPC when SIGTERM comes, so the second is hard
    w.sandbox.faults.add({ kind: 'rpc_hang', method: 'messages.SendMessage', times: 1 });
    const since = Date.now();
    const live = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    for (let i = 0; i < 400 && !w.sandbox.callLog.some((c) => c.at >= since && /sendmessage/i.test(c.method)); i++) await sleep(25);
    live.child.kill('SIGTERM');
    await live.waitFor(/SIGTERM received/);
    await sleep(300);
    live.child.kill('SIGTERM');
    const end = await live.exited;
    expect(end.code, live.stderr()).toBe(3);
    const runs = runsIn(w.env.TG_CANARY_DB as string);
    expect(runs).toHaveLength(1);
    expect(runs[0], live.stderr()).toMatchObject({ finished: true, aborted: true, verdict: 'inconclusive' });
    w.sandbox.faults.clear();
    const t0 = Date.now();
    const next = await w.cli(['run', '--json']);
    expect(next.code, `${next.stderr}\n${JSON.stringify(next.json?.reasons)}`).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 60_000);
});

describe('kill -9 right after the run is stored (issue 15 #5)', () => {
  it('a stored run always has its status push queued, and the next run sends it', async () => {
    w.writeScenario('convert', quick);
    const env = { ...w.env, WEBHOOK_URL: hook.url };
    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      // hang the receiver so the process cannot finish on its own; kill it the moment the run row is finished
      hook.setMode('hang');
      const live = startCli(['run', '--json'], env, { timeoutMs: 40_000 });
      let db: Database.Database | undefined;
      let found: { id: string; queued: number } | undefined;
      for (let t = 0; t < 8000 && !found; t++) {
        try {
          db ??= new Database(env.TG_CANARY_DB as string, { readonly: true, fileMustExist: true });
          const pick = db.prepare('SELECT id FROM runs WHERE finished_at IS NOT NULL ORDER BY seq DESC LIMIT 1').get() as { id: string } | undefined;
          if (pick && !runIds.includes(pick.id)) {
            live.child.kill('SIGKILL');
            const queued = db.prepare('SELECT count(*) AS n FROM outbox WHERE dedupe_key = ?').get(`push:webhook:${pick.id}`) as { n: number };
            found = { id: pick.id, queued: queued.n };
          }
        } catch {
          db?.close();
          db = undefined; // not created or not migrated yet
        }
        await sleep(1);
      }
      db?.close();
      await live.exited;
      hook.release();
      expect(found, live.stderr()).toBeDefined();
      expect(found?.queued).toBe(1);
      runIds.push(found!.id);
    }
    hook.setMode('ok');
    const before = hook.requests.length;
    const next = await w.cli(['run', '--json'], { WEBHOOK_URL: hook.url });
    expect(next.code, next.stderr).toBe(0);
    const got = hook.requests.slice(before).map((r) => r.key);
    for (const id of runIds) expect(got).toContain(`push:webhook:${id}`);
  }, 90_000);
});

describe('a run blocked by the store', () => {
  it('DB_BUSY on the session lease: stored as inconclusive once the store works, exit 3, never lost', async () => {
    w.writeScenario('convert', quick);
    const db = w.env.TG_CANARY_DB as string;
    const first = await w.cli(['run', '--json']);
    expect(first.code, first.stderr).toBe(0);
    // another process holds the write lock longer than the busy timeout (5 s)
    const locker = new Database(db);
    locker.exec('BEGIN IMMEDIATE');
    const live = startCli(['run', '--json'], { ...w.env, LOG_LEVEL: 'warn' }, { timeoutMs: 60_000 });
    try {
      await live.waitFor(/cannot use the Telegram session; storing it as inconclusive/, 30_000);
    } finally {
      locker.exec('ROLLBACK'); // the store works again while the run records itself
      locker.close();
    }
    const end = await live.exited;
    expect(end.code, live.stderr()).toBe(3);
    expect(live.stderr()).toMatch(/\[DB_BUSY\]/);
    const v = JSON.parse(live.stdout()) as { runId: string; verdict: string; decision: string };
    expect(v).toMatchObject({ verdict: 'inconclusive', decision: 'hold' });
    const runs = runsIn(db);
    expect(runs.map((r) => r.verdict)).toEqual(['inconclusive', 'pass']);
    expect(runs[0]).toMatchObject({ id: v.runId, finished: true });
  }, 90_000);
});
