/**
 * healthchecks.io ping URLs: `GET <pingUrl>/start?rid=<uuid>` when a run starts (sent directly, best effort) and,
 * through the outbox when it ends, POST (the short summary travels as the body, which healthchecks logs):
 * - pass -> `<pingUrl>/0?rid=<uuid>` (success: the check goes up, run time measured from the start ping),
 * - fail -> `<pingUrl>/1?rid=<uuid>` (any exit status 1..255 is a failure: the check goes down, alerts fire),
 * - inconclusive -> `<pingUrl>/log?rid=<uuid>`: logged in the check's event list, its status unchanged. "Cannot
 *   judge" (Telegram down, a flood wait, a revoked session, stable failing too) is not a bot failure, so it must
 *   not page as down (healthchecks treats every non-zero exit status as a failure); it is not a success either,
 *   so it does not reset the check's period: a streak of inconclusive runs longer than period + grace makes the
 *   check go down by itself, as "nothing conclusive came in", next to tg-canary's own inconclusive alert.
 * `rid` must be a UUID (healthchecks answers `400 invalid uuid format` otherwise): a UUID (version 5 layout)
 * derived from the run id, so the start and end pings of one run carry the same rid and a retry sends it again.
 * The ping URL holds the check's secret id, so it never appears in errors.
 */
import { createHash } from 'node:crypto';
import { httpSend } from '../../delivery/http.js';
import { httpUrl } from '../../config/schema-parts.js';
import { definePusher, type PushHandler } from '../../delivery/plugin.js';
import { isRecord, payloadError } from './types.js';

export interface HealthchecksOptions {
  pingUrl: string;
  timeoutMs?: number;
}

interface EndPayload {
  runId: string;
  exitCode: number;
  body: string;
  /** `log` for an inconclusive run; absent (older outbox items) or `exit` = the exit-status endpoint. */
  kind?: 'exit' | 'log';
}

/** Namespace of tg-canary's run UUIDs (a fixed random UUID). */
const RUN_NAMESPACE = Buffer.from('6f1d4c2a9b7e4e0f8a3c5d2e1b0f9a87', 'hex');

/** A stable UUID for a run id: SHA-1 of namespace + id, with the version (5) and RFC 4122 variant bits set. */
export function runUuid(runId: string): string {
  const h = createHash('sha1').update(RUN_NAMESPACE).update(runId, 'utf8').digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function base(pingUrl: string): string {
  return pingUrl.replace(/\/+$/, '');
}

export const healthchecksPusher = definePusher({
  name: 'healthchecks',
  configKey: 'pingUrl',
  schema: httpUrl,
  envVars: [
    { name: 'PING_URL', field: '', kind: 'string', doc: 'healthchecks.io ping URL of the check (/start, then /0 pass, /1 fail or /log inconclusive are appended).', example: 'https://hc-ping.com/your-uuid' },
  ],
  secrets: [],
  async payloads(run, ctx) {
    const v = run.verdict;
    const body = [`tg-canary run ${run.runId}: ${v.verdict} (decision ${v.decision}, score ${v.score.toFixed(2)})`, ...v.reasons.slice(0, 5)]
      .join('\n')
      .slice(0, 1000);
    const kind = v.verdict === 'pass' || v.verdict === 'fail' ? 'exit' : 'log';
    // the exit status from the verdict, not the process: INCONCLUSIVE_EXIT_CODE may be 0 or 1
    const payload: EndPayload = { runId: run.runId, exitCode: v.verdict === 'pass' ? 0 : v.verdict === 'fail' ? 1 : ctx.exitCode, body, kind };
    return [{ dedupeKey: `push:healthchecks:${run.runId}`, payload }];
  },
  create: (pingUrl, deps) => healthchecksHandler({ pingUrl, timeoutMs: deps.timeoutMs }),
});

export function healthchecksHandler(opts: HealthchecksOptions): PushHandler {
  return async (payload: unknown): Promise<void> => {
    if (!isRecord(payload) || typeof payload.runId !== 'string' || typeof payload.exitCode !== 'number' || typeof payload.body !== 'string'
      || (payload.kind !== undefined && payload.kind !== 'exit' && payload.kind !== 'log')) {
      throw payloadError('healthchecks');
    }
    const endpoint = payload.kind === 'log' ? 'log' : String(payload.exitCode);
    await httpSend({
      method: 'POST',
      url: `${base(opts.pingUrl)}/${endpoint}?rid=${runUuid(payload.runId)}`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: payload.body,
      timeoutMs: opts.timeoutMs ?? 10_000,
      secrets: [opts.pingUrl],
      what: 'ping url',
    });
  };
}

/** Signals a run start; never throws (a missed start ping only loses the run-time measurement). */
export async function pingStart(opts: HealthchecksOptions, runId: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await httpSend({
      method: 'GET',
      url: `${base(opts.pingUrl)}/start?rid=${runUuid(runId)}`,
      timeoutMs: opts.timeoutMs ?? 5_000,
      secrets: [opts.pingUrl],
      what: 'ping url',
    });
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
