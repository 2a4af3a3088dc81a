/**
 * The `serve` daemon's logic: scheduled and on-demand runs (never two at once), the verdict per revision for
 * Argo Rollouts and Flagger, status JSON, the status page data, metrics and outbox retries. HTTP lives in
 * src/status/http-server.ts; this file only answers its questions.
 */
import type { RunResult, Scenario, TargetName, VerdictReport } from '../core/types.js';
import { isTgCanaryError } from '../core/errors.js';
import { createScheduler, type Scheduler } from '../scheduler/index.js';
import { buildServeMetrics } from '../status/metrics.js';
import { buildStatusJson } from '../status/status-file.js';
import type { FlaggerPayload, GateResult, ServeDeps, VerdictBody } from '../status/http-server.js';
import type { RunStartGate } from '../status/routes-types.js';
import type { StatusPageData } from '../status/status-page.js';
import { toStatusPageData } from '../status/page-data.js';
import type { Deliveries } from './deliveries.js';
import { runJob } from './run-job.js';
import { newRunId } from './run-id.js';
import { isStoreFailure, sendStoreFailureAlert } from './store-failure-alert.js';
import type { AppContext } from './app-context.js';

export interface ServeDaemonDeps extends AppContext {
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
  const metrics = buildServeMetrics();
  let nextRevision: string | undefined;
  let current: { runId: string; revision?: string } | undefined;
  let lastError: string | undefined;
  let ready = false;

  const task = async (signal: AbortSignal): Promise<void> => {
    const revision = nextRevision;
    nextRevision = undefined;
    const runId = newRunId(clock.now());
    current = { runId, revision };
    try {
      const scenarios = await d.loadScenarios();
      const out = await runJob({
        config, store, scenarios, target: 'both', clock, logger, signal, revision, runId,
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

  const latest = store.latestRun();
  if (latest) recordMetrics(latest);
  ready = true;

  const runForRevision = (revision: string): { runId: string; verdict: VerdictReport } | undefined => {
    const summary = store.listRuns({ last: 500 }).find((r) => r.revision === revision && r.finishedAt !== null);
    if (!summary) return undefined;
    const run = store.getRun(summary.runId);
    return run ? { runId: run.runId, verdict: run.verdict } : undefined;
  };

  const pending = (revision: string | undefined, reason: string): VerdictBody => ({
    schema: 1,
    verdict: 'pending',
    revision,
    runId: current?.runId ?? null,
    reasons: [reason],
  });

  const forTarget = (v: VerdictReport, target: TargetName): VerdictBody => {
    if (target === 'canary') return { ...v, target };
    const t = v.targets.stable;
    return { ...v, target, verdict: t ? t.verdict : 'inconclusive', reasons: t ? v.reasons : ['no stable bot configured'] };
  };

  const getVerdict = async (target: TargetName, revision?: string, gate?: RunStartGate): Promise<VerdictBody> => {
    if (revision) {
      const found = runForRevision(revision);
      if (found) return forTarget(found.verdict, target);
      if (current?.revision === revision) return pending(revision, `run ${current.runId} for revision ${revision} is in progress`);
      if (nextRevision === revision) return pending(revision, 'another run is in progress; the run for this revision starts after it');
      gate?.check(); // token or allowed address, and the shared per-hour limit: throws before anything starts
      nextRevision = revision;
      gate?.started();
      const started = await scheduler.runNow(`revision ${revision}`);
      if (started === 'busy' && current?.revision !== revision) {
        return pending(revision, 'another run is in progress; the run for this revision starts after it');
      }
      return pending(revision, `a run for revision ${revision} has started`);
    }
    const run = store.latestRun();
    if (!run) {
      if (current) return pending(undefined, `the first run (${current.runId}) is in progress`);
      return { schema: 1, verdict: 'inconclusive', reasons: ['no run yet'] };
    }
    return forTarget(run.verdict, target);
  };

  const checksumOf = (b: FlaggerPayload): string | undefined => b.checksum || b.metadata?.revision || undefined;

  const flaggerGate = async (b: FlaggerPayload, gate?: RunStartGate): Promise<GateResult> => {
    const rev = checksumOf(b);
    const v = await getVerdict('canary', rev, gate);
    if (v.verdict === 'pass') return { ok: true, reason: `canary passed${rev ? ` for ${rev}` : ''}` };
    const reasons = Array.isArray(v.reasons) ? (v.reasons as string[]).join('; ') : '';
    return { ok: false, reason: `canary verdict ${v.verdict}${reasons ? `: ${reasons}` : ''}` };
  };

  const flaggerRollback = async (b: FlaggerPayload): Promise<GateResult> => {
    const rev = checksumOf(b);
    const found = rev ? runForRevision(rev)?.verdict : store.latestRun()?.verdict;
    if (found?.verdict === 'fail') return { ok: true, reason: `canary fails: ${found.reasons.join('; ')}` };
    return { ok: false, reason: found ? `canary verdict ${found.verdict}` : 'no verdict yet' };
  };

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
    const alertChannels = new Set(['email', 'telegramBot', 'telegramUser']);
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
        kind: alertChannels.has(h.channel) ? ('notifier' as const) : ('pusher' as const),
        lastSuccessAt: h.lastSuccessAt,
        lastError: h.lastError,
        pending: h.pending,
      })),
    });
    if (lastError) data.reasons = [`last run did not complete: ${lastError}`, ...data.reasons];
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
        nextRevision = req.revision;
        const r = await scheduler.runNow(req.reason);
        if (r === 'busy') return { busy: true };
        // the task sets `current` synchronously at its start
        return { runId: current?.runId ?? 'starting' };
      },
      flaggerGate,
      flaggerRollback,
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
