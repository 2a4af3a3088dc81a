import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { TgCanaryError } from '../core/errors.js';
import type { Scenario } from '../core/types.js';
import { runJob, type TargetChoice } from '../app/run-job.js';
import { loadScenarioSet } from '../app/scenario-set.js';
import { createDeliveries } from '../app/deliveries.js';
import { isStoreFailure, sendStoreFailureAlert } from '../app/store-failure-alert.js';
import { openStore } from '../store/index.js';
import { createLogger } from '../util/logger.js';
import { createProgress } from './progress.js';
import { renderSummary } from './summary.js';
import { abortOnSignals } from './signals.js';
import { describeError, fail } from './fatal.js';
import { VERSION } from './version.js';
import { pausingEntry } from '../core/maintenance.js';
import { activeMaintenance } from '../app/maintenance-state.js';

export function parseIntArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

export function parseTarget(v: string): TargetChoice {
  if (v === 'canary' || v === 'stable' || v === 'both') return v;
  throw new InvalidArgumentError('expected canary, stable or both');
}

export interface RunFlags {
  scenario?: string;
  suite?: string;
  target: TargetChoice;
  json?: boolean;
  inconclusiveExitCode?: number;
  keepDays?: number;
  revision?: string;
  config?: string;
  ignoreMaintenance?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the scenarios against the canary (and stable) bot, store the results, exit with the verdict')
    .option('--scenario <name|glob>', 'only scenarios whose name matches')
    .option('--suite <suite>', 'only scenarios of this suite')
    .option('--target <target>', 'canary, stable or both', parseTarget, 'both')
    .option('--json', 'print the verdict JSON on stdout')
    .option('--ignore-maintenance', 'run even during a pause maintenance window')
    .option('--inconclusive-exit-code <n>', 'exit code for an inconclusive verdict (default 3)', parseIntArg)
    .option('--keep-days <n>', 'delete runs older than this many days (default 90)', parseIntArg)
    .option('--revision <rev>', 'canary revision under test, recorded with the run')
    .option('--config <file>', 'config file (default ./tg-canary.config.yaml if present)')
    .action(async (flags: RunFlags) => {
      try {
        process.exitCode = await runCommand(flags);
      } catch (e) {
        fail(e);
      }
    });
}

/** `configCwd` lets `demo` ignore a tg-canary.config.yaml in the working directory (the demo is self-contained). */
export async function runCommand(flags: RunFlags, env: NodeJS.ProcessEnv = process.env, configCwd?: string): Promise<number> {
  const config = await loadConfig({ env, file: flags.config, cwd: configCwd });
  if (flags.inconclusiveExitCode !== undefined) config.run.inconclusiveExitCode = flags.inconclusiveExitCode;
  if (flags.keepDays !== undefined) config.run.keepDays = flags.keepDays;
  const logger = createLogger({ level: config.logLevel });
  try {
    return await runWithStore(flags, config, logger);
  } catch (e) {
    // The history database is unusable (read-only, full, corrupt): so is the outbox. Tell on-call directly.
    if (isStoreFailure(e)) await sendStoreFailureAlert(config, e, { logger, now: systemClock.now() });
    throw e;
  }
}

async function runWithStore(flags: RunFlags, config: Config, logger: ReturnType<typeof createLogger>): Promise<number> {
  const store = openStore(config.paths.db);
  try {
    // The store keeps the last validated scenario set: an hourly run with unchanged files skips parsing them.
    const scenarios = await loadScenarioSet(config.paths.scenarios, { name: flags.scenario, suite: flags.suite }, store);
    if (scenarios.length === 0) {
      throw new TgCanaryError('NO_SCENARIOS', `no scenario matched in ${config.paths.scenarios}`, {
        kind: 'usage',
        hint: 'Check --scenario / --suite, or SCENARIOS_DIR; `tg-canary list` shows what is there.',
      });
    }
    return await runScenarios(flags, config, logger, store, scenarios);
  } finally {
    store.close();
  }
}

async function runScenarios(
  flags: RunFlags,
  config: Config,
  logger: ReturnType<typeof createLogger>,
  store: ReturnType<typeof openStore>,
  scenarios: Scenario[],
): Promise<number> {
  // a `pause` maintenance window over the canary: no run (exit 0, so a CronJob does not fail; issue 17)
  const pause = pausingEntry(activeMaintenance(config, store, systemClock.now()), flags.target === 'stable' ? 'stable' : 'canary');
  if (pause && !flags.ignoreMaintenance) {
    const reason = `${pause.reason} until ${new Date(pause.until).toISOString()}: run paused (--ignore-maintenance runs anyway)`;
    if (flags.json) process.stdout.write(`${JSON.stringify({ schema: 1, verdict: 'maintenance', decision: 'hold', reasons: [reason] }, null, 2)}\n`);
    else process.stdout.write(`maintenance: ${reason}\n`);
    return 0;
  }
  const sig = abortOnSignals();
  const progress = flags.json ? undefined : createProgress(process.stdout);
  try {
    // Maintenance, not the run: a store that is busy or full right now must not stop the run from being judged
    // (and recorded, if the store takes it by then).
    try {
      store.prune(systemClock.now() - config.run.keepDays * 86_400_000);
    } catch (e) {
      logger.warn({ err: String(e) }, 'could not prune old runs; trying the run anyway');
    }
    const deliveries = createDeliveries({ config, store, clock: systemClock, logger, version: VERSION, processStartedAt: Date.now() });
    const out = await runJob({
      config,
      store,
      scenarios,
      target: flags.target,
      clock: systemClock,
      logger,
      signal: sig.signal,
      revision: flags.revision,
      progress,
      beforeRun: (id) => deliveries.beforeRun(id),
      prepareQueue: (run, dir) => deliveries.prepareQueue(run, dir),
      afterRun: (run, dir) => deliveries.afterRun(run, dir),
    });
    progress?.stop();
    // The run was stored as inconclusive (it counts in the streak and alerts), and stderr says why it could not judge.
    if (out.blockedBy) process.stderr.write(`${describeError(out.blockedBy)}\n`);
    if (flags.json) process.stdout.write(`${JSON.stringify(out.run.verdict, null, 2)}\n`);
    else process.stdout.write(renderSummary(out.run, out.reportFiles));
    return out.exitCode;
  } finally {
    progress?.stop();
    sig.dispose();
  }
}
