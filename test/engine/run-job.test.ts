/**
 * Fast runner tests: runJob, executeRun and runScenario called directly with the scripted FakeDriver, a virtual
 * clock and a real SQLite file in a temp dir. No sockets, no Chromium: each case takes milliseconds.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { Scenario } from '../../src/core/types.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { loadScenarioSet } from '../../src/app/scenario-set.js';
import { runJob, type RunJobInput } from '../../src/app/run-job.js';
import { engineDeps } from '../../src/app/engine-deps.js';
import { buildRuntime } from '../../src/app/runtime.js';
import { runOnce } from '../../src/app/run-once.js';
import type { WebRunner } from '../../src/browser/web-step.js';
import { executeRun } from '../../src/runner/run-engine.js';
import { runScenario } from '../../src/runner/scenario-runner.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeDriver, floodWait, type BotScript, type FakeDriverOptions } from '../support/fake-driver.js';
import { createVirtualClock, type VirtualClock } from '../support/virtual-clock.js';
import { runResult } from '../store/fixtures.js';

const CONVERT = `
name: convert
suite: favor
targets: [canary, stable]
timeout: 20s
quiet: 0s
steps:
  - send: "Convert 10 km to miles"
  - expect: { timeout: 5s, settle: 300ms, assert: [ { type: contains, value: "6.21", critical: true } ] }
`;
const PROMPT = 'Convert 10 km to miles';
const GOOD: BotScript = { [PROMPT]: { messages: [{ text: '10 km is about 6.21 miles.', afterMs: 400 }] } };
const DAY = 86_400_000;

let root: string;
let scenarios: Scenario[];
let dir: string;
let config: Config;
let store: SqliteRunStore;
let clock: VirtualClock;
const logger = silentLogger();

/** A web runner for scenarios without `web:` steps: using it is a test failure. */
const noWeb = (): WebRunner => ({
  run: () => Promise.reject(new Error('no web step expected')),
  close: () => Promise.resolve(),
});

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tg-canary-runjob-'));
  mkdirSync(join(root, 'scenarios'));
  writeFileSync(join(root, 'scenarios', 'convert.yaml'), CONVERT);
  scenarios = await loadScenarioSet(join(root, 'scenarios'));
  return () => rmSync(root, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = mkdtempSync(join(root, 'case-'));
  config = await loadConfig({
    env: {
      TG_API_ID: '1', TG_API_HASH: '0123456789abcdef0123456789abcdef', TG_SESSION: 'fake-session', CANARY_BOT: 'canary_bot', STABLE_BOT: 'stable_bot',
      TG_CANARY_DB: join(dir, 'runs.db'), REPORTS_DIR: join(dir, 'reports'), SCENARIOS_DIR: join(root, 'scenarios'), STATUS_FILE: 'false',
    },
    cwd: dir,
  });
  clock = createVirtualClock();
  store = openStore(config.paths.db, { clock });
});

afterEach(() => store.close());

function job(driver: FakeDriver, over: Partial<RunJobInput> = {}): Promise<Awaited<ReturnType<typeof runJob>>> {
  return runJob({
    config, store, scenarios, target: 'both', clock, logger, signal: new AbortController().signal,
    openDriver: () => driver, openWebRunner: noWeb, ...over,
  });
}

function fake(bots: FakeDriverOptions['bots'], o: Partial<FakeDriverOptions> = {}): FakeDriver {
  return new FakeDriver({ clock, bots, ...o });
}

describe('runJob with a scripted driver', () => {
  it('a healthy canary passes (exit 0), stored in the SQLite file, the driver connected and closed', async () => {
    const driver = fake({ canary_bot: GOOD, stable_bot: GOOD });
    const t0 = performance.now();
    const out = await job(driver);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(out.run.verdict.verdict).toBe('pass');
    expect(out.exitCode).toBe(0);
    expect(out.run.scenarios.map((s) => `${s.target}:${s.status}`).sort()).toEqual(['canary:pass', 'stable:pass']);
    // latency comes from the scripted delay in the injected clock's time
    expect(out.run.scenarios.every((s) => s.latencyMs.first === 400)).toBe(true);
    expect(driver.sent.map((s) => `${s.bot}:${s.text}`).sort()).toEqual([`canary_bot:${PROMPT}`, `stable_bot:${PROMPT}`]);
    expect(driver.connected && driver.closed).toBe(true);
    expect(store.getRun(out.run.runId)?.verdict.verdict).toBe('pass');
    expect(store.pendingRuns()).toEqual([]);
  });

  it('a broken canary fails (exit 1) while stable passes', async () => {
    const driver = fake({ canary_bot: { [PROMPT]: 'Sorry, I cannot convert units right now.' }, stable_bot: GOOD });
    const out = await job(driver);
    expect(out.run.verdict.verdict).toBe('fail');
    expect(out.exitCode).toBe(1);
    const canary = out.run.scenarios.find((s) => s.target === 'canary');
    expect(canary?.status).toBe('fail');
    expect(canary?.reasons.join(' ')).toMatch(/6\.21/);
    expect(out.run.scenarios.find((s) => s.target === 'stable')?.status).toBe('pass');
  });

  it('a silent canary fails after the expect timeout (five attempts: enough evidence), in virtual time', async () => {
    const t0 = performance.now();
    const out = await job(fake({ canary_bot: {}, stable_bot: GOOD }), { scenarios: scenarios.map((s) => ({ ...s, repeat: 5 })) });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(out.run.verdict.verdict).toBe('fail');
    expect(out.run.verdict.reasons.join(' ')).toMatch(/canary 100% \(5\/5\) vs stable 0% \(0\/5\)/);
    const canary = out.run.scenarios.filter((s) => s.target === 'canary');
    expect(canary).toHaveLength(5);
    for (const c of canary) {
      expect(c.reasons.join(' ')).toMatch(/no reply within 5\.0 s/);
      expect(c.finishedAt - c.startedAt).toBeGreaterThanOrEqual(5000);
    }
  });

  it('a flood wait over the budget is inconclusive (the configured exit code), not a failure', async () => {
    config.run.inconclusiveExitCode = 5;
    const out = await job(fake({ canary_bot: { [PROMPT]: { sendError: floodWait(120) } }, stable_bot: GOOD }));
    expect(out.run.verdict.verdict).toBe('inconclusive');
    expect(out.exitCode).toBe(5);
    const canary = out.run.scenarios.find((s) => s.target === 'canary');
    expect(canary).toMatchObject({ status: 'error', errorCode: 'TG_FLOOD_WAIT' });
  });

  it('a flood wait within the budget only delays the prompt: still a pass, the wait kept apart from latency', async () => {
    const out = await job(fake({ canary_bot: { [PROMPT]: { floodWaitMs: 3000, messages: [{ text: 'That is 6.21 miles.', afterMs: 250 }] } }, stable_bot: GOOD }));
    expect(out.run.verdict.verdict).toBe('pass');
    const canary = out.run.scenarios.find((s) => s.target === 'canary');
    expect(canary?.latencyMs.first).toBe(250);
  });

  it('a data center that cannot be reached makes every scenario an error and the run inconclusive', async () => {
    const { infraError } = await import('../../src/core/errors.js');
    const driver = fake({ canary_bot: GOOD, stable_bot: GOOD }, { connectError: infraError('TG_UNREACHABLE', 'cannot reach Telegram') });
    const out = await job(driver);
    expect(out.run.verdict.verdict).toBe('inconclusive');
    expect(out.run.scenarios.every((s) => s.status === 'error' && s.errorCode === 'TG_UNREACHABLE')).toBe(true);
    expect(driver.sent).toEqual([]);
  });

  it('prunes runs older than keepDays before it runs, and keeps the recent ones the verdict reads', async () => {
    const now = clock.now();
    for (const [id, age] of [['old-a', 40 * DAY], ['old-b', 8 * DAY], ['recent', 2 * DAY]] as const) {
      store.beginRun({ runId: id, startedAt: now - age });
      store.finishRun(runResult(id, now - age));
    }
    config.run.keepDays = 7;
    const out = await job(fake({ canary_bot: GOOD, stable_bot: GOOD }));
    expect(store.listRuns({ last: 10 }).map((r) => r.runId).sort()).toEqual([out.run.runId, 'recent'].sort());
  });
});

describe('the engine directly', () => {
  it('executeRun runs both targets and reports each result once', async () => {
    const driver = fake({ canary_bot: GOOD, stable_bot: { [PROMPT]: 'no idea' } });
    const done: string[] = [];
    await driver.connect();
    const deps = engineDeps({ config, store, clock, logger, driver, runId: 'r-engine', onScenarioDone: (r) => done.push(`${r.target}:${r.status}`) });
    const results = await executeRun(deps, { runId: 'r-engine', scenarios, bots: { canary: 'canary_bot', stable: 'stable_bot' } }, new AbortController().signal);
    expect(results.map((r) => `${r.target}:${r.status}`).sort()).toEqual(['canary:pass', 'stable:fail']);
    expect(done.sort()).toEqual(['canary:pass', 'stable:fail']);
  });

  it('runScenario grades the final text of a streamed (edited) answer', async () => {
    const driver = fake({ canary_bot: { [PROMPT]: { messages: [{ text: 'Let me think…', afterMs: 200, edits: [{ text: '10 km = 6.21 miles', afterMs: 900 }] }] } } });
    const deps = engineDeps({ config, store, clock, logger, driver, runId: 'r-one' });
    const scenario = scenarios[0] as Scenario;
    const r = await runScenario(deps, {
      scenario, target: 'canary', bot: await driver.resolveBot('canary_bot'), vars: {}, signal: new AbortController().signal,
    });
    expect(r.status).toBe('pass');
    expect(r.latencyMs).toMatchObject({ first: 200, final: 900 });
    expect(r.steps[1]?.reply?.text).toBe('10 km = 6.21 miles');
    expect(r.steps[1]?.reply?.editCount).toBe(1);
  });
});

describe('buildRuntime + runOnce', () => {
  it('runs with the injected driver, clock and store; the runtime leaves an injected store open', async () => {
    const driver = fake({ canary_bot: GOOD, stable_bot: GOOD });
    const rt = buildRuntime(config, { store, clock, logger, openDriver: () => driver, openWebRunner: noWeb });
    const out = await runOnce(rt, { filter: {}, target: 'canary', signal: new AbortController().signal });
    rt.close();
    expect(out.run.verdict.verdict).toBe('pass');
    expect(out.run.scenarios.map((s) => s.target)).toEqual(['canary']);
    expect(out.run.startedAt).toBe(Date.UTC(2026, 0, 15, 12, 0, 0));
    expect(store.latestRun()?.runId).toBe(out.run.runId); // still open
  });

  it('runOnce refuses a filter that matches nothing (a config error naming the filter)', async () => {
    let driverUnused = true;
    const rt = buildRuntime(config, { store, clock, logger, openDriver: () => { driverUnused = false; return fake({}); }, openWebRunner: noWeb });
    await expect(runOnce(rt, { filter: { name: 'nope' }, target: 'both', signal: new AbortController().signal })).rejects.toMatchObject({ code: 'SCENARIO_NONE_MATCHED', kind: 'config' });
    expect(driverUnused).toBe(true);
  });

  it('opens and closes its own store at paths.db when none is injected', async () => {
    const rt = buildRuntime(config, { logger, clock });
    expect(rt.store.path).toBe(config.paths.db);
    rt.close();
    expect(() => rt.store.listRuns({ last: 1 })).toThrow();
  });
});
