import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/index.js';
import { configFlags } from '../config/flag-source.js';
import { systemClock } from '../core/clock.js';
import type { TargetChoice } from '../app/run-job.js';
import { runOnce } from '../app/run-once.js';
import { buildRuntime, type Runtime } from '../app/runtime.js';
import { isStoreFailure, sendStoreFailureAlert } from '../app/store-failure-alert.js';
import { createLogger } from '../util/logger.js';
import { createProgress } from './progress.js';
import { renderSummary } from './summary.js';
import { abortOnSignals } from './signals.js';
import { describeError, fail } from './fatal.js';
import { VERSION } from './version.js';
import { pausingEntry } from '../core/maintenance.js';
import { activeMaintenance } from '../app/maintenance-state.js';
import { configPairs, usesFleet } from '../config/pair-config.js';
import { runFleetOnce, selectPairs } from '../app/fleet-once.js';
import { fleetJson, renderFleetSummary, writeStdout } from './fleet-summary.js';
import { safeText } from '../util/terminal-text.js';

export function parseIntArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function collectPair(v: string, prev: string[]): string[] {
  return [...prev, v];
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
  /** Only these pairs of the config's `pairs:` (repeatable). */
  pair?: string[];
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
    .option('--keep-days <n>', 'delete runs older than this many days (default 90, at least 7: the verdict reads earlier runs)', parseIntArg)
    .option('--revision <rev>', 'canary revision under test, recorded with the run')
    .option('--config <file>', 'config file (default ./tg-canary.config.yaml if present)')
    .option('--pair <name>', 'only this pair of the config\'s pairs: (repeat for more)', collectPair, [])
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
  // --keep-days and --inconclusive-exit-code are a config source: validated by the schema, with env and file.
  const config = await loadConfig({
    env, file: flags.config, cwd: configCwd,
    flags: configFlags({ keepDays: flags.keepDays, inconclusiveExitCode: flags.inconclusiveExitCode }),
  });
  const logger = createLogger({ level: config.logLevel });
  try {
    const rt = buildRuntime(config, { logger, version: VERSION });
    try {
      if (usesFleet(config)) return await runFleetAndPrint(rt, flags);
      selectPairs(configPairs(config), flags.pair);
      return await runAndPrint(rt, flags);
    } finally {
      rt.close();
    }
  } catch (e) {
    // The history database is unusable (read-only, full, corrupt): so is the outbox. Tell on-call directly.
    if (isStoreFailure(e)) await sendStoreFailureAlert(config, e, { logger, now: systemClock.now() });
    throw e;
  }
}

async function runAndPrint(rt: Runtime, flags: RunFlags): Promise<number> {
  // a `pause` maintenance window over the canary: no run (exit 0, so a CronJob does not fail; issue 17)
  const pause = pausingEntry(activeMaintenance(rt.config, rt.store, rt.clock.now()), flags.target === 'stable' ? 'stable' : 'canary');
  if (pause && !flags.ignoreMaintenance) {
    const reason = `${pause.reason} until ${new Date(pause.until).toISOString()}: run paused (--ignore-maintenance runs anyway)`;
    if (flags.json) process.stdout.write(`${JSON.stringify({ schema: 1, verdict: 'maintenance', decision: 'hold', reasons: [reason] }, null, 2)}\n`);
    else process.stdout.write(`maintenance: ${reason}\n`);
    return 0;
  }
  const sig = abortOnSignals();
  const progress = flags.json ? undefined : createProgress(process.stdout);
  try {
    const out = await runOnce(rt, {
      filter: { name: flags.scenario, suite: flags.suite },
      target: flags.target,
      signal: sig.signal,
      revision: flags.revision,
      progress,
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

/** With `pairs:`: one fleet cycle over the selected pairs; exit code: the worst pair's (fail > inconclusive > pass). */
async function runFleetAndPrint(rt: Runtime, flags: RunFlags): Promise<number> {
  const pause = pausingEntry(activeMaintenance(rt.config, rt.store, rt.clock.now()), flags.target === 'stable' ? 'stable' : 'canary');
  if (pause && !flags.ignoreMaintenance) {
    const reason = `${pause.reason} until ${new Date(pause.until).toISOString()}: run paused (--ignore-maintenance runs anyway)`;
    if (flags.json) process.stdout.write(`${JSON.stringify({ schema: 1, verdict: 'maintenance', decision: 'hold', reasons: [reason] }, null, 2)}\n`);
    else process.stdout.write(`maintenance: ${reason}\n`);
    return 0;
  }
  const sig = abortOnSignals();
  try {
    const out = await runFleetOnce(rt, {
      pairs: flags.pair, filter: { name: flags.scenario, suite: flags.suite }, target: flags.target, signal: sig.signal, revision: flags.revision,
    });
    for (const o of out.outcomes) {
      const e = o.out?.blockedBy ?? o.error;
      if (e) process.stderr.write(`${safeText(`pair ${o.pair}: ${describeError(e)}`)}\n`);
    }
    await writeStdout(flags.json ? `${JSON.stringify(fleetJson(out), null, 2)}\n` : renderFleetSummary(out));
    return out.exitCode;
  } finally {
    sig.dispose();
  }
}
