/**
 * Runs per revision for the deploy controllers (Argo Rollouts' web provider, Flagger's webhooks), on top of the
 * serve daemon's single-run scheduler:
 * - a revision asked for while another run is going is QUEUED (in order, once) and run as soon as the scheduler is
 *   free, so "starts after it" is true; a scheduled run also serves the head of the queue;
 * - pass and fail are answered from the newest finished run of that revision (since its last kick, see below);
 * - an inconclusive run is answered for `rerunInconclusiveAfterMs` (default 5 min), then the next poll starts a
 *   new run: Telegram trouble passes, and a retried analysis must not be stuck on an old "cannot judge";
 * - `kick(revision)` (Flagger's pre-rollout hook) always runs the revision afresh: results from before the kick
 *   (an earlier rollout of the same checksum) no longer answer for it.
 * The queue lives in memory: after a restart the controllers' next polls ask again, and get a run.
 */
import type { RunStartGate } from '../status/routes-types.js';
import type { Clock, RunHistoryReader } from '../core/ports.js';
import type { TargetName, VerdictReport } from '../core/types.js';
import type { VerdictBody } from '../status/http-server.js';

export const RERUN_INCONCLUSIVE_AFTER_MS = 5 * 60_000;
const MAX_QUEUE = 20;
const MAX_KICKS = 200;

export interface RevisionRunsDeps {
  store: RunHistoryReader;
  clock: Clock;
  /** Starts a run now unless one is going (the scheduler's runNow). */
  runNow(reason: string): Promise<'started' | 'busy'>;
  /** The run in progress, if any. */
  current(): { runId: string; revision?: string } | undefined;
  rerunInconclusiveAfterMs?: number;
}

export interface KickResult {
  state: 'started' | 'queued' | 'running';
  reason: string;
}

export interface RevisionRuns {
  /** The revision the run starting now serves: the one being launched, else the head of the queue. */
  takeNext(): string | undefined;
  /** Starts a run for exactly this revision (or none) now; `busy` when a run is going (nothing is queued). */
  launchNow(revision: string | undefined, reason: string): Promise<'started' | 'busy'>;
  /**
   * The verdict for a revision as Argo and Flagger's gate read it; starts or queues a run when there is none,
   * after `gate.check()` allows it (the token or an allowed address, and SERVE_MAX_RUNS_PER_HOUR).
   */
  verdictFor(target: TargetName, revision: string, gate?: RunStartGate): Promise<VerdictBody>;
  /** The newest finished verdict of a revision since its last kick (no run is started). */
  finishedVerdict(revision: string): { verdict: VerdictReport; finishedAt: number } | undefined;
  /** Runs the revision afresh (Flagger pre-rollout), after `gate.check()` allows it. */
  kick(revision: string, gate?: RunStartGate): Promise<KickResult>;
  /** Call when a run has ended: starts the next queued revision. */
  onRunEnded(): void;
  queued(): readonly string[];
}

/** The verdict JSON as one target sees it (stable: its own verdict; canary: the run's). */
export function verdictForTarget(v: VerdictReport, target: TargetName): VerdictBody {
  if (target === 'canary') return { ...v, target };
  const t = v.targets.stable;
  return { ...v, target, verdict: t ? t.verdict : 'inconclusive', reasons: t ? v.reasons : ['no stable bot configured'] };
}

export function createRevisionRuns(d: RevisionRunsDeps): RevisionRuns {
  const rerunAfter = d.rerunInconclusiveAfterMs ?? RERUN_INCONCLUSIVE_AFTER_MS;
  let launching: { revision: string | undefined } | undefined;
  const queue: string[] = [];
  const kickedAt = new Map<string, number>();

  const pending = (revision: string, reason: string): VerdictBody => ({
    schema: 1,
    verdict: 'pending',
    revision,
    runId: d.current()?.runId ?? null,
    reasons: [reason],
  });

  const launchNow = async (revision: string | undefined, reason: string): Promise<'started' | 'busy'> => {
    launching = { revision };
    try {
      return await d.runNow(reason);
    } finally {
      launching = undefined;
    }
  };

  /** Starts the revision's run now, or queues it behind the run in progress. */
  const startOrQueue = async (revision: string, reason: string): Promise<'started' | 'queued'> => {
    if ((await launchNow(revision, reason)) === 'started') return 'started';
    if (!queue.includes(revision)) {
      if (queue.length >= MAX_QUEUE) queue.shift();
      queue.push(revision);
    }
    return 'queued';
  };

  const queuedReason = (revision: string): string => {
    const i = queue.indexOf(revision);
    const cur = d.current();
    const behind = cur ? `run ${cur.runId}${cur.revision ? ` (revision ${cur.revision})` : ''}` : 'the run in progress';
    return `another run is in progress; the run for revision ${revision} is queued and starts after ${behind}${i > 0 ? ` and ${i} queued revision${i === 1 ? '' : 's'}` : ''}`;
  };

  const finishedVerdict = (revision: string): { verdict: VerdictReport; finishedAt: number } | undefined => {
    const since = kickedAt.get(revision) ?? Number.NEGATIVE_INFINITY;
    const summary = d.store.listRuns({ last: 500 }).find((r) => r.revision === revision && r.finishedAt !== null && r.startedAt >= since);
    if (!summary || summary.finishedAt === null) return undefined;
    const run = d.store.getRun(summary.runId);
    return run ? { verdict: run.verdict, finishedAt: summary.finishedAt } : undefined;
  };

  const inFlight = (revision: string): VerdictBody | undefined => {
    const cur = d.current();
    if (cur?.revision === revision) return pending(revision, `run ${cur.runId} for revision ${revision} is in progress`);
    if (queue.includes(revision)) return pending(revision, queuedReason(revision));
    return undefined;
  };

  return {
    takeNext(): string | undefined {
      if (launching) return launching.revision ?? queue.shift();
      return queue.shift();
    },
    launchNow,
    finishedVerdict,

    async verdictFor(target, revision, gate) {
      const busy = inFlight(revision);
      if (busy) return busy;
      const found = finishedVerdict(revision);
      if (found) {
        const body = verdictForTarget(found.verdict, target);
        if (body.verdict !== 'inconclusive') return body;
        const retryAt = found.finishedAt + rerunAfter;
        if (d.clock.now() < retryAt) return { ...body, retryAt: new Date(retryAt).toISOString() };
        gate?.check();
        gate?.started();
        const s = await startOrQueue(revision, `revision ${revision} (again: its last run was inconclusive)`);
        return s === 'started'
          ? pending(revision, `the last run for revision ${revision} was inconclusive; a new run has started`)
          : pending(revision, `the last run for revision ${revision} was inconclusive; ${queuedReason(revision)}`);
      }
      gate?.check(); // throws before anything starts
      gate?.started();
      const s = await startOrQueue(revision, `revision ${revision}`);
      return s === 'started' ? pending(revision, `a run for revision ${revision} has started`) : pending(revision, queuedReason(revision));
    },

    async kick(revision, gate) {
      const cur = d.current();
      if (cur?.revision === revision) return { state: 'running', reason: `run ${cur.runId} for revision ${revision} is in progress` };
      if (queue.includes(revision)) return { state: 'queued', reason: queuedReason(revision) };
      gate?.check();
      gate?.started();
      if (kickedAt.size >= MAX_KICKS) kickedAt.delete(kickedAt.keys().next().value as string);
      kickedAt.delete(revision);
      kickedAt.set(revision, d.clock.now());
      const s = await startOrQueue(revision, `revision ${revision} (pre-rollout)`);
      return s === 'started'
        ? { state: 'started', reason: `a run for revision ${revision} has started` }
        : { state: 'queued', reason: queuedReason(revision) };
    },

    onRunEnded(): void {
      if (queue.length === 0) return;
      // after the scheduler has marked the run finished; if something else started meanwhile, its end drains
      setTimeout(() => {
        if (queue.length > 0) void d.runNow(`queued revision ${queue[0] ?? ''}`);
      }, 0);
    },

    queued: () => queue,
  };
}
