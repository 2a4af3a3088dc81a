/**
 * `tg-canary run` (and `demo`) as an app function: the scenario set (served from the store's cache when the files
 * did not change), then one run job with the runtime's adapters and deliveries. The CLI only parses flags and
 * prints what this returns.
 */
import { TgCanaryError } from '../core/errors.js';
import { runJob, type ProgressSink, type RunJobOutput, type TargetChoice } from './run-job.js';
import { loadScenarioSet, type ScenarioFilter } from './scenario-set.js';
import type { Runtime } from './runtime.js';

export interface RunOnceInput {
  filter: ScenarioFilter;
  target: TargetChoice;
  signal: AbortSignal;
  revision?: string;
  progress?: ProgressSink;
}

export async function runOnce(rt: Runtime, input: RunOnceInput): Promise<RunJobOutput> {
  const { config, store } = rt;
  const scenarios = await loadScenarioSet(config.paths.scenarios, input.filter, store);
  if (scenarios.length === 0) {
    throw new TgCanaryError('NO_SCENARIOS', `no scenario matched in ${config.paths.scenarios}`, {
      kind: 'usage',
      hint: 'Check --scenario / --suite, or SCENARIOS_DIR; `tg-canary list` shows what is there.',
    });
  }
  const deliveries = rt.deliveries();
  return runJob({
    config,
    store,
    scenarios,
    target: input.target,
    clock: rt.clock,
    logger: rt.logger,
    signal: input.signal,
    revision: input.revision,
    progress: input.progress,
    openDriver: rt.openDriver,
    openWebRunner: rt.openWebRunner,
    beforeRun: (id) => deliveries.beforeRun(id),
    prepareQueue: (run, dir) => deliveries.prepareQueue(run, dir),
    afterRun: (run, dir) => deliveries.afterRun(run, dir),
  });
}
