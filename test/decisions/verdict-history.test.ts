/**
 * Decisions that depend on history, through the real CLI (one process per run): `rollbackAfter`, streaks, flaky
 * scenarios, and the alerts of a monitor that cannot judge the canary (inconclusive streak) — which must never
 * page as "canary FAILING".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type CliResult, type World } from '../e2e/harness.js';
import { CONVERT } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';

let w: World;
let botApi: BotApiStandIn;

beforeAll(async () => {
  w = await createWorld();
  botApi = await startBotApi();
});
afterAll(async () => {
  await botApi?.close();
  await w?.close();
});
afterEach(() => {
  w.freshDb();
  w.sandbox.faults.clear();
});

type Json = NonNullable<CliResult['json']> & { decision: string; consecutiveFailures: number; consecutiveInconclusive: number; flaky: string[] };
const j = (r: CliResult): Json => {
  if (!r.json) throw new Error(`no JSON (exit ${r.code}):\n${r.stderr}`);
  return r.json as Json;
};
const breakCanary = (): void => w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error: model overloaded' });

describe('history-based decisions', () => {
  it('rollbackAfter=2: hold, then rollback; a pass resets the streak; a flip-flopping scenario is flaky', async () => {
    w.writeScenario('convert', CONVERT('[canary]'));
    const env = { ROLLBACK_AFTER: '2', FLAKY_FLIPS: '1', FLAKY_WINDOW_RUNS: '10' };
    breakCanary();
    const r1 = j(await w.cli(['run', '--json'], env));
    expect([r1.verdict, r1.decision, r1.consecutiveFailures]).toEqual(['fail', 'hold', 1]);
    expect(r1.reasons.join(' ')).toMatch(/failing 1 of 2 runs needed for rollback/);
    const r2 = j(await w.cli(['run', '--json'], env));
    expect([r2.verdict, r2.decision, r2.consecutiveFailures]).toEqual(['fail', 'rollback', 2]);
    expect(r2.flaky).toEqual([]);
    w.sandbox.faults.clear();
    const r3 = j(await w.cli(['run', '--json'], env));
    expect([r3.verdict, r3.decision, r3.consecutiveFailures]).toEqual(['pass', 'promote', 0]);
    expect(r3.flaky).toEqual([]); // fail, fail, pass: one flip
    breakCanary();
    const r4 = j(await w.cli(['run', '--json'], env));
    expect([r4.verdict, r4.decision, r4.consecutiveFailures]).toEqual(['fail', 'hold', 1]);
    expect(r4.flaky).toEqual(['convert']); // fail, fail, pass, fail: two flips > 1
    expect(r4.reasons.join(' ')).toMatch(/canary regression: convert \(flaky\)/);
    // the status file of the last run, in the shape the users' status page reads
    const status = JSON.parse(readFileSync(join(w.dir, 'reports', 'status.json'), 'utf8')) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'down', last_test: { results: { favors: { status: 'fail' } } }, features: { favors: false } });
  }, 60_000);

  it('an inconclusive streak alerts "cannot judge the canary" once, never "canary FAILING", and clears', async () => {
    w.writeScenario('convert', CONVERT());
    const env = {
      TELEGRAM_BOT_TOKEN: '1:AA-history-token',
      TELEGRAM_ALERT_CHAT_ID: '42',
      TELEGRAM_BOT_API_ROOT: botApi.url,
      ALERT_INCONCLUSIVE_THRESHOLD: '2',
    };
    const texts = (): string[] => botApi.messages.map((m) => m.text);
    botApi.messages.length = 0;

    // shared outage: both bots fail the same scenario — inconclusive for canary; stable itself is failing
    for (const bot of ['canary_bot', 'stable_bot']) w.sandbox.faults.add({ kind: 'error_text', bot, text: 'Error: upstream down' });
    const a = await w.cli(['run', '--json'], env);
    expect(a.code, a.stderr).toBe(3);
    expect(texts()).toEqual([expect.stringMatching(/stable FAILING/)]);

    // a revoked session: inconclusive again → the streak reaches the threshold
    w.sandbox.faults.clear();
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED' });
    const b = await w.cli(['run', '--json'], env);
    expect(b.code, b.stderr).toBe(3);
    expect(j(b).consecutiveInconclusive).toBe(2);
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toMatch(/cannot judge the canary/);
    expect(texts()[1]).toMatch(/tg-canary login|AUTH_KEY_UNREGISTERED|session/i);

    // conclusive again: the inconclusive alert clears, stable resolves
    w.sandbox.faults.clear();
    const c = await w.cli(['run', '--json'], env);
    expect(c.code, c.stderr).toBe(0);
    expect(texts()).toHaveLength(4);
    const last = texts().slice(2);
    expect(last.filter((t) => /canary can be judged again/.test(t))).toHaveLength(1);
    expect(last.filter((t) => /stable RESOLVED/.test(t))).toHaveLength(1);
    expect(texts().some((t) => /canary FAILING/.test(t))).toBe(false);
  }, 60_000);
});
