/**
 * `tg-canary run` with `pairs:` as an app function: opens every selected pair's store and deliveries, filters the
 * scenario set per pair, runs one fleet cycle (src/fleet/fleet-run.ts) and closes what it opened. The exit code is
 * the worst pair's: fail beats inconclusive beats pass (a crashed pair counts as inconclusive).
 */
import { TgCanaryError } from '../core/errors.js';
import type { Scenario } from '../core/types.js';
import { exitCodeFor } from '../core/exit-codes.js';
import { configPairs, hasPairs, pairConfig, type PairSpec } from '../config/pair-config.js';
import type { Config } from '../config/index.js';
import { matchesFilter, type ScenarioFilter } from '../scenarios/filter.js';
import { runFleetCycle, type FleetPair, type FleetPairOutcome } from '../fleet/fleet-run.js';
import { openAccountPool } from './open-pool.js';
import type { AccountPool } from '../fleet/account-pool-port.js';
import type { ProgressSink, TargetChoice } from './run-job.js';
import { loadScenarioSet } from './scenario-set.js';
import { createDeliveries, type Deliveries } from './deliveries.js';
import { openPairStore, type PairStoreHandle } from './pair-store.js';
import type { Runtime } from './runtime.js';

export interface FleetOnceInput {
  /** Only these pairs (`--pair`, repeatable); default all. */
  pairs?: readonly string[];
  filter: ScenarioFilter;
  target: TargetChoice;
  signal: AbortSignal;
  revision?: string;
  progress?: ProgressSink;
  /** A pool built by the caller (tests, the daemon); default the config's (src/app/open-pool.ts), closed here. */
  pool?: AccountPool;
}

export interface FleetOnceOutput {
  outcomes: FleetPairOutcome[];
  exitCode: number;
}

/** The selected pairs in config order; an unknown name is a usage error listing the known ones. */
export function selectPairs(all: readonly PairSpec[], names: readonly string[] | undefined): PairSpec[] {
  if (!names || names.length === 0) return [...all];
  const unknown = names.filter((n) => !all.some((p) => p.name === n));
  if (unknown.length > 0) {
    throw new TgCanaryError('FLEET_PAIR_UNKNOWN', `no pair named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in the config`, {
      kind: 'usage', hint: `the pairs are: ${all.map((p) => p.name).join(', ')}`,
    });
  }
  return all.filter((p) => names.includes(p.name));
}

/**
 * The config a one-pair read (`history --pair NAME`) opens: that pair's view (its history file). Without `--pair`
 * a fleet config has no one history to show: a usage error naming the pairs. A single-pair config reads `paths.db`.
 */
export function configForPair(config: Config, name: string | undefined): Config {
  if (name === undefined) {
    if (!hasPairs(config)) return config;
    throw new TgCanaryError('FLEET_PAIR_UNKNOWN', 'this config lists pairs: say whose history to show', {
      kind: 'usage', hint: `add --pair NAME; the pairs are: ${configPairs(config).map((p) => p.name).join(', ')}`,
    });
  }
  const [spec] = selectPairs(configPairs(config), [name]);
  return pairConfig(config, spec as PairSpec);
}

/** A pair's scenarios: the run's filter, then the pair's own `suites` / `scenarios`. */
export function pairScenarios(all: readonly Scenario[], spec: PairSpec): Scenario[] {
  return all.filter((s) => (spec.suites === undefined || spec.suites.includes(s.suite)) && matchesFilter(s, { name: spec.scenarios }));
}

/** Worst verdict first: fail, then inconclusive (and a crashed pair), then pass. */
export function worstVerdict(outcomes: readonly FleetPairOutcome[]): 'pass' | 'fail' | 'inconclusive' {
  let worst: 'pass' | 'fail' | 'inconclusive' = 'pass';
  for (const o of outcomes) {
    const v = o.out?.run.verdict.verdict ?? 'inconclusive';
    if (v === 'fail') return 'fail';
    if (v !== 'pass') worst = 'inconclusive';
  }
  return worst;
}

export async function runFleetOnce(rt: Runtime, input: FleetOnceInput): Promise<FleetOnceOutput> {
  const { config } = rt;
  const specs = selectPairs(configPairs(config), input.pairs);
  const all = await loadScenarioSet(config.paths.scenarios, input.filter, rt.store);
  const handles: PairStoreHandle[] = [];
  const pool = input.pool ?? openAccountPool(config, { mainStore: rt.store, openDriver: rt.openDriver, clock: rt.clock, logger: rt.logger, signal: input.signal });
  try {
    const pairs: FleetPair[] = [];
    const empty: FleetPairOutcome[] = [];
    for (const spec of specs) {
      const scenarios = pairScenarios(all, spec);
      if (scenarios.length === 0) {
        empty.push({ pair: spec.name, error: new TgCanaryError('SCENARIO_NONE_MATCHED', `no scenario matches the filter of pair ${spec.name}`, {
          kind: 'config', hint: `check pairs[].suites / pairs[].scenarios of ${spec.name} (\`tg-canary list\` shows the suites)`,
        }) });
        continue;
      }
      const cfg = pairConfig(config, spec);
      const h = openPairStore(config, spec, { main: rt.store });
      handles.push(h);
      const deliveries: Deliveries = h.owned ? createDeliveries({ ...rt, config: cfg, store: h.store, silences: rt.store }) : rt.deliveries();
      pairs.push({
        spec, config: cfg, store: h.store, scenarios, progress: input.progress,
        beforeRun: (id) => deliveries.beforeRun(id),
        prepareQueue: (run, dir) => deliveries.prepareQueue(run, dir),
        afterRun: (run, dir) => deliveries.afterRun(run, dir),
      });
    }
    const ran = await runFleetCycle({
      pairs, pool, openWebRunner: rt.openWebRunner, clock: rt.clock, logger: rt.logger, signal: input.signal, target: input.target, revision: input.revision,
    });
    const byName = new Map([...ran, ...empty].map((o) => [o.pair, o]));
    const outcomes = specs.map((s) => byName.get(s.name)).filter((o): o is FleetPairOutcome => o !== undefined);
    return { outcomes, exitCode: exitCodeFor(worstVerdict(outcomes), config.run.inconclusiveExitCode) };
  } finally {
    if (!input.pool) await pool.close().catch(() => undefined);
    for (const h of handles) h.close();
  }
}
