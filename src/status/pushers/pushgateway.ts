/** Prometheus Pushgateway: `PUT <url>/metrics/job/tg_canary/target/<target>` with the run's gauges. */
import type { TargetName } from '../../core/types.js';
import { httpSend } from '../../notifiers/http.js';
import { isRecord, payloadError, type OutboxPusher } from './types.js';

export interface PushgatewayOptions {
  url: string;
  timeoutMs?: number;
}

interface PushgatewayPayload {
  target: TargetName;
  body: string;
}

export const pushgatewayPusher: OutboxPusher<PushgatewayOptions> = {
  channel: 'pushgateway',
  async payloads(run, ctx) {
    // metrics.ts pulls in prom-client (~25 ms): loaded only when a Pushgateway is configured (cold start).
    const { buildPushgatewayText, targetVerdict } = await import('../metrics.js');
    const items = [];
    for (const target of Object.keys(run.verdict.targets) as TargetName[]) {
      // SQLite's last success, or this run when it passed (so a failed run never erases the timestamp)
      let last = ctx.lastSuccessAt[target] ?? null;
      if (targetVerdict(run, target) === 'pass') last = Math.max(last ?? 0, run.finishedAt);
      const payload: PushgatewayPayload = { target, body: await buildPushgatewayText(run, target, last) };
      items.push({ dedupeKey: `push:pushgateway:${run.runId}:${target}`, payload });
    }
    return items;
  },
  handler(opts) {
    const base = opts.url.replace(/\/+$/, '');
    return async (payload: unknown): Promise<void> => {
      if (!isRecord(payload) || typeof payload.target !== 'string' || typeof payload.body !== 'string') {
        throw payloadError('pushgateway');
      }
      await httpSend({
        method: 'PUT',
        url: `${base}/metrics/job/tg_canary/target/${encodeURIComponent(payload.target)}`,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: payload.body,
        timeoutMs: opts.timeoutMs ?? 10_000,
        secrets: [passwordOf(opts.url)],
        what: 'pushgateway',
      });
    };
  },
};

function passwordOf(url: string): string | undefined {
  try {
    return new URL(url).password || undefined;
  } catch {
    return undefined;
  }
}
