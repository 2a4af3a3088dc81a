/**
 * Uptime Kuma push monitor: `GET <url>?status=up|down&msg=<short>&ping=<ms>`. An inconclusive run is skipped by
 * default (Telegram being down is not the bot being down; Kuma's own heartbeat timeout shows missing data).
 */
import { httpSend } from '../../delivery/http.js';
import { httpUrl } from '../../config/schema-parts.js';
import { definePusher, type PushHandler } from '../../delivery/plugin.js';
import { isRecord, payloadError } from './types.js';

export interface UptimeKumaOptions {
  url: string;
  timeoutMs?: number;
}

interface KumaPayload {
  status: 'up' | 'down';
  msg: string;
  ping: number | null;
}

export const uptimeKumaPusher = definePusher({
  name: 'uptimeKuma',
  configKey: 'uptimeKumaUrl',
  schema: httpUrl,
  envVars: [
    { name: 'UPTIME_KUMA_PUSH_URL', field: '', kind: 'string', doc: 'Uptime Kuma push monitor URL.', example: 'https://kuma.example.com/api/push/abc123' },
  ],
  secrets: [],
  async payloads(run) {
    const v = run.verdict.verdict;
    if (v !== 'pass' && v !== 'fail') return [];
    const finals = run.scenarios
      .filter((s) => s.target === 'canary' && s.latencyMs.final !== null)
      .map((s) => s.latencyMs.final as number);
    const ping = finals.length > 0 ? Math.round(finals.reduce((a, b) => a + b, 0) / finals.length) : null;
    const failed = run.scenarios.filter((s) => s.target === 'canary' && s.status === 'fail').length;
    const total = run.scenarios.filter((s) => s.target === 'canary').length;
    const msg = v === 'pass' ? `pass ${total}/${total}` : `fail ${failed}/${total}: ${run.verdict.reasons[0] ?? ''}`;
    const payload: KumaPayload = { status: v === 'pass' ? 'up' : 'down', msg: msg.slice(0, 200), ping };
    return [{ dedupeKey: `push:uptimeKuma:${run.runId}`, payload }];
  },
  create: (url, deps) => uptimeKumaHandler({ url, timeoutMs: deps.timeoutMs }),
});

export function uptimeKumaHandler(opts: UptimeKumaOptions): PushHandler {
  return async (payload: unknown): Promise<void> => {
    if (!isRecord(payload) || (payload.status !== 'up' && payload.status !== 'down') || typeof payload.msg !== 'string') {
      throw payloadError('uptimeKuma');
    }
    const url = new URL(opts.url);
    url.searchParams.set('status', payload.status);
    url.searchParams.set('msg', payload.msg);
    url.searchParams.set('ping', typeof payload.ping === 'number' ? String(payload.ping) : '');
    await httpSend({ method: 'GET', url: url.toString(), timeoutMs: opts.timeoutMs ?? 10_000, secrets: [opts.url, url.pathname], what: 'uptime kuma' });
  };
}
