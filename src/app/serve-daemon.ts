/**
 * The `serve` daemon's logic: scheduled and on-demand runs (never two at once), the verdict per revision for
 * Argo Rollouts and Flagger, status JSON, the status page data, metrics and outbox retries. HTTP lives in
 * src/status/http-server.ts; this file only answers its questions.
 */
import type { RunResult, Scenario, TargetName } from '../core/types.js';
import { isTgCanaryError } from '../core/errors.js';
import { createScheduler, type Scheduler } from '../scheduler/index.js';
import { buildServeMetrics } from '../status/metrics.js';
import { accountTelemetry } from '../fleet/account-telemetry.js';
import { buildStatusJson } from '../status/status-file.js';
import type { ServeDeps, VerdictBody } from '../status/http-server.js';
import type { RunStartGate } from '../status/routes-types.js';
import type { StatusPageData } from '../status/status-page.js';
import { toStatusPageData } from '../status/page-data.js';
import type { Deliveries } from './deliveries.js';
import { runJob } from './run-job.js';
import { newRunId } from './run-id.js';
import { createRevisionRuns, verdictForTarget } from './revision-runs.js';
import { flaggerHandlers } from './flagger-hooks.js';
import { isStoreFailure, sendStoreFailureAlert } from './store-failure-alert.js';
import type { AppContext } from './app-context.js';
import type { RunAdapters } from './runtime.js';
import { pausingEntry } from '../core/maintenance.js';
import { activeMaintenance, verdictDuringMaintenance } from './maintenance-state.js';
import { badgeData, cachedHistoryView } from './history-view.js';
import { silenceApi } from './silence-api.js';

export interface ServeDaemonDeps extends AppContext, RunAdapters {
  deliveries: Deliveries;
  loadScenarios(): Promise<Scenario[]>;
}

export interface ServeDaemon {
  scheduler: Scheduler;
  deps: Omit<ServeDeps, 'clock' | 'logger'>;
  /** Delivers what is due in the outbox (called on a timer). */
  tick(): Promise<void>;
  /** Runs now (e.g. `demo --serve`), waits for it. */
  runOnce(reason: string): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

export function createServeDaemon(d: ServeDaemonDeps): ServeDaemon {
  const { config, store, clock, logger } = d;
  const metrics = buildServeMetrics({ accounts: accountTelemetry });
  let current: { runId: string; revision?: string } | undefined;
  let lastError: string | undefined;
  let ready = false;

  const task = async (signal: AbortSignal): Promise<void> => {
    // a pause window over the canary skips scheduled runs (on-demand runs still go: someone asked for them)
    const pause = scheduler.status().lastReason === 'schedule' ? pausingEntry(activeMaintenance(config, store, clock.now()), 'canary') : undefined;
    if (pause) {
      logger.info({ window: pause.id, until: new Date(pause.until).toISOString() }, 'scheduled run skipped: maintenance window');
      return;
    }
    const revision = revisions.takeNext();
    const runId = newRunId(clock.now());
    current = { runId, revision };
    try {
      const scenarios = await d.loadScenarios();
      const out = await runJob({
        config, store, scenarios, target: 'both', clock, logger, signal, revision, runId,
        openDriver: d.openDriver, openWebRunner: d.openWebRunner,
        beforeRun: (id) => d.deliveries.beforeRun(id),
        prepareQueue: (run, dir) => d.deliveries.prepareQueue(run, dir),
        afterRun: async (run, dir) => {
          const res = await d.deliveries.afterRun(run, dir);
          metrics.setOutboxPending(res.health);
        },
      });
      recordMetrics(out.run);
      lastError = undefined;
      logger.info({ runId, verdict: out.run.verdict.verdict }, 'run finished');
    } catch (e) {
      lastError = isTgCanaryError(e) ? `${e.code}: ${e.message}` : String(e);
      logger.error({ err: lastError }, 'run failed to complete');
      // the store (and so the outbox) is failing: tell on-call directly, as `run` does
      if (isStoreFailure(e)) await sendStoreFailureAlert(config, e, { logger, now: clock.now() });
    } finally {
      current = undefined;
      revisions.onRunEnded();
    }
  };

  const recordMetrics = (run: RunResult): void => {
    const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
    for (const t of Object.keys(run.verdict.targets) as TargetName[]) lastSuccessAt[t] = store.lastSuccessAt(t);
    metrics.recordRun(run, { lastSuccessAt });
  };

  const scheduler = createScheduler({
    schedule: config.serve.schedule,
    jitterMs: config.serve.jitterSec * 1000,
    task,
    clock,
    logger,
  });

  const revisions = createRevisionRuns({ store, clock, runNow: (reason) => scheduler.runNow(reason), current: () => current });

  const latest = store.latestRun();
  if (latest) recordMetrics(latest);
  ready = true;

  const pending = (reason: string): VerdictBody => ({ schema: 1, verdict: 'pending', runId: current?.runId ?? null, reasons: [reason] });

  const getVerdict = async (target: TargetName, revision?: string, gate?: RunStartGate): Promise<VerdictBody> => {
    const entries = activeMaintenance(config, store, clock.now());
    // during a pause no run is started for a new revision either: the answer is `maintenance` (hold)
    if (pausingEntry(entries, target)) return verdictDuringMaintenance(entries, target, { verdict: 'maintenance' }) as VerdictBody;
    return verdictDuringMaintenance(entries, target, await plainVerdict(target, revision, gate)) as VerdictBody;
  };

  const plainVerdict = async (target: TargetName, revision?: string, gate?: RunStartGate): Promise<VerdictBody> => {
    if (revision) return revisions.verdictFor(target, revision, gate);
    const run = store.latestRun();
    if (!run) {
      if (current) return pending(`the first run (${current.runId}) is in progress`);
      return { schema: 1, verdict: 'inconclusive', reasons: ['no run yet'] };
    }
    return verdictForTarget(run.verdict, target);
  };

  const flagger = flaggerHandlers({
    revisions, getVerdict, latestVerdict: () => store.latestRun()?.verdict,
    paused: (target) => pausingEntry(activeMaintenance(config, store, clock.now()), target)?.reason,
  });

  const historyOf = cachedHistoryView(config, store);
  const statusPageData = (): StatusPageData => {
    const run = store.latestRun();
    const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
    for (const t of ['canary', 'stable'] as TargetName[]) lastSuccessAt[t] = store.lastSuccessAt(t);
    const alerts = ['canary', 'canary:inconclusive', 'stable']
      .map((k) => store.getAlertState(k))
      .filter((a): a is NonNullable<typeof a> => Boolean(a && a.state === 'failing'))
      .map((a) => ({
        key: a.key,
        target: a.key.split(':')[0] ?? a.key,
        kind: a.key.endsWith(':inconclusive') ? 'inconclusive' : 'failing',
        since: a.since,
        message: a.key.endsWith(':inconclusive') ? 'tg-canary cannot judge the canary' : `${a.key} is failing`,
      }));
    const data = toStatusPageData({
      version: d.version,
      now: clock.now(),
      startedAt: d.processStartedAt,
      run,
      history: store.listRuns({ last: 48 }).filter((r) => r.finishedAt !== null),
      lastSuccessAt,
      running: Boolean(current),
      schedule: config.serve.schedule,
      nextRunAt: scheduler.status().nextRunAt,
      alerts,
      channels: d.deliveries.health().map((h) => ({
        name: h.channel,
        kind: h.kind,
        lastSuccessAt: h.lastSuccessAt,
        lastError: h.lastError,
        pending: h.pending,
      })),
      accounts: accountTelemetry().health,
    });
    if (lastError) data.reasons = [`last run did not complete: ${lastError}`, ...data.reasons];
    const now = clock.now();
    const pause = pausingEntry(activeMaintenance(config, store, now), 'canary');
    if (pause) {
      data.overall = 'maintenance';
      data.reasons = [`${pause.reason} until ${new Date(pause.until).toISOString()}: scheduled runs are paused`, ...data.reasons];
    }
    data.historyView = historyOf(now);
    return data;
  };

  return {
    scheduler,
    deps: {
      getStatusJson: () => {
        const run = store.latestRun();
        return run
          ? buildStatusJson(run, { version: d.version, startedAt: d.processStartedAt, now: clock.now() })
          : { status: 'unknown', version: d.version, uptime_seconds: Math.round((clock.now() - d.processStartedAt) / 1000), last_test: null, features: {} };
      },
      getStatusPageData: statusPageData,
      getMetrics: async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
      getVerdict,
      startRun: async (req) => {
        const r = await revisions.launchNow(req.revision, req.reason);
        if (r === 'busy') return { busy: true };
        // the task sets `current` synchronously at its start
        return { runId: current?.runId ?? 'starting' };
      },
      flaggerGate: flagger.gate,
      flaggerRollback: flagger.rollback,
      flaggerStart: flagger.start,
      silences: silenceApi({ store, clock }),
      badge: (target, suite) => badgeData(config, store, clock.now(), target, suite),
      isReady: () => ready,
      token: config.serve.token,
      privateReads: config.serve.privateReads,
      maxRunsPerWindow: config.serve.maxRunsPerHour,
      runAllow: config.serve.runAllow,
      runsWindowMs: 3_600_000,
      reportsDir: config.paths.reports,
    },
    async tick() {
      const res = await d.deliveries.tick();
      metrics.setOutboxPending(res.health);
    },
    async runOnce(reason) {
      await scheduler.runNow(reason);
      await scheduler.idle();
    },
    async stop(graceMs = 8000) {
      ready = false;
      await scheduler.stop({ graceMs });
    },
  };
}
