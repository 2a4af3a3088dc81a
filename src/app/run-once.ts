/**
 * `tg-canary run` (and `demo`) as an app function: the scenario set (served from the store's cache when the files
 * did not change), then one run job with the runtime's adapters and deliveries. The CLI only parses flags and
 * prints what this returns.
 */
import { runJob, type ProgressSink, type RunJobOutput, type TargetChoice } from './run-job.js';
import { loadScenarioSet } from './scenario-set.js';
import type { ScenarioFilter } from '../scenarios/filter.js';
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
  // an empty set never gets here: the pipeline throws SCENARIO_NONE_MATCHED
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
