/**
 * One run, end to end: prune old runs, lease the session, connect, run the scenarios on canary and stable, judge,
 * store, report, deliver. Used by `run`, `demo` and the `serve` daemon; the driver and web runner come from the
 * caller (buildRuntime, or a test). Whatever fails after the run started, the run is stored (aborted or
 * inconclusive), never lost.
 */
import { join } from 'node:path';
import type { BotDriver, Clock, FactStore, RunHistoryReader, RunHistoryStore, SessionLeaseStore, StoreUpkeep } from '../core/ports.js';
import type { RunResult, Scenario, ScenarioResult, TargetName } from '../core/types.js';
import { TgCanaryError, isTgCanaryError } from '../core/errors.js';
import { exitCodeFor } from '../core/exit-codes.js';
import { computeVerdict } from '../core/verdict-policy.js';
import type { Config } from '../config/index.js';
import { sessionLeaseName } from './telegram-session.js';
import { executeRun, errorResult } from '../runner/run-engine.js';
import type { WebRunner } from '../browser/web-step.js';
import type { RunAdapters } from './runtime.js';
import { pruneOldRuns } from './retention.js';
import { engineDeps } from './engine-deps.js';
import { writeReports } from '../reporters/index.js';
import type { Logger } from '../util/logger.js';
import { newRunId } from './run-id.js';
import { bounded } from '../util/bounded.js';
import { ownerIsDead, processOwner } from '../util/process-owner.js';

export type TargetChoice = TargetName | 'both';
export type { ProgressSink } from './progress-sink.js';
import type { ProgressSink } from './progress-sink.js';


/** The store roles a run uses: its history, planted facts, the session lease, retention, one transaction at the end. */
export type RunJobStore = RunHistoryStore & FactStore & SessionLeaseStore & Pick<StoreUpkeep, 'batch' | 'prune'>;

/** What a run is made of; the driver and web runner factories come from buildRuntime (or a test). */
export interface RunJobInput extends RunAdapters {
  config: Config;
  store: RunJobStore;
  scenarios: Scenario[];
  target: TargetChoice;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  revision?: string;
  runId?: string;
  progress?: ProgressSink;
  /**
   * Prepares what the run queues (status pushes, alerts): may await (payloads are built here), and returns the
   * synchronous writes, which run in the same transaction as `finishRun`, so a crash never stores one without the
   * other. A throw from the writes rolls the run back too and reaches the caller (the store-failure alert path).
   */
  prepareQueue?(run: RunResult, reportDir: string): Promise<() => void>;
  /** Deliveries after the run (status file, sending what the outbox holds); failures never affect the run. */
  afterRun?(run: RunResult, reportDir: string): Promise<unknown>;
  /** Called once the run id is known, before Telegram is touched (start pings). */
  beforeRun?(runId: string): Promise<void>;
  /** How long to wait for another live process's session lease before giving up. */
  leaseWaitMs?: number;
  /** The caller already holds the session lease (the fleet's account pool, in the main store): no lease here. */
  leaseHeld?: boolean;
  onRunId?(runId: string): void;
}

export interface RunJobOutput {
  run: RunResult;
  exitCode: number;
  reportDir: string;
  reportFiles: string[];
  /** Set when the run could not judge at all (the session lease was held, or the store refused the lease). */
  blockedBy?: TgCanaryError;
}

const LEASE_TTL_MS = 5 * 60_000;
/** Longest wait for one teardown step (closing the Telegram client, the browser). */
const TEARDOWN_MS = 5_000;
/** A pending run whose owner cannot be checked (another host, or stored before owners were) is closed after this. */
const STALE_PENDING_MS = 6 * 3_600_000;

/** A run in progress in this process, as far as it got (for a hard exit that cannot wait for it). */
interface ActiveRun {
  runId: string;
  startedAt: number;
  revision?: string;
  results: ScenarioResult[];
  store: RunHistoryStore & SessionLeaseStore;
  config: Config;
  now(): number;
  leaseName: string;
  holder?: string;
}

const activeRuns = new Set<ActiveRun>();

/**
 * For a hard exit (a second SIGTERM, the 10 s grace over): stores every run of this process as aborted with what
 * it has and gives its session lease back, synchronously (better-sqlite3 is synchronous). Best effort: the next
 * start would close a pending run and take over the lease of a dead process anyway.
 */
export function abandonActiveRuns(): number {
  let n = 0;
  for (const a of [...activeRuns]) {
    activeRuns.delete(a);
    try {
      const run = judge(a, { aborted: true, finishedAt: a.now() });
      a.store.finishRun(run);
      n += 1;
    } catch {
      // the store refuses: the next start closes the pending run
    }
    try {
      if (a.holder) a.store.releaseLease(a.leaseName, a.holder);
    } catch {
      // the next start takes the lease of a dead process over
    }
  }
  return n;
}

function judge(a: Pick<ActiveRun, 'runId' | 'startedAt' | 'revision' | 'results' | 'config'> & { store: RunHistoryReader },
  o: { aborted: boolean; finishedAt: number; extraReason?: string }): RunResult {
  const verdict = computeVerdict({
    runId: a.runId,
    startedAt: a.startedAt,
    finishedAt: o.finishedAt,
    aborted: o.aborted,
    revision: a.revision,
    results: a.results,
    history: {
      runs: a.store.listRuns({ last: 50 }).filter((r) => r.runId !== a.runId).map((r) => ({ runId: r.runId, verdict: r.verdict, ...(r.revision !== undefined ? { revision: r.revision } : {}) })),
      scenarioRuns: a.store.scenarioHistory({ last: 2000 }).filter((r) => r.runId !== a.runId),
    },
    policy: a.config.verdict,
  });
  if (o.extraReason) verdict.reasons.push(o.extraReason);
  return { runId: a.runId, startedAt: a.startedAt, finishedAt: o.finishedAt, aborted: o.aborted, revision: a.revision, scenarios: a.results, verdict };
}

/**
 * Closes runs left `pending` by processes that are gone (kill -9, OOM, a hard exit): stored as aborted with the
 * scenarios they saved, so they count in the inconclusive streak and never stay pending forever.
 */
export function closeAbandonedRuns(store: RunHistoryStore, config: Config, now: number, logger: Logger, self = processOwner()): string[] {
  const closed: string[] = [];
  for (const p of store.pendingRuns()) {
    const dead = p.owner ? ownerIsDead(p.owner, self) : false;
    const stale = now - p.startedAt > STALE_PENDING_MS && (p.owner === null || !p.owner.startsWith(`${self.split(':')[0]}:`));
    if (!dead && !stale) continue;
    const stored = store.getRun(p.runId);
    const run = judge({ runId: p.runId, startedAt: p.startedAt, revision: stored?.revision, results: stored?.scenarios ?? [], store, config },
      { aborted: true, finishedAt: Math.max(now, p.startedAt), extraReason: dead
        ? `the process running it (${describeOwner(p.owner ?? '')}) died before it finished`
        : 'it never finished (its process is gone)' });
    store.finishRun(run);
    closed.push(p.runId);
    logger.warn({ runId: p.runId, owner: p.owner }, 'closed a run left pending by a process that is gone: stored as aborted');
  }
  return closed;
}

function describeOwner(owner: string): string {
  const [host, pid] = owner.split(':');
  return `${host ?? '?'} pid ${pid ?? '?'}`;
}

export async function runJob(input: RunJobInput): Promise<RunJobOutput> {
  const { config, store, clock, logger } = input;
  const runId = input.runId ?? newRunId(clock.now());
  input.onRunId?.(runId);
  const startedAt = clock.now();
  const bots: Partial<Record<TargetName, string>> = {};
  if (input.target !== 'stable') bots.canary = config.targets.canary;
  if (input.target !== 'canary' && config.targets.stable) bots.stable = config.targets.stable;

  const owner = processOwner();
  const leaseName = sessionLeaseName(config.telegram.session);
  const holder = `${owner}:${runId}`;
  closeAbandonedRuns(store, config, startedAt, logger, owner);
  // Retention runs with every run (`run`, `demo` and each `serve` run), before this run's row exists.
  pruneOldRuns(store, config, startedAt, logger);
  // A run that cannot get the session is still a run: stored as inconclusive, counted in the streak, alerted on.
  let blockedBy: TgCanaryError | undefined;
  try {
    if (!input.leaseHeld) await acquireLease(input, leaseName, holder);
  } catch (e) {
    if (!isTgCanaryError(e) || e.kind !== 'infra') throw e;
    blockedBy = e;
    logger.error({ code: e.code, err: e.message }, 'the run cannot use the Telegram session; storing it as inconclusive');
  }
  const active: ActiveRun = {
    runId, startedAt, revision: input.revision, results: [], store, config, now: () => clock.now(), leaseName,
    holder: blockedBy || input.leaseHeld ? undefined : holder,
  };
  activeRuns.add(active);
  const renew = setInterval(() => {
    if (input.leaseHeld) return;
    try {
      store.renewLease(leaseName, holder, LEASE_TTL_MS);
    } catch (e) {
      logger.warn({ err: String(e) }, 'could not renew the session lease');
    }
  }, 60_000);
  renew.unref();

  const reportDir = join(config.paths.reports, runId);
  let web: WebRunner | undefined;
  let driver: BotDriver | undefined;
  const results = active.results;
  const record = (r: ScenarioResult): void => {
    // a retry (run.retryFailed) replaces its scenario's result, here as in the store
    const same = results.findIndex((x) => x.scenario === r.scenario && x.suite === r.suite && x.target === r.target && x.attempt === r.attempt);
    if (same >= 0 && r.retried) results[same] = r;
    else results.push(r);
    store.saveScenario(runId, r);
    input.progress?.scenarioDone?.(r);
  };
  try {
    store.beginRun({ runId, startedAt, revision: input.revision, owner });
    await input.beforeRun?.(runId).catch((e: unknown) => logger.warn({ err: String(e) }, 'before-run hook failed'));
    const plan = { runId, scenarios: input.scenarios, bots, retryFailed: config.run.retryFailed };
    let connectError: TgCanaryError | undefined = blockedBy;
    if (!connectError) {
      web = input.openWebRunner({ screenshotDir: reportDir });
      driver = input.openDriver();
      try {
        await driver.connect({ bots: Object.values(bots) });
      } catch (e) {
        connectError = isTgCanaryError(e) ? e : new TgCanaryError('TG_UNREACHABLE', String(e), { kind: 'infra' });
      }
    }
    if (connectError) {
      const now = clock.now();
      for (const t of Object.keys(bots) as TargetName[]) {
        for (const s of input.scenarios.filter((x) => x.targets.includes(t))) record(errorResult(s, t, bots[t] as string, now, connectError));
      }
    } else if (driver && web) {
      const w = web;
      const out = await executeRun(
        engineDeps({ config, store, clock, logger, driver, runId, web: w, progress: input.progress, onScenarioDone: record }),
        plan,
        input.signal,
      );
      // the engine's list is authoritative (same results, in plan order)
      results.splice(0, results.length, ...out);
    }
  } catch (e) {
    activeRuns.delete(active);
    throw e;
  } finally {
    clearInterval(renew);
    // Bounded: a client that never finishes closing must not hold the run (or drain the event loop).
    const report = {
      onTimeout: (name: string, ms: number) => logger.warn({ step: name, ms }, 'teardown step timed out; left behind'),
      onError: (name: string, e: unknown) => logger.warn({ step: name, err: String(e) }, 'teardown step failed'),
    };
    const d = driver;
    const wr = web;
    await Promise.all([
      d ? bounded('closing the Telegram client', () => d.close(), TEARDOWN_MS, report) : undefined,
      wr ? bounded('closing the browser', () => wr.close(), TEARDOWN_MS, report) : undefined,
    ]);
    if (!blockedBy && !input.leaseHeld) {
      try {
        store.releaseLease(leaseName, holder);
      } catch (e) {
        logger.warn({ err: String(e) }, 'could not release the session lease');
      }
    }
  }

  const run = judge(active, { aborted: input.signal.aborted, finishedAt: clock.now() });
  let queue: (() => void) | undefined;
  if (input.prepareQueue) {
    try {
      queue = await input.prepareQueue(run, reportDir);
    } catch (e) {
      logger.error({ err: String(e) }, 'could not prepare the status pushes and alerts of the run');
    }
  }
  try {
    // One transaction: the run and everything it queues are stored together or not at all.
    store.batch(() => {
      store.finishRun(run);
      queue?.();
    });
  } catch (e) {
    // Queueing its pushes or alerts failed (or storing it did). Keep the run if the store still takes it, and
    // throw: the caller sends the direct "cannot store results" alert, since the outbox cannot be trusted.
    if (queue) {
      try {
        store.finishRun(run);
        logger.error({ err: String(e), runId }, 'the run was stored, but its status pushes and alerts could not be queued');
      } catch {
        logger.error({ err: String(e), runId }, 'the run could not be stored');
      }
    }
    throw e;
  } finally {
    activeRuns.delete(active);
  }

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
      logger.error({ err: String(e) }, 'deliveries after the run failed; what was queued stays in the outbox');
    }
  }
  const result: RunJobOutput = { run, exitCode: exitCodeFor(run.verdict.verdict, config.run.inconclusiveExitCode), reportDir, reportFiles };
  if (blockedBy) result.blockedBy = blockedBy;
  return result;
}

async function acquireLease(input: RunJobInput, name: string, holder: string): Promise<void> {
  const deadline = input.clock.now() + (input.leaseWaitMs ?? 30_000);
  let told = false;
  for (;;) {
    // a holder that is a dead process on this host (kill -9, OOM) is taken over at once
    if (input.store.acquireLease(name, holder, LEASE_TTL_MS, (h) => ownerIsDead(h))) return;
    if (!told) {
      told = true;
      input.logger.info({ lease: name }, 'waiting for the session lease held by another tg-canary process');
    }
    if (input.clock.now() >= deadline || input.signal.aborted) {
      const other = input.store.leaseHolder(name);
      throw new TgCanaryError(
        'SESSION_LEASE_HELD',
        `another tg-canary process is using this Telegram session${other ? ` (${describeOwner(other.holder)})` : ''}`,
        {
          kind: 'infra',
          hint: 'Two processes on one session risk AUTH_KEY_DUPLICATED. Wait for the other run, or give each deployment its own session (`tg-canary login`).',
        },
      );
    }
    await input.clock.sleep(500, input.signal).catch(() => undefined);
  }
}
