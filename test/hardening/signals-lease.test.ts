/**
 * Faults of the process itself (issue 6): SIGTERM / SIGINT in the middle of a run (a pod eviction) and two
 * `run`s at once on one database and one session. Real CLI, real sandbox, real SQLite.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { QUICK_SCENARIO, slowBot, slowScenario, startCli } from './helpers.js';

let w: World;

const quick = QUICK_SCENARIO;


beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

describe.each(['SIGTERM', 'SIGINT'] as const)('%s in the middle of a run', (sig) => {
  it('stores the run as aborted with the transcript so far, releases the lease, exits within 10 s', async () => {
    const { bot, slowStarted } = slowBot(12_000);
    await w.sandbox.setBot('canary_bot', bot);
    w.writeScenario('slow', slowScenario('[canary]'));
    const live = startCli(['run', '--json'], w.env, { timeoutMs: 30_000 });
    await slowStarted;
    const signalledAt = Date.now();
    live.child.kill(sig);
    const end = await live.exited;
    expect(end.at - signalledAt, live.stderr()).toBeLessThan(10_000);
    expect(end.code, live.stderr()).toBe(3);
    expect(live.stderr()).toContain(`${sig} received`);
    const verdict = JSON.parse(live.stdout()) as { verdict: string; aborted?: boolean; runId: string };
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.aborted).toBe(true);

    // the store: aborted, inconclusive, with the first step's exchange kept
    const store = openStore(w.env.TG_CANARY_DB as string, { readonly: true });
    try {
      const run = store.getRun(verdict.runId);
      expect(run?.aborted).toBe(true);
      expect(run?.verdict.verdict).toBe('inconclusive');
      expect(run?.verdict.decision).not.toBe('rollback');
      const canary = run?.scenarios.find((s) => s.target === 'canary');
      expect(canary?.status).toBe('error');
      const replies = canary?.steps.map((s) => s.reply?.text).filter(Boolean);
      expect(replies).toContain('quick answer');
      expect(canary?.steps.some((s) => s.sent?.text === 'slow')).toBe(true);
    } finally {
      store.close();
    }

    // history and report read the same run
    const hist = await w.cli(['history', '--json']);
    expect(hist.code, hist.stderr).toBe(0);
    const h = JSON.parse(hist.stdout) as { runs: { runId: string; aborted: boolean; verdict: string }[] };
    expect(h.runs[0]).toMatchObject({ runId: verdict.runId, aborted: true, verdict: 'inconclusive' });
    const rep = await w.cli(['report', verdict.runId, '--format', 'json']);
    expect(rep.code, rep.stderr).toBe(0);
    expect(JSON.parse(rep.stdout)).toMatchObject({ runId: verdict.runId, aborted: true });

    // the session lease was released: the next run does not wait for it (the lease wait is 30 s)
    await w.sandbox.setBot('canary_bot', 'builtin');
    w.writeScenario('convert', quick);
    const t0 = Date.now();
    const next = await w.cli(['run', '--json']);
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe('two runs at once on one database and session', () => {
  it('the second waits for the lease or exits SESSION_LEASE_HELD (3); the database stays intact', async () => {
    const { bot, slowStarted } = slowBot(2_500);
    await w.sandbox.setBot('canary_bot', bot);
    w.writeScenario('slow', slowScenario('[canary]'));
    const first = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    await slowStarted;
    const second = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a.code, first.stderr()).toBe(0);
    // The second run either waited for the lease and then ran (pass), or gave up with a clear error.
    if (b.code === 0) {
      const v = JSON.parse(second.stdout()) as { verdict: string };
      expect(v.verdict).toBe('pass');
    } else {
      expect(b.code, second.stderr()).toBe(3);
      expect(second.stderr()).toMatch(/SESSION_LEASE_HELD/);
      expect(second.stderr()).toMatch(/hint:/);
    }
    const store = openStore(w.env.TG_CANARY_DB as string);
    try {
      expect(store.integrityCheck()).toBe('ok');
      const runs = store.listRuns({ last: 10 });
      expect(runs.length).toBe(2); // a run that gave up on the lease is stored too (inconclusive)
      // never both at once on the session: the second run started its conversation after the first finished
      if (b.code === 0) {
        const [newer, older] = runs;
        const olderRun = store.getRun(older!.runId);
        const newerRun = store.getRun(newer!.runId);
        const firstSent = Math.min(...(newerRun?.scenarios.flatMap((s) => s.steps.map((x) => x.sent?.at ?? Infinity)) ?? []));
        expect(firstSent).toBeGreaterThanOrEqual(olderRun!.scenarios[0]!.finishedAt);
      }
    } finally {
      store.close();
    }
  });

  it('a run waiting for the lease and stopped gives SESSION_LEASE_HELD with exit 3, is stored inconclusive; the holder is unaffected', async () => {
    const { bot, slowStarted } = slowBot(5_000);
    await w.sandbox.setBot('canary_bot', bot);
    w.writeScenario('slow', slowScenario('[canary]'));
    const first = startCli(['run', '--json'], w.env, { timeoutMs: 40_000 });
    await slowStarted;
    const second = startCli(['run', '--json'], { ...w.env, LOG_LEVEL: 'info' }, { timeoutMs: 40_000 });
    await second.waitFor(/waiting for the session lease/);
    second.child.kill('SIGTERM');
    const b = await second.exited;
    expect(b.code, second.stderr()).toBe(3);
    expect(second.stderr()).toMatch(/another tg-canary process is using this Telegram session.*\[SESSION_LEASE_HELD\]/s);
    expect(second.stderr()).toMatch(/hint: .*own session/);
    const a = await first.exited;
    expect(a.code, first.stderr()).toBe(0);
    const store = openStore(w.env.TG_CANARY_DB as string);
    try {
      expect(store.integrityCheck()).toBe('ok');
      // issue 15 #2: the blocked run is recorded (inconclusive, never a rollback), so the monitor is not blind
      expect(store.listRuns({ last: 10 }).map((r) => r.verdict)).toEqual(['inconclusive', 'pass']);
      const blocked = store.getRun(store.listRuns({ last: 1 })[0]!.runId);
      expect(blocked?.verdict.decision).toBe('hold');
      expect(blocked?.scenarios.map((s) => s.errorCode)).toEqual(['SESSION_LEASE_HELD']);
    } finally {
      store.close();
    }
  });
});
