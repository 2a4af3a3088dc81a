/**
 * Webhook: `POST <url>` with the verdict JSON, `X-TgCanary-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`
 * and `X-TgCanary-Timestamp: <unix seconds of delivery>`. The body is frozen at run end, so the signature a
 * receiver checks is over exactly the bytes stored in the outbox.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { httpSend } from '../../delivery/http.js';
import { z } from '../../schema-kit/zod.js';
import { httpUrl } from '../../config/schema-parts.js';
import { definePusher, type PushHandler } from '../../delivery/plugin.js';
import { isRecord, passwordOf, payloadError } from './types.js';

export interface WebhookOptions {
  url: string;
  secret?: string;
  timeoutMs?: number;
  now?: () => number;
}

export const SIGNATURE_HEADER = 'X-TgCanary-Signature';
export const TIMESTAMP_HEADER = 'X-TgCanary-Timestamp';
/** Same value on every attempt of one delivery (a resend after a crash too): receivers drop repeats by it. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Receiver-side check (constant time), for users and tests. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(signBody(secret, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

export const webhookPusher = definePusher({
  name: 'webhook',
  configKey: 'webhook',
  schema: z.strictObject({ url: httpUrl, secret: z.string().min(1).optional() }),
  envVars: [
    { name: 'WEBHOOK_URL', field: 'url', kind: 'string', doc: 'URL that receives the verdict JSON after each run.', example: 'https://hooks.example.com/tg-canary' },
    { name: 'WEBHOOK_SECRET', field: 'secret', kind: 'string', doc: 'HMAC-SHA256 key signing webhook bodies.', fromFile: true, example: 'change-me' },
  ],
  secrets: ['secret'],
  async payloads(run) {
    return [{ dedupeKey: `push:webhook:${run.runId}`, payload: { body: JSON.stringify(run.verdict) } }];
  },
  create: (cfg, deps) => webhookHandler({ url: cfg.url, secret: cfg.secret, timeoutMs: deps.timeoutMs }),
});

export function webhookHandler(opts: WebhookOptions): PushHandler {
  return async (payload: unknown, ctx?: { idempotencyKey?: string }): Promise<void> => {
    if (!isRecord(payload) || typeof payload.body !== 'string') throw payloadError('webhook');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'tg-canary',
      [TIMESTAMP_HEADER]: String(Math.floor((opts.now ?? Date.now)() / 1000)),
    };
    if (opts.secret) headers[SIGNATURE_HEADER] = signBody(opts.secret, payload.body);
    if (ctx?.idempotencyKey) headers[IDEMPOTENCY_HEADER] = ctx.idempotencyKey;
    await httpSend({
      method: 'POST',
      url: opts.url,
      headers,
      body: payload.body,
      timeoutMs: opts.timeoutMs ?? 10_000,
      secrets: [opts.secret, passwordOf(opts.url)],
      what: 'webhook',
    });
  };
}
