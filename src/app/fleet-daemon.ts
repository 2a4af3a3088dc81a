/**
 * The `serve` daemon of a fleet (`pairs:`, issue 19 point 4): every scheduled or requested cycle runs the pairs
 * through the fleet cycle (one connection per account, the pairs concurrently). It answers the verdict of each
 * pair (`?target=<pair>`; `target=canary|stable` mean the `default` pair's roles), per revision too (a revision
 * with no run yet starts one for that pair), the Flagger hooks per pair, one status-page section per pair, and
 * `/metrics` with a `pair` label. HTTP lives in src/status/http-server.ts; this file only answers its questions.
 */
import type { Scenario, TargetName, VerdictReport } from '../core/types.js';
import { isTgCanaryError } from '../core/errors.js';
import { pausingEntry } from '../core/maintenance.js';
import { configPairs, DEFAULT_PAIR, pairConfig, type PairSpec } from '../config/pair-config.js';
import type { Config } from '../config/index.js';
import { createScheduler, type Scheduler } from '../scheduler/index.js';
import { buildFleetServeMetrics } from '../status/metrics.js';
import { buildStatusJson } from '../status/status-file.js';
import type { FlaggerPayload, GateResult, VerdictBody } from '../status/http-server.js';
import type { RunStartGate } from '../status/routes-types.js';
import { renderFleetPage } from '../status/fleet-page.js';
import type { StatusPageData } from '../status/status-page.js';
import { toStatusPageData } from '../status/page-data.js';
import { runFleetCycle, type FleetPair } from '../fleet/fleet-run.js';
import { openAccountPool } from './open-pool.js';
import type { AccountPool } from '../fleet/account-pool-port.js';
import type { AppContext } from './app-context.js';
import type { RunAdapters } from './runtime.js';
import { createDeliveries, type Deliveries } from './deliveries.js';
import { openPairStore, type PairStore, type PairStoreHandle } from './pair-store.js';
import { pairScenarios } from './fleet-once.js';
import { verdictForTarget } from './revision-runs.js';
import { activeMaintenance, verdictDuringMaintenance } from './maintenance-state.js';
import { isStoreFailure, sendStoreFailureAlert } from './store-failure-alert.js';
import { silenceApi } from './silence-api.js';
import type { ServeDaemon } from './serve-daemon.js';

export interface FleetDaemonDeps extends AppContext, RunAdapters {
  /** The main store's deliveries (the `default` pair's, when there is one). */
  deliveries: Deliveries;
  loadScenarios(): Promise<Scenario[]>;
  /** A pool built by the caller (tests); default the config's (src/app/open-pool.ts). */
  pool?: AccountPool;
}

interface PairState {
  spec: PairSpec;
  config: Config;
  handle: PairStoreHandle;
  store: PairStore;
  deliveries: Deliveries;
  lastError?: string;
}

/** A cycle asked for: all pairs (schedule, POST /v1/runs) or some, for a revision or not. */
interface CycleRequest {
  pairs?: string[];
  revision?: string;
  reason: string;
}

/** Flagger phases in which the new revision runs (see flagger-hooks.ts). */
const JUDGING_PHASES = new Set(['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);

export function createFleetDaemon(d: FleetDaemonDeps): ServeDaemon {
  const { config, clock, logger } = d;
  const metrics = buildFleetServeMetrics();
  const pool = d.pool ?? openAccountPool(config, { mainStore: d.store, openDriver: d.openDriver, clock, logger });
  const pairs = new Map<string, PairState>();
  for (const spec of configPairs(config)) {
    const cfg = pairConfig(config, spec);
    const handle = openPairStore(config, spec, { main: d.store });
    pairs.set(spec.name, {
      spec, config: cfg, handle, store: handle.store,
      deliveries: handle.owned ? createDeliveries({ ...d, config: cfg, store: handle.store, silences: d.store }) : d.deliveries,
    });
  }
  const queue: CycleRequest[] = [];
  let current: (CycleRequest & { pairs: string[] }) | undefined;
  let ready = false;

  const recordMetrics = (p: PairState, count: boolean): void => {
    const run = p.store.latestRun();
    if (!run) return;
    const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
    for (const t of Object.keys(run.verdict.targets) as TargetName[]) lastSuccessAt[t] = p.store.lastSuccessAt(t);
    metrics.recordRun(p.spec.name, run, { lastSuccessAt }, { count });
  };

  const task = async (signal: AbortSignal): Promise<void> => {
    // one cycle for the request that started the task, then the ones queued meanwhile
    do {
      await cycle(queue.shift() ?? { reason: scheduler.status().lastReason ?? 'schedule' }, signal);
    } while (queue.length > 0 && !signal.aborted);
  };

  const cycle = async (req: CycleRequest, signal: AbortSignal): Promise<void> => {
    const scheduled = req.reason === 'schedule';
    // a pause window over a pair's canary skips its scheduled runs (asked-for runs still go)
    const names = (req.pairs ?? [...pairs.keys()]).filter((n) => {
      const p = pairs.get(n);
      if (!p) return false;
      const pause = scheduled ? pausingEntry(activeMaintenance(p.config, d.store, clock.now()), 'canary') : undefined;
      if (pause) logger.info({ pair: n, window: pause.id }, 'scheduled run of a pair skipped: maintenance window');
      return !pause;
    });
    if (names.length === 0) return;
    current = { ...req, pairs: names };
    try {
      const all = await d.loadScenarios();
      const list: FleetPair[] = [];
      for (const n of names) {
        const p = pairs.get(n) as PairState;
        const scenarios = pairScenarios(all, p.spec);
        if (scenarios.length === 0) {
          p.lastError = `SCENARIO_NONE_MATCHED: no scenario matches the filter of pair ${n}`;
          continue;
        }
        list.push({
          spec: p.spec, config: p.config, store: p.store, scenarios,
          beforeRun: (id) => p.deliveries.beforeRun(id),
          prepareQueue: (run, dir) => p.deliveries.prepareQueue(run, dir),
          afterRun: async (run, dir) => {
            const res = await p.deliveries.afterRun(run, dir);
            metrics.setOutboxPending(res.health);
          },
        });
      }
      const outcomes = await runFleetCycle({ pairs: list, pool, openWebRunner: d.openWebRunner, clock, logger, signal, revision: req.revision });
      for (const o of outcomes) {
        const p = pairs.get(o.pair);
        if (!p) continue;
        p.lastError = o.error ? `${o.error.code}: ${o.error.message}` : undefined;
        if (o.out) recordMetrics(p, true);
        if (o.error && isStoreFailure(o.error)) await sendStoreFailureAlert(p.config, o.error, { logger, now: clock.now() });
      }
      logger.info({ pairs: outcomes.map((o) => `${o.pair}=${o.out?.run.verdict.verdict ?? 'error'}`).join(' ') }, 'fleet cycle finished');
    } catch (e) {
      const msg = isTgCanaryError(e) ? `${e.code}: ${e.message}` : String(e);
      for (const n of names) {
        const p = pairs.get(n);
        if (p) p.lastError = msg;
      }
      logger.error({ err: msg }, 'fleet cycle failed to complete');
    } finally {
      current = undefined;
    }
  };

  const scheduler: Scheduler = createScheduler({ schedule: config.serve.schedule, jitterMs: config.serve.jitterSec * 1000, task, clock, logger });
  for (const p of pairs.values()) recordMetrics(p, false);
  ready = true;

  const request = async (req: CycleRequest): Promise<'started' | 'queued'> => {
    queue.push(req);
    const r = await scheduler.runNow(req.reason);
    if (r === 'busy') {
      // the running task takes queued requests when its cycle ends; one that came in just after it looked goes next
      void scheduler.idle().then(() => (queue.includes(req) ? scheduler.runNow(req.reason) : undefined)).catch(() => undefined);
    }
    return r === 'busy' ? 'queued' : 'started';
  };

  const waiting = (pair: string, revision: string): boolean =>
    (current?.revision === revision && current.pairs.includes(pair)) || queue.some((q) => q.revision === revision && (q.pairs ?? [...pairs.keys()]).includes(pair));

  /** The newest finished run of a pair for a revision (or the newest run at all). */
  const finished = (p: PairState, revision?: string): VerdictReport | undefined => {
    if (revision === undefined) return p.store.latestRun()?.verdict;
    const hit = p.store.listRuns({ last: 200 }).find((r) => r.revision === revision && r.finishedAt !== null);
    return hit ? p.store.getRun(hit.runId)?.verdict : undefined;
  };

  const pairVerdict = async (name: string, role: TargetName, revision?: string, gate?: RunStartGate): Promise<VerdictBody> => {
    const p = pairs.get(name);
    if (!p) {
      return { schema: 1, verdict: 'inconclusive', decision: 'hold', target: name, reasons: [`unknown pair ${JSON.stringify(name)}: the pairs are ${[...pairs.keys()].join(', ')}`] };
    }
    const entries = activeMaintenance(p.config, d.store, clock.now());
    if (pausingEntry(entries, role)) return { ...(verdictDuringMaintenance(entries, role, { verdict: 'maintenance' }) as VerdictBody), pair: name };
    const found = finished(p, revision);
    let body: VerdictBody;
    if (found) body = verdictForTarget(found, role);
    else if (revision !== undefined && waiting(name, revision)) body = { schema: 1, verdict: 'pending', revision, reasons: [`a run of pair ${name} for revision ${revision} is queued or in progress`] };
    else if (revision !== undefined) {
      gate?.check();
      gate?.started();
      await request({ pairs: [name], revision, reason: `revision ${revision}` });
      body = { schema: 1, verdict: 'pending', revision, reasons: [`started a run of pair ${name} for revision ${revision}`] };
    } else if (current?.pairs.includes(name)) body = { schema: 1, verdict: 'pending', reasons: [`the first run of pair ${name} is in progress`] };
    else body = { schema: 1, verdict: 'inconclusive', reasons: ['no run yet'] };
    return { ...(verdictDuringMaintenance(entries, role, body) as VerdictBody), pair: name };
  };

  const rolesOf = (b: FlaggerPayload): { pair: string; role: TargetName } => ({ pair: b.pair ?? DEFAULT_PAIR, role: b.target ?? 'canary' });
  const checksumOf = (b: FlaggerPayload): string | undefined => b.checksum || b.metadata?.revision || undefined;
  const reasonsOf = (v: VerdictBody): string => (Array.isArray(v.reasons) ? (v.reasons as unknown[]).map(String).join('; ') : '');

  const flaggerGate = async (b: FlaggerPayload, gate?: RunStartGate): Promise<GateResult> => {
    const { pair, role } = rolesOf(b);
    if (!JUDGING_PHASES.has(b.phase)) return { ok: true, reason: `not judged in phase ${b.phase || '(none)'}: tg-canary judges pair ${pair} at confirm-promotion` };
    const v = await pairVerdict(pair, role, checksumOf(b), gate);
    if (v.verdict === 'pass') return { ok: true, reason: `pair ${pair} ${role} passed` };
    return { ok: false, reason: `pair ${pair} ${role} verdict ${v.verdict}${reasonsOf(v) ? `: ${reasonsOf(v)}` : ''}` };
  };
  const flaggerRollback = async (b: FlaggerPayload): Promise<GateResult> => {
    const { pair, role } = rolesOf(b);
    const p = pairs.get(pair);
    if (!p) return { ok: false, reason: `unknown pair ${JSON.stringify(pair)}: never a rollback` };
    const pause = pausingEntry(activeMaintenance(p.config, d.store, clock.now()), role);
    if (pause) return { ok: false, reason: `pair ${pair} verdict maintenance: ${pause.reason}; a window is not a rollback signal` };
    const found = finished(p, checksumOf(b));
    if (!found) return { ok: false, reason: 'no verdict yet' };
    const v = verdictForTarget(found, role);
    return v.verdict === 'fail' ? { ok: true, reason: `pair ${pair} ${role} fails: ${reasonsOf(v)}` } : { ok: false, reason: `pair ${pair} ${role} verdict ${v.verdict}` };
  };
  const flaggerStart = async (b: FlaggerPayload, gate?: RunStartGate): Promise<GateResult> => {
    const { pair } = rolesOf(b);
    const rev = checksumOf(b);
    if (!pairs.has(pair)) return { ok: true, reason: `unknown pair ${JSON.stringify(pair)}: nothing started` };
    if (!rev) return { ok: true, reason: 'no checksum in the payload: nothing started (the gate judges the latest run)' };
    if (waiting(pair, rev) || finished(pairs.get(pair) as PairState, rev)) return { ok: true, reason: `a run of pair ${pair} for ${rev} exists or is queued` };
    gate?.check();
    gate?.started();
    const r = await request({ pairs: [pair], revision: rev, reason: `flagger ${rev}` });
    return { ok: true, reason: `run of pair ${pair} for ${rev} ${r}` };
  };

  const sections = (): Parameters<typeof renderFleetPage>[0] => ({
    version: d.version,
    now: clock.now(),
    schedule: config.serve.schedule,
    nextRunAt: scheduler.status().nextRunAt,
    running: current?.pairs ?? [],
    accounts: pool.health(),
    pairs: [...pairs.values()].map((p) => ({
      name: p.spec.name, canary: p.spec.canary, stable: p.spec.stable, run: p.store.latestRun(), lastError: p.lastError,
      paused: pausingEntry(activeMaintenance(p.config, d.store, clock.now()), 'canary')?.reason,
    })),
  });

  /** The classic page data of the first pair (callers that want one pair's page; `/` renders every pair). */
  const firstPairPage = (): StatusPageData => {
    const p = defaultPair ?? [...pairs.values()][0] as PairState;
    const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
    for (const t of ['canary', 'stable'] as TargetName[]) lastSuccessAt[t] = p.store.lastSuccessAt(t);
    return toStatusPageData({
      version: d.version, now: clock.now(), startedAt: d.processStartedAt, run: p.store.latestRun(),
      history: p.store.listRuns({ last: 48 }).filter((r) => r.finishedAt !== null), lastSuccessAt,
      running: Boolean(current?.pairs.includes(p.spec.name)), schedule: config.serve.schedule, nextRunAt: scheduler.status().nextRunAt,
      alerts: [], channels: [],
    });
  };

  const defaultPair = pairs.get(DEFAULT_PAIR);
  return {
    scheduler,
    deps: {
      getStatusJson: () => ({
        version: d.version,
        uptime_seconds: Math.round((clock.now() - d.processStartedAt) / 1000),
        pairs: Object.fromEntries([...pairs.values()].map((p) => {
          const run = p.store.latestRun();
          return [p.spec.name, run ? buildStatusJson(run, { version: d.version, startedAt: d.processStartedAt, now: clock.now() }) : { status: 'unknown', last_test: null }];
        })),
        accounts: pool.health(),
      }),
      getStatusPageData: () => firstPairPage(),
      renderStatusPage: () => renderFleetPage(sections()),
      getMetrics: async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
      getVerdict: async (target, revision, gate) => {
        if (defaultPair) return pairVerdict(DEFAULT_PAIR, target, revision, gate);
        return { schema: 1, verdict: 'inconclusive', decision: 'hold', target, reasons: [`this deployment guards pairs (${[...pairs.keys()].join(', ')}): ask for ?target=<pair>`] };
      },
      getPairVerdict: (pair, revision, gate) => pairVerdict(pair, 'canary', revision, gate),
      startRun: async (req) => {
        const r = await request({ revision: req.revision, reason: req.reason });
        return r === 'queued' ? { busy: true } : { runId: 'fleet-cycle' };
      },
      flaggerGate,
      flaggerRollback,
      flaggerStart,
      silences: silenceApi({ store: d.store, clock }),
      isReady: () => ready,
      token: config.serve.token,
      privateReads: config.serve.privateReads,
      maxRunsPerWindow: config.serve.maxRunsPerHour,
      runAllow: config.serve.runAllow,
      runsWindowMs: 3_600_000,
      reportsDir: config.paths.reports,
    },
    async tick() {
      for (const p of new Set([...pairs.values()].map((x) => x.deliveries))) {
        const res = await p.tick();
        metrics.setOutboxPending(res.health);
      }
    },
    async runOnce(reason) {
      await request({ reason });
      await scheduler.idle();
    },
    async stop(graceMs = 8000) {
      ready = false;
      await scheduler.stop({ graceMs });
      await pool.close().catch(() => undefined);
      for (const p of pairs.values()) p.handle.close();
    },
  };
}
