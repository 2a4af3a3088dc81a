/**
 * healthchecks.io-style ping URLs: `GET <pingUrl>/start?rid=<runId>` when a run starts (sent directly, best
 * effort) and `<pingUrl>/<exitCode>?rid=<runId>` when it ends (through the outbox; sent as POST so the short
 * summary travels as the body, which healthchecks.io logs — it accepts GET, HEAD and POST alike).
 * The ping URL holds the check's secret id, so it never appears in errors.
 */
import { httpSend } from '../../notifiers/http.js';
import { isRecord, payloadError, type OutboxPusher } from './types.js';

export interface HealthchecksOptions {
  pingUrl: string;
  timeoutMs?: number;
}

interface EndPayload {
  runId: string;
  exitCode: number;
  body: string;
}

export const healthchecksPusher: OutboxPusher<HealthchecksOptions> = {
  channel: 'healthchecks',
  async payloads(run, ctx) {
    const v = run.verdict;
    const body = [`tg-canary run ${run.runId}: ${v.verdict} (decision ${v.decision}, score ${v.score.toFixed(2)})`, ...v.reasons.slice(0, 5)]
      .join('\n')
      .slice(0, 1000);
    const payload: EndPayload = { runId: run.runId, exitCode: ctx.exitCode, body };
    return [{ dedupeKey: `push:healthchecks:${run.runId}`, payload }];
  },
  handler(opts) {
    return async (payload: unknown): Promise<void> => {
      if (!isRecord(payload) || typeof payload.runId !== 'string' || typeof payload.exitCode !== 'number' || typeof payload.body !== 'string') {
        throw payloadError('healthchecks');
      }
      await httpSend({
        method: 'POST',
        url: `${opts.pingUrl.replace(/\/+$/, '')}/${payload.exitCode}?rid=${encodeURIComponent(payload.runId)}`,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: payload.body,
        timeoutMs: opts.timeoutMs ?? 10_000,
        secrets: [opts.pingUrl],
        what: 'ping url',
      });
    };
  },
};

/** Signals a run start; never throws (a missed start ping only loses the run-time measurement). */
export async function pingStart(opts: HealthchecksOptions, runId: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await httpSend({
      method: 'GET',
      url: `${opts.pingUrl.replace(/\/+$/, '')}/start?rid=${encodeURIComponent(runId)}`,
      timeoutMs: opts.timeoutMs ?? 5_000,
      secrets: [opts.pingUrl],
      what: 'ping url',
    });
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
