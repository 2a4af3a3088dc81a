/**
 * What tg-canary answers to each Flagger webhook (read from Flagger's scheduler: pkg/controller/scheduler.go and
 * scheduler_hooks.go, v1.44). Flagger treats HTTP status <= 202 as success.
 * - confirm-rollout runs BEFORE Flagger scales the new revision up, with the checksum of the last applied spec
 *   (the previous revision): nothing to judge yet. The gate approves it (200) and says so; the recipe does not
 *   use this hook.
 * - pre-rollout (-> /v1/flagger/start) runs once the new revision is up, before the analysis; a non-2xx answer
 *   counts as a failed check towards `threshold` (then a rollback). So it never judges: it starts a fresh run for
 *   the checksum (or queues it) and answers 202, whatever happens, so "cannot judge" never rolls back.
 * - confirm-promotion (-> /v1/flagger/gate) is asked every interval once the iterations are done; a non-2xx
 *   answer makes Flagger wait (phase WaitingPromotion) without counting a failure. 200 only on a pass for this
 *   checksum; pending, inconclusive (re-run after a while) and fail answer 503 with the reason.
 * - rollback (-> /v1/flagger/rollback) is asked every interval while Progressing, Waiting or WaitingPromotion;
 *   200 makes Flagger roll back at once. 200 only when the newest run for this checksum fails.
 * `metadata.target` (canary or stable, default canary) chooses whose verdict is read.
 */
import type { TargetName, VerdictReport } from '../core/types.js';
import type { FlaggerPayload, GateResult, VerdictBody } from '../status/http-server.js';
import { verdictForTarget, type RevisionRuns } from './revision-runs.js';
import type { RunStartGate } from '../status/routes-types.js';

/** Phases in which the new revision is running (Flagger passes canary.Status.Phase to confirm-rollout only). */
const JUDGING_PHASES = new Set(['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);

export interface FlaggerHooksDeps {
  revisions: RevisionRuns;
  getVerdict(target: TargetName, revision?: string, gate?: RunStartGate): Promise<VerdictBody>;
  latestVerdict(): VerdictReport | undefined;
  /** The reason runs are paused for `target` (a maintenance window), if they are: never a rollback then. */
  paused?(target: TargetName): string | undefined;
}

export interface FlaggerHooks {
  /** May start a run (a checksum with no verdict yet): `gate` allows it or throws. */
  gate(b: FlaggerPayload, gate?: RunStartGate): Promise<GateResult>;
  rollback(b: FlaggerPayload): Promise<GateResult>;
  start(b: FlaggerPayload, gate?: RunStartGate): Promise<GateResult>;
}

function checksumOf(b: FlaggerPayload): string | undefined {
  return b.checksum || b.metadata?.revision || undefined;
}

function reasonsOf(v: VerdictBody): string {
  return Array.isArray(v.reasons) ? (v.reasons as unknown[]).map(String).join('; ') : '';
}

export function flaggerHandlers(d: FlaggerHooksDeps): FlaggerHooks {
  return {
    async gate(b, gate) {
      const target = b.target ?? 'canary';
      if (!JUDGING_PHASES.has(b.phase)) {
        return {
          ok: true,
          reason: `not judged in phase ${b.phase || '(none)'}: the new revision is not running yet (confirm-rollout); tg-canary judges it at confirm-promotion`,
        };
      }
      const rev = checksumOf(b);
      const v = await d.getVerdict(target, rev, gate);
      if (v.verdict === 'pass') return { ok: true, reason: `${target} passed${rev ? ` for ${rev}` : ''}` };
      const reasons = reasonsOf(v);
      return { ok: false, reason: `${target} verdict ${v.verdict}${reasons ? `: ${reasons}` : ''}` };
    },

    async rollback(b) {
      const target = b.target ?? 'canary';
      const rev = checksumOf(b);
      const pause = d.paused?.(target);
      if (pause) return { ok: false, reason: `${target} verdict maintenance: ${pause}; a window is not a rollback signal` };
      const found = rev ? d.revisions.finishedVerdict(rev)?.verdict : d.latestVerdict();
      if (!found) return { ok: false, reason: 'no verdict yet' };
      const v = verdictForTarget(found, target);
      if (v.verdict === 'fail') return { ok: true, reason: `${target} fails: ${reasonsOf(v)}` };
      return { ok: false, reason: `${target} verdict ${v.verdict}` };
    },

    async start(b, gate) {
      const pause = d.paused?.(b.target ?? 'canary');
      if (pause) return { ok: true, reason: `not started: ${pause}; runs are paused (the gate answers maintenance)` };
      const rev = checksumOf(b);
      if (!rev) return { ok: true, reason: 'no checksum in the payload: nothing started (the gate judges the latest run)' };
      const r = await d.revisions.kick(rev, gate);
      return { ok: true, reason: r.reason };
    },
  };
}
