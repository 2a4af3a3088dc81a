/**
 * The fleet cycle (issue 19): every pair of the config in one cycle. The pool assigns pairs to accounts; each
 * account is opened once (one connection, one pacing and flood budget) and all its pairs run on it at the same
 * time, each as its own `runJob` with its own config, store and deliveries. Chats with different bots run
 * concurrently; two pairs that share a bot (a common stable) take turns, so one chat never runs twice at once. A
 * pair's failure or crash never touches another pair's result. A pair with no account is still run: stored as
 * inconclusive with the reason (FLEET_NO_ACCOUNT), never failed and never skipped silently.
 */
import type { BotDriver, Clock } from '../core/ports.js';
import type { RunResult, Scenario } from '../core/types.js';
import { TgCanaryError, isTgCanaryError } from '../core/errors.js';
import type { Config } from '../config/index.js';
import type { PairSpec } from '../config/pair-config.js';
import { runJob, type ProgressSink, type RunJobOutput, type RunJobStore, type TargetChoice } from '../app/run-job.js';
import type { WebRunnerFactory } from '../app/runtime.js';
import type { Logger } from '../util/logger.js';
import type { AccountFault, AccountPool, AccountSession } from './account-pool-port.js';
import { unavailableDriver } from './driver-view.js';

/** What one pair's run needs: its config view (pairConfig), its store, its scenarios, its deliveries. */
export interface FleetPair {
  spec: PairSpec;
  config: Config;
  store: RunJobStore;
  scenarios: Scenario[];
  beforeRun?(runId: string): Promise<void>;
  prepareQueue?(run: RunResult, reportDir: string): Promise<() => void>;
  afterRun?(run: RunResult, reportDir: string): Promise<unknown>;
  progress?: ProgressSink;
}

export interface FleetCycleInput {
  pairs: readonly FleetPair[];
  pool: AccountPool;
  openWebRunner: WebRunnerFactory;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  target?: TargetChoice;
  revision?: string;
}

export interface FleetPairOutcome {
  pair: string;
  account?: string;
  /** The stored run (absent only when the pair's run crashed before it could be stored: see `error`). */
  out?: RunJobOutput;
  error?: TgCanaryError;
}

/** The bots a pair talks to for a target choice. */
export function pairBots(spec: PairSpec, target: TargetChoice = 'both'): string[] {
  const bots: string[] = [];
  if (target !== 'stable') bots.push(spec.canary);
  if (target !== 'canary' && spec.stable) bots.push(spec.stable);
  return bots;
}

export async function runFleetCycle(input: FleetCycleInput): Promise<FleetPairOutcome[]> {
  const { pool, logger } = input;
  const target = input.target ?? 'both';
  // pairs whose account another shard (pod) drives are theirs: left out here, neither run nor stored
  const elsewhere = new Set(pool.outOfShard?.(input.pairs.map((p) => p.spec.name)) ?? []);
  const mine = input.pairs.filter((p) => !elsewhere.has(p.spec.name));
  if (elsewhere.size > 0) logger.debug({ pairs: [...elsewhere] }, 'pairs left to the other shards');
  const assignment = pool.assign(mine.map((p) => p.spec.name));
  const byAccount = new Map<string, FleetPair[]>();
  const orphans: FleetPair[] = [];
  for (const p of mine) {
    const account = assignment.get(p.spec.name);
    if (account === undefined) orphans.push(p);
    else byAccount.set(account, [...(byAccount.get(account) ?? []), p]);
  }
  const outcomes = new Map<string, FleetPairOutcome>();
  const noAccount = new TgCanaryError('FLEET_NO_ACCOUNT', 'no test account is available for this pair this cycle', { kind: 'infra' });
  const runs: Promise<void>[] = orphans.map(async (p) => {
    outcomes.set(p.spec.name, await runPair(input, p, target, undefined, () => unavailableDriver(noAccount)));
  });
  for (const [account, pairs] of byAccount) {
    runs.push(runAccount(input, account, pairs, target).then((list) => {
      for (const o of list) outcomes.set(o.pair, o);
    }));
  }
  await Promise.all(runs);
  logger.debug({ pairs: mine.length, accounts: byAccount.size, orphans: orphans.length }, 'fleet cycle finished');
  return mine.map((p) => outcomes.get(p.spec.name) ?? { pair: p.spec.name, error: crashed(p.spec.name, 'no outcome') });
}

async function runAccount(input: FleetCycleInput, account: string, pairs: FleetPair[], target: TargetChoice): Promise<FleetPairOutcome[]> {
  const bots = [...new Set(pairs.flatMap((p) => pairBots(p.spec, target)))];
  let session: AccountSession;
  try {
    session = await input.pool.open(account, bots);
  } catch (e) {
    const err = isTgCanaryError(e) ? e : new TgCanaryError('TG_UNREACHABLE', String(e), { kind: 'infra' });
    input.logger.error({ account, code: err.code, err: err.message }, 'the account could not be opened; its pairs are stored as inconclusive');
    return Promise.all(pairs.map((p) => runPair(input, p, target, account, () => unavailableDriver(err))));
  }
  try {
    // one chat never twice at once: a pair waits for the earlier pairs (config order) that share one of its bots
    const tail = new Map<string, Promise<unknown>>();
    return await Promise.all(pairs.map((p) => {
      const mine = pairBots(p.spec, target).map((b) => b.toLowerCase());
      const before = mine.map((b) => tail.get(b)).filter((x): x is Promise<unknown> => x !== undefined);
      const run = Promise.allSettled(before).then(async () => {
        const o = await runPair(input, p, target, account, () => session.driverFor(p.spec.name), true);
        const fault = faultOf(o);
        if (fault) session.report(fault);
        return o;
      });
      for (const b of mine) tail.set(b, run);
      return run;
    }));
  } finally {
    await session.release().catch((e: unknown) => input.logger.warn({ account, err: String(e) }, 'releasing the account failed'));
  }
}

async function runPair(
  input: FleetCycleInput, p: FleetPair, target: TargetChoice, account: string | undefined, openDriver: () => BotDriver, leaseHeld = true,
): Promise<FleetPairOutcome> {
  const base: FleetPairOutcome = { pair: p.spec.name, ...(account !== undefined ? { account } : {}) };
  try {
    const out = await runJob({
      config: p.config, store: p.store, scenarios: p.scenarios, target, clock: input.clock,
      logger: input.logger.child({ pair: p.spec.name }), signal: input.signal, revision: input.revision, progress: p.progress,
      openDriver, openWebRunner: input.openWebRunner, leaseHeld,
      beforeRun: p.beforeRun, prepareQueue: p.prepareQueue, afterRun: p.afterRun,
    });
    return { ...base, out };
  } catch (e) {
    // a crash of one pair (its store failed, a bug) is its own: the others carry on
    input.logger.error({ pair: p.spec.name, err: isTgCanaryError(e) ? `${e.code}: ${e.message}` : String(e) }, 'the run of a pair broke off');
    return { ...base, error: isTgCanaryError(e) ? e : crashed(p.spec.name, String(e)) };
  }
}

function crashed(pair: string, why: string): TgCanaryError {
  return new TgCanaryError('FLEET_PAIR_CRASHED', `the run of pair ${pair} broke off: ${why.slice(0, 300)}`, { kind: 'internal' });
}

/** A fault of the account seen in a pair's run: a flood wait over the budget, or a revoked session. */
export function faultOf(o: FleetPairOutcome): AccountFault | undefined {
  for (const s of o.out?.run.scenarios ?? []) {
    if (s.errorCode === 'TG_FLOOD_WAIT') {
      const seconds = Number(/wait (\d+) s/.exec(s.reasons.join(' '))?.[1] ?? 0);
      return { kind: 'flood-wait', seconds };
    }
    if (s.errorCode === 'TG_SESSION_INVALID' || s.errorCode === 'TG_AUTH_KEY_DUPLICATED') return { kind: 'revoked', code: s.errorCode };
  }
  return undefined;
}
