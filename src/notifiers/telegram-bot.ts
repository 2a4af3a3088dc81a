/**
 * Alerts through the Telegram Bot API `sendMessage` (HTML parse mode). The token is part of the URL, so every
 * error is scrubbed of it. A 429 with a short `retry_after` is waited out once; a longer one is handed to the
 * outbox as `retryAfterMs`.
 */
import { z } from '../schema-kit/zod.js';
import { httpUrl } from '../config/schema-parts.js';
import { systemClock } from '../core/clock.js';
import { defineNotifier } from '../delivery/plugin.js';
import type { AlertMessage, Clock, Notifier } from '../core/ports.js';
import { scrubSecrets } from '../delivery/escape.js';
import { alertTelegramHtml } from './format.js';
import { DeliveryError, httpSend } from '../delivery/http.js';

export interface TelegramBotNotifierOptions {
  token: string;
  chatId: string;
  /** e.g. https://api.telegram.org (no trailing slash needed). */
  apiRoot: string;
  timeoutMs?: number;
  /** Longest `retry_after` waited inline before giving the delivery back to the outbox. Default 5 s. */
  maxInlineWaitMs?: number;
  clock?: Clock;
}

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

export function createTelegramBotNotifier(opts: TelegramBotNotifierOptions): Notifier {
  const clock = opts.clock ?? systemClock;
  const maxWait = opts.maxInlineWaitMs ?? 5_000;
  const url = `${opts.apiRoot.replace(/\/+$/, '')}/bot${opts.token}/sendMessage`;
  const secrets = [opts.token];

  async function attempt(html: string): Promise<{ retryAfterMs?: number }> {
    const res = await httpSend({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: opts.chatId, text: html, parse_mode: 'HTML', disable_web_page_preview: true }),
      timeoutMs: opts.timeoutMs ?? 10_000,
      secrets,
      what: 'telegram bot api',
      anyStatus: true,
    });
    let answer: BotApiAnswer = {};
    try {
      answer = JSON.parse(res.text) as BotApiAnswer;
    } catch {
      answer = {};
    }
    if (res.status >= 200 && res.status < 300 && answer.ok !== false) return {};
    const retryAfterSec = answer.parameters?.retry_after;
    if (res.status === 429 && typeof retryAfterSec === 'number') return { retryAfterMs: retryAfterSec * 1000 };
    const description = scrubSecrets(String(answer.description ?? res.text.slice(0, 200)), secrets);
    throw new DeliveryError(`TELEGRAM_BOT_API_${res.status}`, `telegram bot api: HTTP ${res.status}: ${description}`, {
      status: res.status,
      hint: res.status === 401 || res.status === 404
        ? 'Check TELEGRAM_BOT_TOKEN.'
        : res.status === 400 || res.status === 403
          ? 'Check TELEGRAM_ALERT_CHAT_ID and that the bot was added to the chat.'
          : undefined,
    });
  }

  return {
    name: 'telegramBot',
    async send(msg: AlertMessage): Promise<void> {
      const html = alertTelegramHtml(msg);
      const first = await attempt(html);
      if (first.retryAfterMs === undefined) return;
      if (first.retryAfterMs > maxWait) {
        throw new DeliveryError('TELEGRAM_BOT_RATE_LIMITED', `telegram bot api: rate limited for ${first.retryAfterMs / 1000}s`, {
          retryAfterMs: first.retryAfterMs,
          status: 429,
          hint: 'Retried by the outbox after the wait Telegram asked for.',
        });
      }
      await clock.sleep(first.retryAfterMs);
      const second = await attempt(html);
      if (second.retryAfterMs !== undefined) {
        throw new DeliveryError('TELEGRAM_BOT_RATE_LIMITED', 'telegram bot api: still rate limited', {
          retryAfterMs: second.retryAfterMs,
          status: 429,
        });
      }
    },
  };
}

export const telegramBotPlugin = defineNotifier({
  name: 'telegramBot',
  configKey: 'telegramBot',
  schema: z.strictObject({ token: z.string().min(1), chatId: z.string().min(1), apiRoot: httpUrl.default('https://api.telegram.org') }),
  direct: true,
  envVars: [
    { name: 'TELEGRAM_BOT_TOKEN', field: 'token', kind: 'string', doc: 'Bot API token of the alerting bot; setting it turns Telegram alerts on.', fromFile: true, example: '123456:ABC-DEF...' },
    { name: 'TELEGRAM_ALERT_CHAT_ID', field: 'chatId', kind: 'string', doc: 'Chat id the alerting bot posts to (required with TELEGRAM_BOT_TOKEN).', example: '-1001234567890' },
    { name: 'TELEGRAM_BOT_API_ROOT', field: 'apiRoot', kind: 'string', doc: 'Bot API root URL.', default: 'https://api.telegram.org' },
  ],
  secrets: ['token'],
  create: (cfg, deps) => createTelegramBotNotifier({
    ...cfg,
    clock: deps.clock,
    timeoutMs: deps.timeoutMs,
    ...(deps.direct ? { maxInlineWaitMs: 0 } : {}),
  }),
});
