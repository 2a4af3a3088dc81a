/**
 * Prometheus metrics built with prom-client, each set on its own Registry (never the global one):
 * - `buildPushgatewayText(run, target, lastSuccessAt)`: the text pushed to a Pushgateway group
 *   `job=tg_canary,target=<target>` (so no `target` label inside);
 * - `buildServeMetrics()`: the registry the `serve` daemon exposes on `/metrics` — the same gauges with a
 *   `target` label, `tg_canary_runs_total{verdict}`, `tg_canary_outbox_pending{channel}`, process metrics.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunResult, TargetName, Verdict } from '../core/types.js';
import type { AccountTelemetry } from '../fleet/account-telemetry.js';
import { registerAccountMetrics } from './account-metrics.js';

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'inconclusive'];

interface RunGauges {
  success: Gauge<string>;
  score: Gauge<string>;
  duration: Gauge<string>;
  lastRun: Gauge<string>;
  lastSuccess: Gauge<string>;
  scenario: Gauge<string>;
  latency: Gauge<string>;
  verdict: Gauge<string>;
  failureRate: Gauge<string>;
  failureP: Gauge<string>;
  failureBand: Gauge<string>;
}

function createRunGauges(registry: Registry, base: string[]): RunGauges {
  const g = (name: string, help: string, labels: string[] = []): Gauge<string> =>
    new Gauge({ name, help, labelNames: [...base, ...labels], registers: [registry] });
  return {
    success: g('tg_canary_run_success', '1 when the target passed its last run, else 0.'),
    score: g('tg_canary_run_score_ratio', 'Weighted score (0..1) of the target in the last run.'),
    duration: g('tg_canary_run_duration_seconds', 'Wall time of the last run.'),
    lastRun: g('tg_canary_last_run_timestamp_seconds', 'When the last run finished (unix seconds).'),
    lastSuccess: g('tg_canary_last_success_timestamp_seconds', 'When the target last passed a run (unix seconds, from SQLite).'),
    scenario: g('tg_canary_scenario_success', '1 when the scenario passed in the last run, else 0.', ['scenario', 'suite']),
    latency: g('tg_canary_reply_latency_seconds', 'Reply latency of the scenario in the last run.', ['scenario', 'suite', 'kind']),
    verdict: g('tg_canary_verdict', '1 for the verdict of the last run, 0 for the others.', ['verdict']),
    failureRate: g('tg_canary_failure_rate', 'Failure rate (0..1) of the graded attempts in the verdict window, shared causes left out; scope = overall or a suite.', ['scope']),
    failureP: g('tg_canary_failure_rate_p', 'One-sided Fisher exact p-value that canary fails more often than stable (canary only).', ['scope']),
    failureBand: g('tg_canary_failure_band', '1 for the band (pass, marginal, fail) of the failure-rate comparison, 0 for the others (canary only).', ['scope', 'band']),
  };
}

/** The verdict shown for a target: the run's verdict for the canary (shared outages are inconclusive there). */
export function targetVerdict(run: RunResult, target: TargetName): Verdict {
  const overall = run.verdict.verdict;
  if (target === 'canary' && overall !== 'pending') return overall;
  return run.verdict.targets[target]?.verdict ?? (overall === 'pending' ? 'inconclusive' : overall);
}

function fillRunGauges(g: RunGauges, run: RunResult, target: TargetName, lastSuccessAt: number | null, base: Record<string, string>): void {
  const summary = run.verdict.targets[target];
  const verdict = targetVerdict(run, target);
  g.success.set(base, verdict === 'pass' ? 1 : 0);
  g.score.set(base, summary?.score ?? 0);
  g.duration.set(base, Math.max(0, run.finishedAt - run.startedAt) / 1000);
  g.lastRun.set(base, run.finishedAt / 1000);
  if (lastSuccessAt !== null) g.lastSuccess.set(base, lastSuccessAt / 1000);
  for (const v of VERDICTS) g.verdict.set({ ...base, verdict: v }, v === verdict ? 1 : 0);
  const fr = run.verdict.failureRates;
  if (fr) {
    for (const [scope, c] of [['overall', fr.overall] as const, ...Object.entries(fr.suites)]) {
      g.failureRate.set({ ...base, scope }, target === 'canary' ? c.canaryRate : c.stableRate);
      if (target !== 'canary') continue;
      g.failureP.set({ ...base, scope }, c.p);
      for (const b of ['pass', 'marginal', 'fail']) g.failureBand.set({ ...base, scope, band: b }, c.band === b ? 1 : 0);
    }
  }
  // a repeated scenario (`repeat: N`) is one series: 1 only when every attempt passed; latencies of the last attempt
  const allPassed = new Map<string, boolean>();
  for (const s of run.scenarios) {
    if (s.target !== target || s.status === 'skipped') continue;
    const k = `${s.suite}\u0000${s.scenario}`;
    allPassed.set(k, (allPassed.get(k) ?? true) && s.status === 'pass');
  }
  for (const s of run.scenarios) {
    if (s.target !== target || s.status === 'skipped') continue;
    const labels = { ...base, scenario: s.scenario, suite: s.suite };
    g.scenario.set(labels, allPassed.get(`${s.suite}\u0000${s.scenario}`) ? 1 : 0);
    if (s.latencyMs.first !== null) g.latency.set({ ...labels, kind: 'first' }, s.latencyMs.first / 1000);
    if (s.latencyMs.final !== null) g.latency.set({ ...labels, kind: 'final' }, s.latencyMs.final / 1000);
  }
}

/** Prometheus text for one target's Pushgateway group. */
export async function buildPushgatewayText(run: RunResult, target: TargetName, lastSuccessAt: number | null): Promise<string> {
  const registry = new Registry();
  fillRunGauges(createRunGauges(registry, []), run, target, lastSuccessAt, {});
  return registry.metrics();
}

export interface ServeMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** Sets the run gauges for every target of the run and counts the run. */
  recordRun(run: RunResult, ctx: { lastSuccessAt: Partial<Record<TargetName, number | null>> }): void;
  /** Pending outbox items per channel (e.g. from `deliverOutbox(...).health`). */
  setOutboxPending(health: ReadonlyArray<{ channel: string; pending: number }>): void;
  metrics(): Promise<string>;
}

/**
 * prom-client's default metrics include three gauges named `…_total` (`nodejs_active_{handles,requests,resources}_total`),
 * which `promtool check metrics` rejects (the suffix is for counters). Each is the sum of the labelled gauge of the
 * same name without the suffix, which stays: `sum(nodejs_active_handles)` gives the same number.
 */
const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function buildServeMetrics(opts: { defaultMetrics?: boolean; accounts?: () => AccountTelemetry } = {}): ServeMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  }
  const gauges = createRunGauges(registry, ['target']);
  if (opts.accounts) registerAccountMetrics(registry, opts.accounts);
  const runs = new Counter({ name: 'tg_canary_runs_total', help: 'Finished runs by verdict.', labelNames: ['verdict'], registers: [registry] });
  for (const v of [...VERDICTS, 'pending']) runs.inc({ verdict: v }, 0);
  const pending = new Gauge({ name: 'tg_canary_outbox_pending', help: 'Undelivered outbox items by channel.', labelNames: ['channel'], registers: [registry] });

  return {
    registry,
    contentType: registry.contentType,
    recordRun(run, ctx): void {
      for (const g of Object.values(gauges)) g.reset();
      for (const target of Object.keys(run.verdict.targets) as TargetName[]) {
        fillRunGauges(gauges, run, target, ctx.lastSuccessAt[target] ?? null, { target });
      }
      runs.inc({ verdict: run.verdict.verdict });
    },
    setOutboxPending(health): void {
      pending.reset();
      for (const h of health) pending.set({ channel: h.channel }, h.pending);
    },
    metrics: () => registry.metrics(),
  };
}

export interface FleetServeMetrics extends Omit<ServeMetrics, 'recordRun'> {
  /** Sets one pair's run gauges (the other pairs' series stay) and counts its run. */
  recordRun(pair: string, run: RunResult, ctx: { lastSuccessAt: Partial<Record<TargetName, number | null>> }, opts?: { count?: boolean }): void;
}

/**
 * `/metrics` of a fleet (`pairs:`, issue 19): the same series as buildServeMetrics with a `pair` label before
 * `target` on every per-run series and on `tg_canary_runs_total`. Each pair keeps the gauges of its last run.
 */
export function buildFleetServeMetrics(opts: { defaultMetrics?: boolean } = {}): FleetServeMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  }
  const gauges = createRunGauges(registry, ['pair', 'target']);
  const runs = new Counter({ name: 'tg_canary_runs_total', help: 'Finished runs by pair and verdict.', labelNames: ['pair', 'verdict'], registers: [registry] });
  const pending = new Gauge({ name: 'tg_canary_outbox_pending', help: 'Undelivered outbox items by channel.', labelNames: ['channel'], registers: [registry] });
  const latest = new Map<string, { run: RunResult; lastSuccessAt: Partial<Record<TargetName, number | null>> }>();
  return {
    registry,
    contentType: registry.contentType,
    recordRun(pair, run, ctx, o = {}): void {
      if (!latest.has(pair)) for (const v of [...VERDICTS, 'pending']) runs.inc({ pair, verdict: v }, 0);
      latest.set(pair, { run, lastSuccessAt: ctx.lastSuccessAt });
      // a pair's scenarios may change between runs: rebuild every pair's series from its last run
      for (const g of Object.values(gauges)) g.reset();
      for (const [name, l] of latest) {
        for (const target of Object.keys(l.run.verdict.targets) as TargetName[]) {
          fillRunGauges(gauges, l.run, target, l.lastSuccessAt[target] ?? null, { pair: name, target });
        }
      }
      if (o.count !== false) runs.inc({ pair, verdict: run.verdict.verdict });
    },
    setOutboxPending(health): void {
      pending.reset();
      for (const h of health) pending.set({ channel: h.channel }, h.pending);
    },
    metrics: () => registry.metrics(),
  };
}
