/**
 * One run, end to end: lease the session, connect, run the scenarios on canary and stable, judge, store, report,
 * deliver. Used by `run`, `demo` and the `serve` daemon. Whatever fails after the run started, the run is stored
 * (aborted or inconclusive), never lost.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../core/ports.js';
import type { RunResult, Scenario, ScenarioResult, TargetName } from '../core/types.js';
import { TgCanaryError, isTgCanaryError, EXIT } from '../core/errors.js';
import { computeVerdict } from '../core/verdict-policy.js';
import type { Config } from '../config/index.js';
import { applyTemplate } from '../scenarios/template.js';
import { scoreAssertion, scoreScenario } from '../scorers/index.js';
import type { SqliteRunStore } from '../store/index.js';
import { createSessionDriver, sessionLeaseName } from './telegram-session.js';
import { executeRun, errorResult } from '../runner/run-engine.js';
import { createWebRunner } from '../browser/web-step.js';
import { writeReports } from '../reporters/index.js';
import type { Logger } from '../util/logger.js';
import { newRunId } from './run-id.js';

export type TargetChoice = TargetName | 'both';

export interface ProgressSink {
  scenarioStart?(scenario: Scenario, target: TargetName): void;
  scenarioDone?(result: ScenarioResult): void;
  step?(ev: { scenario: string; target: TargetName; step: number; kind: string; state: 'start' | 'end' }): void;
}

export interface RunJobInput {
  config: Config;
  store: SqliteRunStore;
  scenarios: Scenario[];
  target: TargetChoice;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  revision?: string;
  runId?: string;
  progress?: ProgressSink;
  /** Deliveries after the run (status pushes, alerts); failures never affect the run. */
  afterRun?(run: RunResult, reportDir: string): Promise<unknown>;
  /** Called once the run id is known, before Telegram is touched (start pings). */
  beforeRun?(runId: string): Promise<void>;
  /** How long to wait for another process's session lease before giving up. */
  leaseWaitMs?: number;
  onRunId?(runId: string): void;
}

export interface RunJobOutput {
  run: RunResult;
  exitCode: number;
  reportDir: string;
  reportFiles: string[];
}

const LEASE_TTL_MS = 5 * 60_000;

export async function runJob(input: RunJobInput): Promise<RunJobOutput> {
  const { config, store, clock, logger } = input;
  const runId = input.runId ?? newRunId(clock.now());
  input.onRunId?.(runId);
  const startedAt = clock.now();
  const bots: Partial<Record<TargetName, string>> = {};
  if (input.target !== 'stable') bots.canary = config.targets.canary;
  if (input.target !== 'canary' && config.targets.stable) bots.stable = config.targets.stable;

  const leaseName = sessionLeaseName(config.telegram.session);
  const holder = `${hostname()}:${process.pid}:${runId}`;
  await acquireLease(input, leaseName, holder);
  const renew = setInterval(() => {
    try {
      store.renewLease(leaseName, holder, LEASE_TTL_MS);
    } catch (e) {
      logger.warn({ err: String(e) }, 'could not renew the session lease');
    }
  }, 60_000);
  renew.unref();

  store.beginRun({ runId, startedAt, revision: input.revision });
  await input.beforeRun?.(runId).catch((e: unknown) => logger.warn({ err: String(e) }, 'before-run hook failed'));
  const reportDir = join(config.paths.reports, runId);
  const web = createWebRunner({ chromiumPath: config.paths.chromium, screenshotDir: reportDir });
  const driver = createSessionDriver(config, clock, logger);

  let results: ScenarioResult[] = [];
  try {
    const plan = { runId, scenarios: input.scenarios, bots };
    let connectError: TgCanaryError | undefined;
    try {
      await driver.connect({ bots: Object.values(bots) });
    } catch (e) {
      connectError = isTgCanaryError(e) ? e : new TgCanaryError('TG_UNREACHABLE', String(e), { kind: 'infra' });
    }
    if (connectError) {
      const now = clock.now();
      for (const t of Object.keys(bots) as TargetName[]) {
        for (const s of input.scenarios.filter((x) => x.targets.includes(t))) {
          const r = errorResult(s, t, bots[t] as string, now, connectError);
          results.push(r);
          store.saveScenario(runId, r);
          input.progress?.scenarioDone?.(r);
        }
      }
    } else {
      results = await executeRun(
        {
          driver,
          clock,
          logger,
          template: applyTemplate,
          score: (spec, ctx) =>
            scoreAssertion(spec, {
              reply: ctx.reply,
              vars: ctx.vars,
              scenario: { name: ctx.scenario.name, suite: ctx.scenario.suite, file: ctx.scenario.file },
              target: ctx.target,
              recentReplies: (limit: number) => store.recentReplyTexts(ctx.scenario.name, ctx.target, limit),
              llm: config.llmJudge,
              signal: ctx.signal,
            }),
          scoreScenario,
          facts: {
            get: (key, target) => store.getFact(key, target),
            plant: (key, target, value) => store.plantFact({ key, target, value, runId, at: clock.now() }),
          },
          web: (step, ctx) => web.run(step, { scenario: ctx.scenario.name, target: ctx.target, index: ctx.scenario.steps.indexOf(step), signal: ctx.signal }),
          onStep: input.progress?.step?.bind(input.progress),
          onScenarioStart: input.progress?.scenarioStart?.bind(input.progress),
          onScenarioDone: (r) => {
            store.saveScenario(runId, r);
            input.progress?.scenarioDone?.(r);
          },
        },
        plan,
        input.signal,
      );
    }
  } finally {
    clearInterval(renew);
    await Promise.allSettled([driver.close(), web.close()]);
    try {
      store.releaseLease(leaseName, holder);
    } catch (e) {
      logger.warn({ err: String(e) }, 'could not release the session lease');
    }
  }

  const finishedAt = clock.now();
  const aborted = input.signal.aborted;
  const verdict = computeVerdict({
    runId,
    startedAt,
    finishedAt,
    aborted,
    revision: input.revision,
    results,
    history: {
      runs: store.listRuns({ last: 50 }).filter((r) => r.runId !== runId).map((r) => ({ runId: r.runId, verdict: r.verdict, ...(r.revision !== undefined ? { revision: r.revision } : {}) })),
      scenarioRuns: store.scenarioHistory({ last: 2000 }).filter((r) => r.runId !== runId),
    },
    policy: config.verdict,
  });
  const run: RunResult = { runId, startedAt, finishedAt, aborted, revision: input.revision, scenarios: results, verdict };
  store.finishRun(run);

  let reportFiles: string[] = [];
  try {
    const out = await writeReports({ run, history: store.listRuns({ last: 50 }), dir: reportDir }, undefined, { logger });
    reportFiles = out.files;
    for (const f of out.failures) logger.error({ reporter: f.reporter, err: f.error }, 'a reporter failed');
  } catch (e) {
    logger.error({ err: String(e) }, 'writing reports failed');
  }
  if (input.afterRun) {
    try {
      await input.afterRun(run, reportDir);
    } catch (e) {
      logger.error({ err: String(e) }, 'deliveries after the run failed; they stay in the outbox');
    }
  }
  return { run, exitCode: exitCodeFor(run.verdict.verdict, config.run.inconclusiveExitCode), reportDir, reportFiles };
}

export function exitCodeFor(verdict: string, inconclusiveExitCode: number): number {
  if (verdict === 'pass') return EXIT.pass;
  if (verdict === 'fail') return EXIT.fail;
  return inconclusiveExitCode;
}

async function acquireLease(input: RunJobInput, name: string, holder: string): Promise<void> {
  const deadline = input.clock.now() + (input.leaseWaitMs ?? 30_000);
  let told = false;
  for (;;) {
    if (input.store.acquireLease(name, holder, LEASE_TTL_MS)) return;
    if (!told) {
      told = true;
      input.logger.info({ lease: name }, 'waiting for the session lease held by another tg-canary process');
    }
    if (input.clock.now() >= deadline || input.signal.aborted) {
      const other = input.store.leaseHolder(name);
      throw new TgCanaryError(
        'SESSION_LEASE_HELD',
        `another tg-canary process is using this Telegram session${other ? ` (${other.holder.split(':').slice(0, 2).join(' pid ')})` : ''}`,
        {
          kind: 'infra',
          hint: 'Two processes on one session risk AUTH_KEY_DUPLICATED. Wait for the other run, or give each deployment its own session (`tg-canary login`).',
        },
      );
    }
    await input.clock.sleep(500, input.signal).catch(() => undefined);
  }
}
