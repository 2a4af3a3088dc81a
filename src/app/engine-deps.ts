/**
 * What the run engine (src/runner) is given for one run: the driver, the real scorers with the config's checks, the
 * store's facts and recent replies, the web runner and progress hooks. runJob uses it; tests that call
 * `executeRun` or `runScenario` directly use it too, so they grade exactly as a run does.
 */
import type { BotDriver, Clock, RunStore } from '../core/ports.js';
import type { ScenarioResult } from '../core/types.js';
import type { Config } from '../config/index.js';
import { applyTemplate } from '../scenarios/template.js';
import { mergeChecksPolicy, resolveChecks, scoreAssertion, scoreScenario } from '../scorers/index.js';
import type { EngineDeps } from '../runner/run-engine.js';
import type { WebRunner } from '../browser/web-step.js';
import type { Logger } from '../util/logger.js';
import type { ProgressSink } from './progress-sink.js';

export interface EngineDepsInput {
  config: Config;
  store: Pick<RunStore, 'recentReplyTexts' | 'getFact' | 'plantFact'>;
  clock: Clock;
  logger: Logger;
  driver: BotDriver;
  runId: string;
  /** Absent: a `web:` step fails with "no web runner" (scenarios without web steps never need one). */
  web?: WebRunner;
  progress?: ProgressSink;
  onScenarioDone?(r: ScenarioResult): void;
}

export function engineDeps(i: EngineDepsInput): EngineDeps {
  const { config, store, clock, runId, web } = i;
  const checksPolicy = mergeChecksPolicy(config.checks);
  const checks = { errorPhrases: config.checks.errorPhrases, refusalPhrases: config.checks.refusalPhrases, leakPatterns: config.checks.leakPatterns };
  return {
    driver: i.driver,
    clock,
    logger: i.logger,
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
        checks,
        baseline: ctx.baseline,
        prompt: ctx.prompt,
        download: ctx.download,
      }),
    mediaMaxBytes: config.telegram.mediaMaxDownloadBytes,
    defaultChecks: (scenario, expect) => resolveChecks(checksPolicy, scenario.suite, scenario.checks, expect.checks),
    scoreScenario,
    facts: {
      get: (key, target) => store.getFact(key, target),
      plant: (key, target, value) => store.plantFact({ key, target, value, runId, at: clock.now() }),
    },
    web: web
      ? (step, ctx) => web.run(step, { scenario: ctx.scenario.name, target: ctx.target, index: ctx.index ?? ctx.scenario.steps.indexOf(step), signal: ctx.signal })
      : undefined,
    onStep: i.progress?.step?.bind(i.progress),
    onScenarioStart: i.progress?.scenarioStart?.bind(i.progress),
    onScenarioDone: i.onScenarioDone,
  };
}
