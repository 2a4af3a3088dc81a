/**
 * Prometheus Pushgateway, one group per target: `PUT <url>/metrics/job/tg_canary/target/<target>` with the run's
 * gauges, and `DELETE` of the group of a target the run did not test (`run --target canary`), so an old stable
 * result never sits there for ever, firing alerts about a bot nobody tests any more.
 *
 * Not prom-client's `Pushgateway` class: it serialises a live registry at send time, while the outbox must deliver
 * the exact text measured at run end (a retry an hour later pushes that run's values, not the process's current
 * ones), through the same HTTP layer that keeps the URL's credentials out of errors.
 */
import type { TargetName } from '../../core/types.js';
import { httpSend } from '../../delivery/http.js';
import { httpUrl } from '../../config/schema-parts.js';
import { definePusher, type PushHandler } from '../../delivery/plugin.js';
import { isRecord, passwordOf, payloadError } from './types.js';

export interface PushgatewayOptions {
  url: string;
  timeoutMs?: number;
}

interface PushgatewayPayload {
  target: TargetName;
  /** The group's new content; absent = delete the group (the run did not test this target). */
  body?: string;
}

const TARGETS: readonly TargetName[] = ['canary', 'stable'];

export const pushgatewayPusher = definePusher({
  name: 'pushgateway',
  configKey: 'pushgatewayUrl',
  schema: httpUrl,
  envVars: [
    { name: 'PUSHGATEWAY_URL', field: '', kind: 'string', doc: 'Prometheus Pushgateway base URL; metrics are pushed after each run.', example: 'http://pushgateway:9091' },
  ],
  secrets: [],
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
    for (const target of TARGETS.filter((t) => !(t in run.verdict.targets))) {
      const payload: PushgatewayPayload = { target };
      items.push({ dedupeKey: `push:pushgateway:${run.runId}:${target}:delete`, payload });
    }
    return items;
  },
  create: (url, deps) => pushgatewayHandler({ url, timeoutMs: deps.timeoutMs }),
});

export function pushgatewayHandler(opts: PushgatewayOptions): PushHandler {
  const base = opts.url.replace(/\/+$/, '');
  return async (payload: unknown): Promise<void> => {
    if (!isRecord(payload) || typeof payload.target !== 'string' || (payload.body !== undefined && typeof payload.body !== 'string')) {
      throw payloadError('pushgateway');
    }
    const url = `${base}/metrics/job/tg_canary/target/${encodeURIComponent(payload.target)}`;
    if (payload.body === undefined) {
      await httpSend({ method: 'DELETE', url, timeoutMs: opts.timeoutMs ?? 10_000, secrets: [passwordOf(opts.url)], what: 'pushgateway' });
      return;
    }
    await httpSend({
      method: 'PUT',
      url,
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      body: payload.body,
      timeoutMs: opts.timeoutMs ?? 10_000,
      secrets: [passwordOf(opts.url)],
      what: 'pushgateway',
    });
  };
}
