/**
 * Retry before alerting (`run.retryFailed`), through the real CLI, the real client and the sandbox: a canary that
 * fails once and then answers passes with the scenario shown (and stored) as flaky; one that fails twice fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './harness.js';
import { convertScenario } from '../support/scenarios.js';
import { openStore } from '../../src/store/index.js';

let w: World;

const conversion = convertScenario({ expectTimeout: '2s' });

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

/** A canary that answers wrongly the first `wrong` times, then right. */
async function flakyCanary(wrong: number): Promise<{ asked: () => number }> {
  let n = 0;
  await w.sandbox.setBot('canary_bot', {
    async onMessage(_msg, chat) {
      n += 1;
      await chat.reply(n <= wrong ? 'Sorry, I cannot convert units right now.' : '10 km is about 6.21 miles.');
    },
  });
  return { asked: () => n };
}

describe('tg-canary run: retry before alerting', () => {
  it('fails once, passes its retry: pass, shown as flaky in the summary, the JSON, the stored run and the report', async () => {
    w.writeScenario('convert', conversion);
    const bot = await flakyCanary(1);
    const r = await w.cli(['run', '--target', 'canary'], { RETRY_FAILED: '1' });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(bot.asked()).toBe(2);
    expect(r.stdout).toMatch(/verdict: PASS/);
    expect(r.stdout).toMatch(/flaky: convert \(failed, passed on retry\)/);

    const store = openStore(w.env.TG_CANARY_DB as string);
    try {
      const [last] = store.listRuns({ last: 1 });
      const run = store.getRun(last?.runId ?? '');
      // one result, not two: the retry replaced the failure (never counted as independent evidence)
      expect(run?.scenarios).toHaveLength(1);
      expect(run?.scenarios[0]).toMatchObject({ status: 'pass', retried: { firstStatus: 'fail', retryStatus: 'pass' } });
      expect(run?.scenarios[0]?.retried?.firstReasons.join(' ')).toMatch(/6\.21/);
      expect(run?.verdict.flaky).toStrictEqual(['convert']);
      expect(run?.verdict.scenarios[0]?.passedOnRetry).toBe(true);
      const dir = join(w.env.REPORTS_DIR as string, last?.runId ?? '');
      const md = readdirSync(dir).find((f) => f.endsWith('.md'));
      expect(md).toBeDefined();
      expect(readFileSync(join(dir, md ?? ''), 'utf8')).toMatch(/Flaky:\*\* convert/);
    } finally {
      store.close();
    }
  });

  it('fails both times: the failure stands (exit 1), in one run', async () => {
    w.writeScenario('convert', conversion);
    const bot = await flakyCanary(2);
    const r = await w.cli(['run', '--target', 'canary', '--json'], { RETRY_FAILED: '1' });
    expect(r.json?.verdict, r.stderr).toBe('fail');
    expect(r.code).toBe(1);
    expect(bot.asked()).toBe(2);
    expect(r.json?.flaky).toStrictEqual([]);
    const s = r.json?.scenarios.find((x) => x.target === 'canary');
    expect(s?.status).toBe('fail');
    expect(s?.reasons.join(' ')).toMatch(/failed again on its retry \(fail\)/);
  });

  it('off by default: one wrong answer fails the run and the bot is asked once', async () => {
    w.writeScenario('convert', conversion);
    const bot = await flakyCanary(1);
    const r = await w.cli(['run', '--target', 'canary', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('fail');
    expect(bot.asked()).toBe(1);
  });
});
