/** ServeDeps wired to plain in-test state, the way the composition root wires the real ones. */
import type { VerdictReport } from '../../src/core/types.js';
import { systemClock } from '../../src/core/clock.js';
import { TgCanaryError } from '../../src/core/errors.js';
import type { ServeDeps } from '../../src/status/http-server.js';
import type { StatusPageData } from '../../src/status/status-page.js';
import { silentLogger } from '../../src/util/logger.js';
import { HOSTILE, makeRun, XSS_IMG, XSS_SCRIPT } from '../reporters/fixtures.js';

export interface FakeWorld {
  ready: boolean;
  running: boolean;
  runs: { revision?: string; reason: string }[];
  verdicts: Map<string, VerdictReport>;
  pending: Set<string>;
  failVerdict: boolean;
  flaggerSeen: unknown[];
}

export function statusData(now = Date.now()): StatusPageData {
  const run = makeRun();
  return {
    version: '0.1.0',
    now,
    startedAt: now - 3 * 3600_000 - 125_000,
    overall: 'fail',
    decision: 'rollback',
    reasons: [`canary regression: ${XSS_SCRIPT}`],
    running: false,
    schedule: '0 * * * *',
    nextRunAt: now + 1800_000,
    lastRun: { runId: run.runId, startedAt: now - 600_000, finishedAt: now - 590_000, verdict: 'fail', score: 0.62, revision: 'rev-42' },
    targets: [
      { target: 'canary', verdict: 'fail', score: 0.62, lastSuccessAt: now - 7200_000, passRate: 0.8 },
      { target: 'stable', verdict: 'pass', score: 1, lastSuccessAt: now - 600_000, passRate: 1 },
    ],
    suites: [
      { suite: 'jokes', cells: { canary: { status: 'fail', score: 0.25 }, stable: { status: 'pass', score: 1 } } },
      { suite: 'memories', cells: { canary: { status: 'pass', score: 1 }, stable: { status: 'pass', score: 1 } } },
    ],
    scenarios: run.scenarios.map((s) => ({
      suite: s.suite,
      name: s.scenario,
      target: s.target,
      status: s.status,
      score: s.score,
      latencyFirstMs: s.latencyMs.first,
      latencyFinalMs: s.latencyMs.final,
      reasons: s.reasons,
      lastReply: s.steps[1]?.reply?.text,
    })),
    history: Array.from({ length: 20 }, (_, i) => ({
      runId: `r${i}`,
      startedAt: now - (i + 1) * 3600_000,
      verdict: i === 0 ? 'fail' : i % 7 === 3 ? 'inconclusive' : 'pass',
      score: i === 0 ? 0.62 : 0.9 + (i % 3) * 0.03,
    })),
    alerts: [{ key: 'canary', target: 'canary', kind: 'failing', since: now - 600_000, message: `canary failing: ${XSS_IMG}` }],
    channels: [
      { name: 'email', kind: 'notifier', lastSuccessAt: now - 7200_000, lastError: `SMTP 554 ${XSS_SCRIPT}`, lastErrorAt: now - 600_000, pending: 2 },
      { name: 'pushgateway', kind: 'pusher', lastSuccessAt: now - 590_000, lastError: null, pending: 0 },
    ],
  };
}

export function makeDeps(world: FakeWorld, extra: Partial<ServeDeps> = {}): ServeDeps {
  return {
    clock: systemClock,
    logger: silentLogger(),
    isReady: () => world.ready,
    getStatusJson: () => ({ status: world.running ? 'running' : 'ok', last: HOSTILE }),
    getStatusPageData: () => statusData(),
    getMetrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'tg_canary_run_success{target="canary"} 0\n' }),
    getVerdict: async (target, revision, gate) => {
      if (world.failVerdict) throw new TgCanaryError('STORE_LOCKED', 'database is locked', { kind: 'infra' });
      if (revision !== undefined && !world.verdicts.has(revision)) {
        if (!world.pending.has(revision)) {
          gate?.check(); // as the daemon does: token or allowed address, and the shared limit
          gate?.started();
          world.pending.add(revision);
          world.runs.push({ revision, reason: 'verdict' });
        }
        return { schema: 1, verdict: 'pending', target, revision, reasons: ['run in progress'] };
      }
      const v = world.verdicts.get(revision ?? 'latest');
      return v ? { ...v } : { schema: 1, verdict: 'inconclusive', reasons: ['no run yet'] };
    },
    startRun: async (req) => {
      if (world.running) return { busy: true };
      world.running = true;
      world.runs.push(req);
      return { runId: `run-${world.runs.length}` };
    },
    flaggerGate: async (body) => {
      world.flaggerSeen.push(body);
      const v = body.checksum ? world.verdicts.get(body.checksum) : undefined;
      if (!v) return { ok: false, reason: 'no verdict yet for this checksum' };
      return { ok: v.verdict === 'pass', reason: `verdict ${v.verdict}` };
    },
    flaggerRollback: async (body) => {
      const v = body.checksum ? world.verdicts.get(body.checksum) : undefined;
      return { ok: v?.verdict === 'fail', reason: v ? `verdict ${v.verdict}` : 'no verdict' };
    },
    flaggerStart: async (body) => {
      world.flaggerSeen.push(body);
      return { ok: true, reason: `run for ${body.checksum ?? '(none)'} started` };
    },
    ...extra,
  };
}

export function newWorld(): FakeWorld {
  return { ready: false, running: false, runs: [], verdicts: new Map(), pending: new Set(), failVerdict: false, flaggerSeen: [] };
}
